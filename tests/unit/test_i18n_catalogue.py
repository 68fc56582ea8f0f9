"""The portal's message catalogues are complete in both languages: every key a template or a page module
asks for, and a name for every coded value the domain and the rule books can show (states, actions and
records of a case, time limits, fees, reductions, roles, citation categories, problems by code) — the codes
enumerated from the procedures, the rule books and the domain, not from a hand list; the Chinese messages
hold no English."""

from __future__ import annotations

import ast
import re
import string
from importlib import resources
from pathlib import Path

import pytest
import yaml

from ipoffice.domain import case_file
from ipoffice.domain.document import CitedBy, PartyRole, RightType
from ipoffice.domain.offices import ACTION_KINDS, Role
from ipoffice.domain.query import FIELDS, QueryError, parse_query
from ipoffice.domain.query_limits import check_query
from ipoffice.entrypoints.web import i18n, vocabulary
from ipoffice.entrypoints.web.filing import FORMS, FilingInvalid, build_filing, problem_texts
from ipoffice.entrypoints.web.pages_examiner import TEMPLATES
from ipoffice.services.procedures import default_catalogue
from ipoffice.services.register_extract import legal_status

WEB = Path(vocabulary.__file__).parent
EN, ZH = i18n.MESSAGES["en"], i18n.MESSAGES["zh"]


def _procedure_codes() -> dict[str, set[str]]:
    procedures = default_catalogue().procedures.values()
    limits = {spec.name for p in procedures for t in p.transitions for spec in t.opens}
    consequences = {spec.consequence for p in procedures for t in p.transitions for spec in t.opens
                    if spec.consequence}
    return {
        "procedure.": {p.name for p in procedures},
        "state.": {s for p in procedures for s in p.states},
        "action.": {t.action for p in procedures for t in p.transitions} | consequences | set(ACTION_KINDS)
                   | set(case_file.RECORD_CODES),
        "time_limit.": limits,
    }


def _rule_book_parameters() -> set[str]:
    names: set[str] = set()
    for path in resources.files("ipoffice.rules").rglob("*.yaml"):  # type: ignore[attr-defined]
        names |= set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("parameters") or {})
    return names


def _parser_codes() -> set[str]:
    """The codes the query parser raises, read from its source (third argument or ``code=`` of QueryError)."""
    codes = {"invalid", "unexpected", "unexpected_end"}  # the default, and the two of Parser._found
    for module in (parse_query, check_query):
        tree = ast.parse(Path(module.__code__.co_filename).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if (getattr(node.func, "id", None) or getattr(node.func, "attr", "")) in ("QueryError", "QueryTooLarge",
                                                                                     "__init__"):
                for arg in node.args[2:3]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        codes.add(arg.value)
    assert {"unknown_field", "too_many_terms", "date_range"} <= codes
    return codes


def _codes_in(paths: list[Path], function: str, index: int) -> set[str]:
    """The string constants passed as argument ``index`` to calls of ``function`` in ``paths``' source."""
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == function and len(node.args) > index
                    and isinstance(node.args[index], ast.Constant) and isinstance(node.args[index].value, str)):
                found.add(node.args[index].value)
    return found


SRC = Path(i18n.__file__).parents[2]


def _filing_codes() -> set[str]:
    return _codes_in([Path(build_filing.__code__.co_filename)], "fail", 1)


def _refusal_codes() -> set[str]:
    """Why the procedures refuse (``Reason``), why the access policy refuses (``Decision``), and the pages'
    refusals (``Refusal``, ``Forbidden``)."""
    procedures = [*(SRC / "domain" / "procedures").glob("*.py"), SRC / "services" / "procedures.py",
                  SRC / "domain" / "case_file.py"]
    codes = {f"refusal.{c}" for c in _codes_in(procedures, "Reason", 1) | {"refused"}}
    codes |= {f"error.{c}" for c in _codes_in([SRC / "domain" / "offices.py"], "Decision", 2)}
    web = list(WEB.glob("*.py"))
    codes |= {f"error.{c}" for c in _codes_in(web, "Refusal", 2) | _codes_in(web, "Forbidden", 1)}
    assert {"refusal.examination_not_requested", "refusal.file_type", "error.needs_role", "error.not_allowed",
            "error.not_staff"} <= codes
    return codes


def domain_keys() -> set[str]:
    keys = {prefix + code for prefix, codes in _procedure_codes().items() for code in codes}
    parameters = _rule_book_parameters()
    keys |= {p for p in parameters if p.startswith("fee.")}
    keys |= {"reduction." + p.removeprefix("fee_reduction.") for p in parameters if p.startswith("fee_reduction.")}
    keys |= {"reduction." + r for form in FORMS.values() for r in form.reductions}
    keys |= {f"role.{r}" for r in (*Role, *PartyRole)} | {f"right.{r}" for r in RightType}
    keys |= {f"cited_by.{c}" for c in CitedBy} | {f"category.{c}" for c in case_file.CITATION_CATEGORIES}
    keys |= {f"status.{s}" for s in ("granted", "published", "registered", "expired", "abandoned")}
    keys |= {f"examiner.template.{name}" for lang in TEMPLATES.values() for name in lang}
    keys |= {f"query.{code}" for code in _parser_codes()}
    keys |= {f"validation.{code}" for code in _filing_codes()}
    keys |= _refusal_codes()
    return keys


_LITERAL_KEY = re.compile(r"""\bt\(\s*['"]([a-z0-9_.]+)['"]\s*[,)]""")  # t('key') / t("key", ...)
_PREFIX_KEY = re.compile(r"""\bt(?:\.term)?\(\s*['"]([a-z0-9_.]*\.)['"]\s*(?:~|,)""")  # t('prefix.' ~ x)
_PY_KEY = re.compile(r"""(?:\bt|translator\(request\)|\))\(\s*f?["']([a-z0-9_]+(?:\.[a-z0-9_{}]+)+)["']""")


def template_keys() -> set[str]:
    keys = set()
    for path in (WEB / "templates").glob("*.html"):
        keys |= set(_LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    for path in WEB.glob("*.py"):
        keys |= {k for k in _PY_KEY.findall(path.read_text(encoding="utf-8")) if "{" not in k}
    return keys


def template_prefixes() -> set[str]:
    found = set()
    for path in (WEB / "templates").glob("*.html"):
        found |= set(_PREFIX_KEY.findall(path.read_text(encoding="utf-8")))
    return found


def test_the_two_languages_have_the_same_keys() -> None:
    assert sorted(set(EN) - set(ZH)) == []
    assert sorted(set(ZH) - set(EN)) == []


def test_every_coded_value_of_the_domain_has_a_name_in_both_languages() -> None:
    keys = domain_keys()
    assert len(keys) > 200  # the enumeration found the procedures and the rule books
    assert {"state.awaiting_response", "action.request_early_publication", "fee.invention.application",
            "reduction.single_applicant", "time_limit.office_action_response", "action.pay_fee"} <= keys
    assert sorted(keys - set(EN)) == []
    assert sorted(keys - set(ZH)) == []


def test_every_key_the_templates_and_pages_ask_for_exists() -> None:
    keys = template_keys()
    assert {"search.title", "file.priority_row", "error.forbidden"} <= keys
    assert sorted(keys - set(EN)) == []
    for prefix in template_prefixes() - {""}:  # t('search.mode.' ~ m): the family exists
        assert any(k.startswith(prefix) for k in EN), prefix


# Latin-script words a Chinese message may hold: names, acronyms and the query language's field codes
_ALLOWED = {"ipoffice", *FIELDS, "trunc"}
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|`[^`]*`")
_WORD = re.compile(r"[A-Za-z]{2,}")


def _english_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(_PLACEHOLDER.sub(" ", text))
            if not w.isupper() and w.lower() not in _ALLOWED]


@pytest.mark.parametrize("key", sorted(ZH))
def test_a_chinese_message_holds_no_english(key: str) -> None:
    if key != "nav.language":  # the switch to English is named in English
        assert _english_words(ZH[key]) == [], (key, ZH[key])
    placeholders = {f for _, f, _, _ in string.Formatter().parse(EN[key]) if f}
    assert {f for _, f, _, _ in string.Formatter().parse(ZH[key]) if f} <= placeholders | {"position"}, key


def test_the_english_check_would_see_english() -> None:
    assert _english_words("已记录：Recorded the reply") == ["Recorded", "the", "reply"]
    assert _english_words("运算符 AND、OR，`ipoffice index rebuild`，{total} 条") == []


def test_a_query_error_is_said_in_the_page_language_by_its_code() -> None:
    zh = i18n.Translator("zh")
    for query, code in (("foo=bar", "unknown_field"), ("(a", "unexpected_end"), ("pd>=2300", "date_range"),
                        ('"abc', "unterminated_phrase"), ("AND x", "operator_without_term"), ("", "empty"),
                        ("ic=zzz", "classification"), ("a)", "unexpected")):
        with pytest.raises(QueryError) as caught:
            parse_query(query)
        assert caught.value.code == code, query
        text = zh(f"query.{code}", position=caught.value.position, **caught.value.params)
        assert "{" not in text and set(_english_words(text)) <= set(_WORD.findall(query)), (query, text)


def test_a_filing_problem_names_the_field_and_the_reason_in_the_page_language() -> None:
    from datetime import date
    with pytest.raises(FilingInvalid) as caught:
        build_filing({"procedure": "cn_invention", "office": "CN", "title": "",
                      "priorities": [{"country": "usa", "number": "", "date": "2999-01-01"}]},
                     filer="applicant.wang", offices={"CN"}, today=date(2026, 1, 5))
    assert caught.value.errors["title"] == "is required"  # the API's English text
    zh = problem_texts(i18n.Translator("zh"), caught.value.problems)
    assert zh["title"] == "名称：为必填项"
    assert zh["priorities[0].country"] == "第 1 项优先权的国家：应为两个字母的国家代码"
    assert zh["priorities[0].date"] == "第 1 项优先权的日期：不能晚于今天"
    assert all(_english_words(text) == [] for text in zh.values()), zh
    en = problem_texts(i18n.Translator("en"), caught.value.problems)
    assert en["title"] == "Title: is required"


def test_a_coded_value_is_named_and_an_unknown_one_shown_as_it_is() -> None:
    zh = i18n.Translator("zh")
    assert zh.term("state.", "awaiting_response") == "等待申请人答复"
    assert zh.term("", "fee.invention.application") == "发明专利申请费"
    assert zh.term("reduction.", "single_applicant").startswith("单个申请人")
    assert zh.term("action.", "CTNF") == "CTNF"  # an imported event code: data, shown as recorded
    assert legal_status  # (the status codes above are those register_extract.legal_status gives)


def test_a_refusal_of_the_procedures_is_said_in_the_page_language() -> None:
    from datetime import date

    from ipoffice.domain.procedures.base import ActionNotAllowed, ActionRefused, Reason
    from ipoffice.entrypoints.web.casework import Refusal, http_errors, refusal_message

    zh, en = i18n.Translator("zh"), i18n.Translator("en")
    refusals = []
    for error in (ActionNotAllowed("awaiting_response", "grant", ["respond", "request_extension"]),
                  ActionRefused("filed", "publish", Reason("publication is due on 2026-07-05", "publication_not_due",
                                                           due=date(2026, 7, 5))),
                  ActionRefused("filed", "publish", "a reason given as plain text")):
        with pytest.raises(Refusal) as caught, http_errors():
            raise error
        refusals.append(caught.value)
    assert refusal_message(zh, refusals[0]) == (
        "未予办理：案件处于“等待申请人答复”状态，不能办理“grant”；当前可办理：答复审查意见、请求延长期限。")
    assert refusal_message(zh, refusals[1]) == (
        "未予办理：不能办理“公布”：公布日为 2026年7月5日（专利法第三十四条），且未请求提前公布")
    assert refusal_message(en, refusals[1]).endswith("“Publish” refused: publication is due on 5 Jul 2026 "
                                                     "(Patent Law Art. 34) and early publication was not requested")
    assert "a reason given as plain text" in refusal_message(en, refusals[2])
    assert _english_words(refusal_message(zh, refusals[2])) == []


def _time_limit_references() -> set[str]:
    found = set()
    for path in resources.files("ipoffice.rules").rglob("*.yaml"):  # type: ignore[attr-defined]
        for name, parameter in ((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("parameters")
                                or {}).items():
            if name.startswith(("time_limit.", "term.")):
                found |= {str(v["reference"]) for v in parameter.get("values") or [] if v.get("reference")}
    return found


def test_every_legal_reference_of_a_time_limit_is_cited_in_chinese() -> None:
    zh = i18n.Translator("zh")
    references = _time_limit_references()
    assert len(references) > 20
    for reference in references:
        assert _english_words(zh.reference(reference)) == [], (reference, zh.reference(reference))
    assert zh.reference("Patent Law (2020) Art. 42") == "专利法（2020年）第42条"
    assert zh.reference("Implementing Regulations Rule 6(4); Guidelines Part V Ch. 7 s. 4.1") == \
        "专利法实施细则第6条第4款；专利审查指南第五部分第7章第4.1节"
    assert zh.reference("37 CFR 41.37(a)") == "37 CFR 41.37(a)"
    assert i18n.Translator("en").reference("Patent Law Art. 29") == "Patent Law Art. 29"
