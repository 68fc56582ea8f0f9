// ipoffice portal: query builder, IPC suggestions while typing, fee calculation, priority rows. No dependencies.
"use strict";

function quoteIfNeeded(value) {
  return /[\s()"]/.test(value) && !/^".*"$/.test(value) ? '"' + value.replace(/"/g, "") + '"' : value;
}

// True when the query has an OR outside parentheses and quotes. AND binds tighter than OR (as on Espacenet),
// so "a OR b AND c" means "a OR (b AND c)": a clause added with AND or NOT must then put the query in
// parentheses to restrict all of it.
function hasTopLevelOr(query) {
  let depth = 0;
  for (const token of query.match(/"[^"]*"?|[()]|[^\s()"]+/g) || []) {
    if (token.startsWith('"')) continue;
    if (token === "(") depth++;
    else if (token === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0 && token.toUpperCase() === "OR") return true;
  }
  return false;
}

function combine(current, op, clause) {
  if (!current) return op === "NOT" ? "NOT " + clause : clause;
  const left = op !== "OR" && hasTopLevelOr(current) ? "(" + current + ")" : current;
  return left + " " + op + " " + clause;
}

function setUpBuilder() {
  const add = document.getElementById("builder-add");
  if (!add) return;
  add.addEventListener("click", () => {
    const field = document.getElementById("builder-field").value;
    const op = document.getElementById("builder-op").value;
    const raw = document.getElementById("builder-value").value.trim();
    if (!raw) return;
    let clause;
    if (field === "pd" || field === "ad") clause = field + ">=" + raw;
    else if (field === "ic" || field === "cpc" || field === "pn") clause = field + "=" + raw.replace(/\s+/g, "");
    else clause = field + "=" + quoteIfNeeded(raw);
    const q = document.getElementById("q");
    const current = q.value.trim();
    q.value = combine(current, op, clause);
    document.getElementById("builder-value").value = "";
    q.focus();
  });
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

function setUpIpcSuggestions() {
  const abstract = document.getElementById("abstract");
  const list = document.getElementById("ipc-suggestions");
  if (!abstract || !list) return;
  const lang = document.body.dataset.lang;
  let latest = 0;  // only the newest request may write the list
  const refresh = debounce(async () => {
    const request = ++latest;
    const text = abstract.value.trim();
    if (text.length < 20) { list.innerHTML = ""; return; }
    const response = await fetch("/api/v1/classify/ipc?limit=5&text=" + encodeURIComponent(text.slice(0, 5000)));
    if (!response.ok || request !== latest) return;
    const items = await response.json();
    if (request !== latest) return;
    list.innerHTML = "";
    for (const item of items) {
      const li = document.createElement("li");
      const title = (lang === "zh" ? item.title_zh : item.title_en) || item.title_en || item.title_zh || "";
      li.textContent = item.symbol + " — " + title + " ";
      if (item.group) {  // the main group, when the classifier is confident of it
        const groupTitle = (lang === "zh" ? item.group_title_zh : item.group_title_en) || item.group_title_en || "";
        const group = document.createElement("span");
        group.className = "ipc-group";
        group.textContent = "(" + item.group + (groupTitle ? " " + groupTitle : "") + ") ";
        li.appendChild(group);
      }
      if (item.confidence !== null && item.confidence !== undefined && list.dataset.confidenceLabel) {
        const confidence = document.createElement("span");  // a calibrated probability, never a raw score
        confidence.className = "muted ipc-confidence";
        confidence.textContent = list.dataset.confidenceLabel.replace("{percent}", Math.round(item.confidence * 100)) + " ";
        li.appendChild(confidence);
      }
      li.dataset.symbol = item.symbol;
      const ipc = document.getElementById("ipc");
      if (ipc) {  // one click puts the symbol into the form's IPC field (once)
        const apply = document.createElement("button");
        apply.type = "button";
        apply.className = "link apply-ipc";
        apply.textContent = list.dataset.applyLabel || "Apply";
        apply.dataset.symbol = item.symbol;
        apply.addEventListener("click", () => {
          const symbols = ipc.value.split(/[,;，；]/).map((s) => s.trim()).filter(Boolean);
          if (!symbols.includes(item.symbol)) symbols.push(item.symbol);
          ipc.value = symbols.join(", ");
          ipc.dispatchEvent(new Event("change", { bubbles: true }));
        });
        li.appendChild(apply);
      }
      list.appendChild(li);
    }
  }, 400);
  abstract.addEventListener("input", refresh);
  refresh();
}

function setUpFees() {
  const form = document.getElementById("filing-form");
  const box = document.getElementById("fees");
  if (!form || !box) return;
  const lang = document.body.dataset.lang;
  const names = JSON.parse(box.dataset.feeNames || "{}");  // fee code -> its name in the page's language
  let latest = 0;  // responses can arrive out of order: only the newest request may write the box
  const update = async () => {
    const request = ++latest;
    const params = new URLSearchParams({ procedure: form.elements["procedure"].value });
    const reduction = form.elements["reduction"] ? form.elements["reduction"].value : "";
    if (reduction) params.set("reduction", reduction);
    const classes = form.elements["nice_classes"];
    if (classes && classes.value.trim()) params.set("classes", String(classes.value.split(/[,\s]+/).filter(Boolean).length || 1));
    const claimed = Array.from(form.querySelectorAll("#priority-rows .priority"))
      .filter((row) => Array.from(row.querySelectorAll("input")).some((input) => input.value.trim())).length;
    if (claimed) params.set("priorities", String(claimed));
    const response = await fetch("/api/v1/fees?" + params);
    if (!response.ok || request !== latest) return;
    const data = await response.json();
    if (request !== latest) return;
    const money = (amount) => lang === "zh" && data.currency === "CNY"
      ? Number(amount).toLocaleString("zh-CN", { minimumFractionDigits: 2 }) + " 元"
      : data.currency + " " + Number(amount).toLocaleString("en-US", { minimumFractionDigits: 2 });
    box.innerHTML = "";
    for (const fee of data.fees) {
      const li = document.createElement("li");
      li.textContent = (names[fee.name] || fee.name) + ": " + money(fee.amount);
      li.title = fee.reference;
      box.appendChild(li);
    }
    const totalLine = document.createElement("li");
    totalLine.className = "total";
    totalLine.textContent = box.dataset.totalLabel + ": " + money(data.total);
    box.appendChild(totalLine);
  };
  form.addEventListener("change", update);
  update();
}

function setUpPriorityRows() {
  const button = document.getElementById("add-priority");
  const rows = document.getElementById("priority-rows");
  if (!button || !rows) return;
  button.addEventListener("click", () => {
    const index = rows.children.length;
    const first = rows.children[0];
    const row = first.cloneNode(true);
    for (const input of row.querySelectorAll("input")) {
      input.name = input.name.replace(/\[\d+\]/, "[" + index + "]");
      input.value = "";
    }
    rows.appendChild(row);
  });
}

function setUpActionTemplates() {
  // Examiner's case page: choosing a template fills the action text.
  const select = document.getElementById("template");
  const text = document.getElementById("action-text");
  if (!select || !text) return;
  select.addEventListener("change", () => {
    text.value = select.selectedOptions[0].dataset.text;
  });
}

function setUpConfirmations() {
  // Case page: the confirmation box shows (and is required) only for an act that ends the case.
  const select = document.getElementById("action");
  const row = document.getElementById("confirm-row");
  const box = document.getElementById("confirm");
  if (!select || !row || !box) return;
  const update = () => {
    const option = select.selectedOptions[0];
    const needed = Boolean(option && option.dataset.confirm);
    row.hidden = !needed;
    box.required = needed;
    if (!needed) box.checked = false;
  };
  select.addEventListener("change", update);
  update();
}

// Switching the language reloads the page: what was typed into its forms is kept for the reloaded page in
// sessionStorage (this tab only) and put back once, so a half-filled form survives the switch.
const DRAFT_KEY = "ipoffice.form-drafts";

function draftFields(form) {
  return [...form.elements].filter((e) => e.name && e.name !== "csrf_token" && !e.disabled
    && !["hidden", "password", "file", "submit", "button"].includes(e.type));
}

function saveDrafts() {
  const drafts = {};
  document.querySelectorAll("form[id]").forEach((form) => {
    const values = {};
    for (const field of draftFields(form)) {
      values[field.name] = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value;
    }
    if (Object.keys(values).length) drafts[form.id] = values;
  });
  sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ path: location.pathname, drafts: drafts }));
}

function restoreDrafts() {
  const saved = sessionStorage.getItem(DRAFT_KEY);
  if (!saved) return;
  sessionStorage.removeItem(DRAFT_KEY);
  const { drafts } = JSON.parse(saved);
  for (const [id, values] of Object.entries(drafts || {})) {
    const form = document.getElementById(id);
    if (!form) continue;
    const adder = form.dataset.rowAdder && document.getElementById(form.dataset.rowAdder);
    for (const [name, value] of Object.entries(values)) {
      let field = form.elements[name];
      while (!field && adder && /\[\d+\]/.test(name) && form.querySelectorAll("input").length < 500) {
        const before = form.elements.length;
        adder.click();  // a row added on the page before the switch (e.g. a second priority claim)
        field = form.elements[name];
        if (form.elements.length === before) break;
      }
      if (!field || field.type === "file" || field.type === "hidden") continue;
      if (field.tagName === "SELECT" && ![...field.options].some((o) => o.value === value)) continue;
      if (typeof value === "boolean") field.checked = value;
      else field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));  // e.g. IPC suggestions, in the new language
    }
    form.dispatchEvent(new Event("change"));  // recompute what depends on the fields (the fees)
  }
}

function setUpLanguageSwitch() {
  const link = document.getElementById("lang-switch");
  if (link) link.addEventListener("click", saveDrafts);
  restoreDrafts();
}

document.addEventListener("DOMContentLoaded", () => {
  setUpConfirmations();
  setUpBuilder();
  setUpActionTemplates();
  setUpIpcSuggestions();
  setUpFees();
  setUpPriorityRows();
  setUpLanguageSwitch();  // last: restoring a draft uses the handlers above (adding rows, fees)
});
