"""Interface languages: Simplified Chinese and English message catalogues, and dates, numbers and money
formatted the way each language writes them.

The language of a request comes from ``?lang=`` (which also sets the cookie), then the ``lang`` cookie,
then the browser's ``Accept-Language``; English when none of them names a supported language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from ipoffice.entrypoints.web import (
    messages_centres,
    messages_disputes,
    messages_inventory,
    messages_marketplace,
    messages_matching,
    messages_protection,
    messages_recordals,
    messages_statistics,
    messages_tm_exam,
    messages_trademarks,
    vocabulary,
)

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "en"
COOKIE = "lang"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "app.name": "ipoffice",
        "app.tagline": "Public register and e-services of the IP office",
        "nav.search": "Search",
        "nav.statistics": "Statistics",
        "nav.file": "File an application",
        "nav.my_cases": "My cases",
        "nav.queue": "Work queue",
        "nav.account": "Account",
        "nav.login": "Log in",
        "nav.logout": "Log out",
        "nav.language": "中文",
        "search.title": "Search the register",
        "search.query": "Query",
        "search.placeholder": 'e.g. ti="wireless charging" AND pd>=2010',
        "search.submit": "Search",
        "search.mode": "Mode",
        "search.mode.bm25": "Keyword",
        "search.mode.semantic": "Semantic",
        "search.mode.hybrid": "Hybrid",
        "search.mode.concept": "Concept (field of technology)",
        "search.sort": "Sort",
        "search.sort.relevance": "Relevance",
        "search.sort.date_desc": "Newest first",
        "search.sort.date_asc": "Oldest first",
        "search.builder": "Query builder",
        "search.builder.field": "Field",
        "search.builder.value": "Value",
        "search.builder.add": "Add to query",
        "search.builder.op": "Combine with",
        "search.results": "{total} results",
        "search.result_one": "1 result",
        "search.no_results": "No documents match.",
        "search.export": "Export CSV",
        "search.facets": "Refine",
        "search.prev": "Previous",
        "search.next": "Next",
        "search.page": "Page {page} of {pages}",
        "search.error": "The search could not be run",
        "search.help": "Fields: ti title, ab abstract, cl claims, pa applicant, in inventor, pn number, ic IPC, "
                       "cpc CPC, pd publication date, ad application date. Operators AND, OR, NOT, "
                       '"phrases", trunc*.',
        "facet.right_type": "Right type",
        "facet.ipc_section": "IPC section",
        "facet.ipc_class": "IPC class",
        "facet.year": "Publication year",
        "facet.applicant": "Applicant",
        "facet.country": "Office",
        "facet.legal_status": "Legal status",
        "field.ti": "Title",
        "field.ab": "Abstract",
        "field.cl": "Claims",
        "field.txt": "Title, abstract, claims",
        "field.pa": "Applicant",
        "field.in": "Inventor",
        "field.pn": "Publication number",
        "field.ic": "IPC",
        "field.cpc": "CPC",
        "field.pd": "Publication date from",
        "field.ad": "Application date from",
        "doc.bibliographic": "Bibliographic data",
        "doc.number": "Publication number",
        "doc.kind": "Kind",
        "doc.right_type": "Right type",
        "doc.publication_date": "Publication date",
        "doc.application_number": "Application number",
        "doc.application_date": "Application date",
        "doc.priority": "Priority claims",
        "doc.abstract": "Abstract",
        "doc.claims": "Claims",
        "doc.description": "Description",
        "doc.classifications": "Classifications",
        "doc.parties": "Parties",
        "doc.citations": "Citations",
        "doc.cites": "Cited documents",
        "doc.cited_by": "Cited by",
        "doc.legal_status": "Legal status",
        "doc.timeline": "Legal events",
        "doc.similar": "Similar documents",
        "doc.similar_crosslingual": "Similar documents in other languages",
        "doc.similar_unavailable": "Semantic index not built; the administrator builds it with:",
        "doc.extract": "Register extract",
        "doc.extract_pdf": "PDF",
        "doc.none": "None recorded.",
        "doc.depends_on": "depends on claim {claims}",
        "doc.not_found": "No published document {number} in the register.",
        "doc.mark": "Mark",
        "doc.goods_services": "Goods and services",
        "doc.mark_feature": "Kind of mark",
        "doc.mark_category": "Category of mark",
        "doc.vienna": "Vienna codes (figurative elements)",
        "doc.registration_number": "Registration number",
        "doc.registration_date": "Registration date",
        "doc.expiry_date": "Expiry date",
        "doc.international_number": "International registration",
        "doc.mark_status": "Status recorded by the office",
        "doc.nice_class": "Class {n}",
        "marktext.verbal": "Verbal element",
        "marktext.transliteration": "Transliteration",
        "marktext.translation": "Translation",
        "marktext.disclaimer": "Disclaimer",
        "marktext.colour_claim": "Colour claim",
        "marktext.limitation": "Limitation",
        "marktext.status_reason": "Reason for closure",
        "marktext.internationality": "Relation to the Madrid system",
        "status.refused": "Refused",
        "status.cancelled": "Cancelled",
        "role.applicant": "Applicant",
        "role.assignee": "Assignee",
        "role.inventor": "Inventor",
        "role.agent": "Agent",
        "right.invention": "Invention",
        "right.utility_model": "Utility model",
        "right.design": "Design",
        "right.plant": "Plant patent",
        "right.trademark": "Trademark",
        "status.granted": "Granted",
        "status.published": "Published application",
        "status.pending": "Pending",
        "status.abandoned": "Abandoned",
        "status.expired": "Expired",
        "status.registered": "Registered",
        "extract.title": "Extract from the register",
        "extract.status": "Status",
        "extract.owner": "Owner",
        "extract.generated": "Generated on {date}",
        "extract.events": "Events",
        "login.title": "Log in",
        "login.username": "Username",
        "login.password": "Password",
        "login.submit": "Log in",
        "login.failed": "Unknown username or wrong password.",
        "login.demo": "Demo accounts (password: {password}):",
        "account.title": "Account",
        "account.roles": "Roles",
        "account.office": "Office",
        "account.tokens": "API tokens",
        "account.new_token": "Create an API token",
        "account.token_created": "Your new token (shown once): {token}",
        "account.token_label": "Label",
        "account.token_days": "Valid for (days)",
        "account.token_expires": "expires {date}",
        "account.token_expired": "expired {date}",
        "account.revoke": "Revoke",
        "account.token_revoked": "The token was revoked.",
        "account.no_tokens": "No API tokens.",
        "login.throttled": "Too many failed logins. Try again in {minutes} min.",
        "file.title": "File an application",
        "file.choose": "Choose the kind of right",
        "file.procedure": "Procedure",
        "file.office": "Receiving office",
        "file.applicant": "Applicant (username)",
        "file.title_field": "Title",
        "file.abstract": "Abstract",
        "file.claims": "Claims (one per paragraph)",
        "file.description": "Description",
        "file.priority": "Priority claims",
        "file.priority_country": "Country",
        "file.priority_number": "Number",
        "file.priority_date": "Date",
        "file.add_priority": "Add a priority claim",
        "file.reduction": "Fee reduction",
        "file.reduction.none": "None",
        "file.fees": "Fees due",
        "file.total": "Total",
        "file.ipc_suggestions": "IPC suggestions",
        "file.submit": "File",
        "file.errors": "Please correct the fields marked below.",
        "file.mark": "Mark (word or description)",
        "file.nice_classes": "Nice classes (comma-separated)",
        "receipt.title": "Filing receipt",
        "receipt.number": "Application number",
        "receipt.filing_date": "Filing date",
        "receipt.state": "State",
        "cases.title": "My cases",
        "cases.none": "No cases yet.",
        "cases.number": "Application number",
        "cases.state": "State",
        "cases.due": "Next due date",
        "cases.office": "Office",
        "cases.filed": "Filed",
        "case.events": "Events",
        "case.time_limits": "Time limits",
        "case.office_actions": "Office actions received",
        "case.notices": "Notices",
        "case.payments": "Payments",
        "case.upload": "Reply or amend (upload)",
        "case.upload.file": "Document (PDF, TXT, DOCX; at most {size} MB)",
        "case.upload.action": "Action",
        "case.upload.submit": "Submit",
        "case.uploads": "Documents submitted",
        "case.pay": "Pay",
        "case.act": "Decide / act",
        "case.act.submit": "Record",
        "case.date": "Date",
        "case.application_text": "Application as filed",
        "case.done": "Recorded: {action}. State is now {state}.",
        "case.refused": "Refused: {reason}",
        "case.paid": "Fee paid: {fee}, {amount} {currency}.",
        "case.pay.fee": "Fee",
        "case.pay.year": "Year of the right (annual fees)",
        "queue.title": "Work queue",
        "queue.none": "No cases in your office.",
        "queue.case": "Case",
        "queue.limit": "Time limit",
        "queue.due": "Due",
        "examiner.prior_art": "Prior-art search",
        "examiner.prior_art_before": "Documents published before {date} only (hybrid search).",
        "examiner.cite": "Cite",
        "examiner.category": "Category",
        "examiner.report": "Search report",
        "examiner.report_empty": "No citations marked yet.",
        "examiner.draft": "Draft an office action",
        "examiner.template": "Template",
        "examiner.issue": "Issue",
        "examiner.action": "Action",
        "error.title": "Error",
        "error.not_found": "Not found.",
        "error.forbidden": "You may not do this: {reason}",
        "error.csrf": "The form expired; please reload the page and try again.",
        "error.login_required": "Please log in.",
        "error.index_missing": "Search is not available yet: the search index has not been built (or was "
                               "built by an older version). The administrator must run `ipoffice index rebuild`.",
        "error.semantic_missing": "semantic index not built: semantic and hybrid search need "
                                  "`ipoffice index rebuild` (keyword search works without it).",
        "error.model_preparing": "Concept search is being prepared (the IPC scheme is embedded once): try again "
                                 "in a few minutes, or use hybrid mode meanwhile.",
        "common.none": "—",
        "common.back": "Back",
        # public search (j-search)
        "search.examples": "Examples",
        "search.placeholder_example": "e.g. ti=(wireless OR charging) AND pd>=2010",
        "search.results_semantic": "{total} results among the {pool} most similar documents",
        "search.results_hybrid": "{total} results among the {pool} best by keywords and similarity combined",
        "search.results_among": "{total} results among the best {pool}",
        "search.among_best": "among the best {pool}",
        "search.number_search": "Number search",
        "search.remove_filter": "Remove this filter",
        "search.help_operators": "AND binds tighter than OR: a OR b AND c means a OR (b AND c); use parentheses "
                                 "to group. -word excludes a word, +word requires it.",
        "case.note": "Note",
        "case.notice_expired": "the time limit “{limit}” ended on {due} without the required act.",
        "case.document": "Document",
        "case.none_allowed": "none",
        "file.problem": "{field}: {problem}",
        "file.priority_row": "Priority claim {n}: {part}",
        "file.filing_problem": "The application could not be filed: {reason}",
        "search.query_error": "{message}",
    },
    "zh": {
        "app.name": "ipoffice",
        "app.tagline": "知识产权局公共登记簿与电子服务",
        "nav.search": "检索",
        "nav.statistics": "统计",
        "nav.file": "提交申请",
        "nav.my_cases": "我的案件",
        "nav.queue": "工作队列",
        "nav.account": "账户",
        "nav.login": "登录",
        "nav.logout": "退出",
        "nav.language": "English",
        "search.title": "检索登记簿",
        "search.query": "检索式",
        "search.placeholder": '例如 ti="无线充电" AND pd>=2010',
        "search.submit": "检索",
        "search.mode": "方式",
        "search.mode.bm25": "关键词",
        "search.mode.semantic": "语义",
        "search.mode.hybrid": "混合",
        "search.mode.concept": "概念（技术领域）",
        "search.sort": "排序",
        "search.sort.relevance": "相关度",
        "search.sort.date_desc": "最新优先",
        "search.sort.date_asc": "最早优先",
        "search.builder": "检索式构建器",
        "search.builder.field": "字段",
        "search.builder.value": "内容",
        "search.builder.add": "加入检索式",
        "search.builder.op": "组合方式",
        "search.results": "共 {total} 条结果",
        "search.result_one": "共 1 条结果",
        "search.no_results": "没有匹配的文献。",
        "search.export": "导出 CSV",
        "search.facets": "筛选",
        "search.prev": "上一页",
        "search.next": "下一页",
        "search.page": "第 {page} 页，共 {pages} 页",
        "search.error": "无法执行检索",
        "search.help": "字段：ti 名称，ab 摘要，cl 权利要求，pa 申请人，in 发明人，pn 公开号，ic IPC，cpc CPC，"
                       'pd 公开日，ad 申请日。运算符 AND、OR、NOT，"短语"，截词符 *（如 电池*）。',
        "facet.right_type": "权利类型",
        "facet.ipc_section": "IPC 部",
        "facet.ipc_class": "IPC 大类",
        "facet.year": "公开年份",
        "facet.applicant": "申请人",
        "facet.country": "受理局",
        "facet.legal_status": "法律状态",
        "field.ti": "名称",
        "field.ab": "摘要",
        "field.cl": "权利要求",
        "field.txt": "名称、摘要、权利要求",
        "field.pa": "申请人",
        "field.in": "发明人",
        "field.pn": "公开号",
        "field.ic": "IPC",
        "field.cpc": "CPC",
        "field.pd": "公开日起",
        "field.ad": "申请日起",
        "doc.bibliographic": "著录项目",
        "doc.number": "公开号",
        "doc.kind": "文献种类",
        "doc.right_type": "权利类型",
        "doc.publication_date": "公开日",
        "doc.application_number": "申请号",
        "doc.application_date": "申请日",
        "doc.priority": "优先权",
        "doc.abstract": "摘要",
        "doc.claims": "权利要求",
        "doc.description": "说明书",
        "doc.classifications": "分类号",
        "doc.parties": "当事人",
        "doc.citations": "引文",
        "doc.cites": "引用文献",
        "doc.cited_by": "被引用",
        "doc.legal_status": "法律状态",
        "doc.timeline": "法律事件",
        "doc.similar": "相似文献",
        "doc.similar_crosslingual": "其他语言的相似文献",
        "doc.similar_unavailable": "语义索引尚未建立；管理员可运行以下命令建立：",
        "doc.extract": "登记簿副本",
        "doc.extract_pdf": "PDF",
        "doc.none": "无记录。",
        "doc.depends_on": "引用权利要求 {claims}",
        "doc.not_found": "登记簿中没有已公开的文献 {number}。",
        "doc.mark": "商标",
        "doc.goods_services": "商品和服务",
        "doc.mark_feature": "商标形式",
        "doc.mark_category": "商标种类",
        "doc.vienna": "维也纳分类（图形要素）",
        "doc.registration_number": "注册号",
        "doc.registration_date": "注册日",
        "doc.expiry_date": "专用权期限届满日",
        "doc.international_number": "国际注册号",
        "doc.mark_status": "主管局记录的状态",
        "doc.nice_class": "第{n}类",
        "marktext.verbal": "文字要素",
        "marktext.transliteration": "音译",
        "marktext.translation": "译文",
        "marktext.disclaimer": "放弃专用权声明",
        "marktext.colour_claim": "颜色要求",
        "marktext.limitation": "限制条件",
        "marktext.status_reason": "结案原因",
        "marktext.internationality": "与马德里体系的关系",
        "status.refused": "已驳回",
        "status.cancelled": "已撤销",
        "role.applicant": "申请人",
        "role.assignee": "专利权人",
        "role.inventor": "发明人",
        "role.agent": "代理人",
        "right.invention": "发明",
        "right.utility_model": "实用新型",
        "right.design": "外观设计",
        "right.plant": "植物专利",
        "right.trademark": "商标",
        "status.granted": "已授权",
        "status.published": "已公开的申请",
        "status.pending": "审查中",
        "status.abandoned": "已放弃",
        "status.expired": "已失效",
        "status.registered": "已注册",
        "extract.title": "登记簿副本",
        "extract.status": "状态",
        "extract.owner": "权利人",
        "extract.generated": "生成日期 {date}",
        "extract.events": "事件",
        "login.title": "登录",
        "login.username": "用户名",
        "login.password": "密码",
        "login.submit": "登录",
        "login.failed": "用户名不存在或密码错误。",
        "login.demo": "演示账户（密码：{password}）：",
        "account.title": "账户",
        "account.roles": "角色",
        "account.office": "所属局",
        "account.tokens": "API 令牌",
        "account.new_token": "创建 API 令牌",
        "account.token_created": "新令牌（仅显示一次）：{token}",
        "account.token_label": "标签",
        "account.token_days": "有效期（天）",
        "account.token_expires": "{date} 到期",
        "account.token_expired": "已于 {date} 过期",
        "account.revoke": "吊销",
        "account.token_revoked": "令牌已吊销。",
        "account.no_tokens": "没有 API 令牌。",
        "login.throttled": "登录失败次数过多，请在 {minutes} 分钟后重试。",
        "file.title": "提交申请",
        "file.choose": "选择权利类型",
        "file.procedure": "程序",
        "file.office": "受理局",
        "file.applicant": "申请人（用户名）",
        "file.title_field": "名称",
        "file.abstract": "摘要",
        "file.claims": "权利要求（每段一项）",
        "file.description": "说明书",
        "file.priority": "优先权要求",
        "file.priority_country": "国家",
        "file.priority_number": "申请号",
        "file.priority_date": "日期",
        "file.add_priority": "增加优先权",
        "file.reduction": "费用减缴",
        "file.reduction.none": "无",
        "file.fees": "应缴费用",
        "file.total": "合计",
        "file.ipc_suggestions": "IPC 分类建议",
        "file.submit": "提交",
        "file.errors": "请更正下列标出的字段。",
        "file.mark": "商标（文字或描述）",
        "file.nice_classes": "尼斯分类（逗号分隔）",
        "receipt.title": "申请受理回执",
        "receipt.number": "申请号",
        "receipt.filing_date": "申请日",
        "receipt.state": "状态",
        "cases.title": "我的案件",
        "cases.none": "暂无案件。",
        "cases.number": "申请号",
        "cases.state": "状态",
        "cases.due": "下一期限",
        "cases.office": "受理局",
        "cases.filed": "申请日",
        "case.events": "事件",
        "case.time_limits": "期限",
        "case.office_actions": "收到的审查意见",
        "case.notices": "通知书",
        "case.payments": "缴费记录",
        "case.upload": "答复或修改（上传）",
        "case.upload.file": "文件（PDF、TXT、DOCX；不超过 {size} MB）",
        "case.upload.action": "操作",
        "case.upload.submit": "提交",
        "case.uploads": "已提交的文件",
        "case.pay": "缴费",
        "case.act": "决定 / 操作",
        "case.act.submit": "记录",
        "case.date": "日期",
        "case.application_text": "申请文件",
        "case.done": "已记录：{action}。当前状态：{state}。",
        "case.refused": "未予办理：{reason}",
        "case.paid": "已缴费：{fee}，{amount} {currency}。",
        "case.pay.fee": "费用",
        "case.pay.year": "专利年度（年费）",
        "queue.title": "工作队列",
        "queue.none": "本局暂无案件。",
        "queue.case": "案件",
        "queue.limit": "期限",
        "queue.due": "届满日",
        "examiner.prior_art": "现有技术检索",
        "examiner.prior_art_before": "仅显示 {date} 之前公开的文献（混合检索）。",
        "examiner.cite": "引用",
        "examiner.category": "类别",
        "examiner.report": "检索报告",
        "examiner.report_empty": "尚未标记引用文献。",
        "examiner.draft": "起草审查意见通知书",
        "examiner.template": "模板",
        "examiner.issue": "发出",
        "examiner.action": "操作",
        "error.title": "错误",
        "error.not_found": "未找到。",
        "error.forbidden": "无权执行此操作：{reason}",
        "error.csrf": "表单已过期，请刷新页面后重试。",
        "error.login_required": "请先登录。",
        "error.index_missing": "检索暂不可用：检索索引尚未建立（或由旧版本建立）。"
                               "请管理员运行 `ipoffice index rebuild`。",
        "error.semantic_missing": "语义索引尚未建立：语义检索和混合检索需要先运行 "
                                  "`ipoffice index rebuild`（关键词检索不受影响）。",
        "error.model_preparing": "概念检索正在准备中（IPC 分类表只需向量化一次）：请几分钟后再试，"
                                 "或先使用混合检索。",
        "common.none": "—",
        "common.back": "返回",
        # public search (j-search)
        "search.examples": "示例",
        "search.placeholder_example": '例如 ti="存储介质" OR ab=深度学习',
        "search.results_semantic": "{total} 条结果（语义最相似的前 {pool} 篇）",
        "search.results_hybrid": "{total} 条结果（关键词与语义综合排序的前 {pool} 篇）",
        "search.results_among": "{total} 条结果（在最相关的前 {pool} 篇中）",
        "search.among_best": "在最相关的前 {pool} 篇中",
        "search.number_search": "号码检索",
        "search.remove_filter": "取消此筛选",
        "search.help_operators": "AND 优先于 OR：a OR b AND c 即 a OR (b AND c)；可用括号分组。"
                                 "-词 表示排除该词，+词 表示必须包含。",
        "case.note": "备注",
        "case.notice_expired": "期限“{limit}”已于 {due} 届满，未办理相应手续。",
        "case.document": "文件",
        "case.none_allowed": "无",
        "file.problem": "{field}：{problem}",
        "file.priority_row": "第 {n} 项优先权的{part}",
        "file.filing_problem": "申请未能提交：{reason}",
        "search.query_error": "{message}",
    },
}


# --- case journeys (issue #12: one-time forms, replies, fees due, IPC on filing) -------------------------
MESSAGES["en"].update({
    "error.form_token": "This form has no valid form token: reload the page and submit it again.",
    "error.already_submitted": "This form was already submitted and is being handled; open the case to see "
                               "the outcome instead of submitting it again.",
    "case.late_until": "late, with surcharge or extension, until {date}",
    "case.fee_year": "year {year}",
    "case.confirm_withdraw": "I confirm: this ends the case and cannot be undone",
    "case.confirm_required": "{action} ends the case: tick the confirmation box to proceed",
    "case.note": "Note",
    "case.fees_due": "Fees due",
    "case.fee_paid": "paid",
    "case.fee_unpaid": "unpaid",
    "examiner.prior_art_query": "Prior-art query",
    "examiner.replies": "Applicant's replies",
    "file.applicant_help": "Leave your own user name to file as the applicant.",
    "file.applicant_help_agent": "Required: the user name of the applicant you file for.",
    "file.ipc": "IPC classification",
    "file.locarno": "Locarno classification",
    "file.locarno_help": "The design's Locarno classes or subclasses, separated by commas, e.g. 14-03; a protection "
                         "centre takes designs of its Locarno fields only.",
    "file.ipc_apply": "Apply",
    "file.ipc_confidence": "{percent}% likely",
    "file.ipc_help": "IPC symbols separated by commas, e.g. H02J 7/00; apply a suggestion with one click.",
    "receipt.agent": "Agent",
    "public_case.publications": "Publication numbers",
})
MESSAGES["zh"].update({
    "error.form_token": "表单缺少有效的表单令牌：请刷新页面后重新提交。",
    "error.already_submitted": "该表单已提交，正在处理；请打开案件查看结果，不要重复提交。",
    "case.late_until": "逾期缴纳滞纳金或延期的最后一日为{date}",
    "case.fee_year": "第{year}年度",
    "case.confirm_withdraw": "本人确认：此操作将终结案件且不可撤销",
    "case.confirm_required": "“{action}”将终结案件：请勾选确认框后再提交",
    "case.note": "备注",
    "case.fees_due": "应缴费用",
    "case.fee_paid": "已缴",
    "case.fee_unpaid": "未缴",
    "examiner.prior_art_query": "现有技术检索式",
    "examiner.replies": "申请人的答复",
    "file.applicant_help": "保留您本人的用户名即以本人为申请人提交。",
    "file.applicant_help_agent": "必填：您所代理的申请人的用户名。",
    "file.ipc": "IPC分类号",
    "file.locarno": "洛迦诺分类号",
    "file.locarno_help": "外观设计的洛迦诺分类号（大类或小类），以逗号分隔，例如 14-03；"
                         "保护中心只受理其领域内洛迦诺分类的外观设计。",
    "file.ipc_apply": "采用",
    "file.ipc_confidence": "可能性 {percent}%",
    "file.ipc_help": "IPC分类号以逗号分隔，例如 H02J 7/00；点击即可采用建议的分类号。",
    "receipt.agent": "代理人",
    "public_case.publications": "公布/公告号",
})
for _lang in LANGUAGES:  # the names of the domain's coded values and problems (see ``vocabulary``)
    MESSAGES[_lang].update(vocabulary.catalogue(_lang))


_CHINESE_NUMBERS = {"I": "一", "II": "二", "III": "三", "IV": "四", "V": "五", "VI": "六", "VII": "七",
                    "VIII": "八", "IX": "九", "X": "十"}
_CHINESE_CITATIONS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"(Patent|Trademark) Law(?: \((\d{4})\))? Art\. ([\d-]+)(?:\((\d+)\))?"),
     lambda m: f"{'专利法' if m[1] == 'Patent' else '商标法'}{f'（{m[2]}年）' if m[2] else ''}第{m[3]}条"
               f"{f'第{m[4]}款' if m[4] else ''}"),
    (re.compile(r"Implementing Regulations(?: \((\d{4})\))? (?:Rule|Art\.) (\d+)(?:\((\d+)\))?"),
     lambda m: f"专利法实施细则{f'（{m[1]}年）' if m[1] else ''}第{m[2]}条{f'第{m[3]}款' if m[3] else ''}"),
    (re.compile(r"Guidelines(?: for Patent Examination)? Part ([IVX]+) Ch\. (\d+) s\. ([\d.]+)"),
     lambda m: f"专利审查指南第{_CHINESE_NUMBERS.get(m[1], m[1])}部分第{m[2]}章第{m[3]}节"),
    (re.compile(r"Measures for Priority Examination of Patents \(CNIPA Order No\. (\d+), (\d{4})\) Art\. (\d+)"),
     lambda m: f"专利优先审查管理办法（国家知识产权局令第{m[1]}号，{m[2]}年）第{m[3]}条"),
    (re.compile(r"(.+) \(five months of extension\)"), lambda m: f"{m[1]}（可延长五个月）"),
    (re.compile(r"Trademark Implementing Regulations(?: \((\d{4})\))? Art\. (\d+)(?:\((\d+)\))?"),
     lambda m: f"商标法实施条例{f'（{m[1]}年）' if m[1] else ''}第{m[2]}条{f'第{m[3]}款' if m[3] else ''}"),
    (re.compile(r"Madrid Protocol Art\. (\d+)(?:\((\d+)\))?(?:\(([a-z])\))?"),
     lambda m: f"马德里议定书第{m[1]}条{f'第{m[2]}款' if m[2] else ''}{f'第({m[3]})项' if m[3] else ''}"),
    (re.compile(r"Madrid \(Marks\) Notification No\. (\d+)"), lambda m: f"马德里（商标）通知第{m[1]}号"),
    (re.compile(r"Measures for Patent Pledge Registration \(CNIPA Announcement No\. (\d+), (\d{4})-(\d\d)-(\d\d)\)"
                r": (\d+) working days"),
     lambda m: f"专利权质押登记办法（国家知识产权局公告第{m[1]}号，{m[2]}年{int(m[3])}月{int(m[4])}日）："
               f"{m[5]}个工作日"),
    (re.compile(r"Measures for Patent Pledge Registration \(.+?(\d{4})\): (\d+) working days"),
     lambda m: f"专利权质押登记办法（{m[1]}年）：{m[2]}个工作日"),
    (re.compile(r"(Civil Code|Property Law) Art\. (\d+)(?:\((\d+)\))?"),
     lambda m: f"{'民法典' if m[1] == 'Civil Code' else '物权法'}第{m[2]}条{f'第{m[3]}款' if m[3] else ''}"),
    (re.compile(r"Patent Law \((\d{4})\) Arts\. (\d+(?:\(\d+\))?(?:, \d+(?:\(\d+\))?)*)"),
     lambda m: f"专利法（{m[1]}年）" + "、".join(
         re.sub(r"(\d+)(?:\((\d+)\))?", lambda a: f"第{a[1]}条" + (f"第{a[2]}款" if a[2] else ""), item)
         for item in m[2].split(", "))),
)


def _chinese_reference(part: str) -> str:
    for pattern, cite in _CHINESE_CITATIONS:
        match = pattern.fullmatch(part)
        if match:
            return cite(match)
    return part


def negotiate(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    """The interface language of a request (see the module docstring)."""
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return candidate
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


class Translator:
    """Messages, dates and numbers of one language, as templates use them (``t``, ``fmt_date``...)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self.messages = MESSAGES[self.lang]

    def __call__(self, key: str, **values: object) -> str:
        # A missing Chinese message falls back to English, a missing key shows itself (and is spotted).
        text = self.messages.get(key) or MESSAGES[DEFAULT_LANGUAGE].get(key) or key
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self.messages

    def label(self, prefix: str, value: str) -> str:
        """A coded value's label (``right.invention`` → Invention), the value itself when unknown."""
        key = f"{prefix}.{value}"
        return self(key) if key in self.messages else value.replace("_", " ")

    def term(self, prefix: str, code: object) -> str:
        """The name of a coded value of the domain (``term('state.', 'filed')``, ``term('', fee_name)``); an
        unknown code (data imported from elsewhere) is shown as it is."""
        key = f"{prefix}{code}"
        return self.messages[key] if key in self.messages else str(code)

    def reference(self, text: str) -> str:
        """A legal reference of the rule books ("Patent Law (2020) Art. 42; Implementing Regulations Rule 6(2)")
        as the page's language cites it (专利法（2020年）第42条；专利法实施细则第6条第2款); US references
        (U.S.C., CFR, MPEP) are cited as they are."""
        if self.lang != "zh":
            return text
        return "；".join(_chinese_reference(part.strip()) for part in text.split(";"))

    def date(self, value: date | str | None) -> str:
        if value is None or value == "":
            return self("common.none")
        d = date.fromisoformat(value) if isinstance(value, str) else value
        if self.lang == "zh":
            return f"{d.year}年{d.month}月{d.day}日"
        return f"{d.day} {d.strftime('%b')} {d.year}"

    def number(self, value: int | float | Decimal) -> str:
        if isinstance(value, int):
            return f"{value:,}"
        return f"{value:,.2f}"

    def money(self, amount: Decimal | int | float, currency: str) -> str:
        if self.lang == "zh" and currency == "CNY":
            return f"{self.number(Decimal(amount))} 元"
        return f"{currency} {self.number(Decimal(amount))}"


# Each area's portal messages, one catalogue per module (``CATALOGUE = {"en": {...}, "zh": {...}}``).
_AREAS = (messages_statistics, messages_matching, messages_recordals, messages_centres, messages_disputes,
          messages_tm_exam, messages_trademarks, messages_inventory, messages_marketplace)
for _area in _AREAS:
    for _lang in LANGUAGES:
        MESSAGES[_lang].update(_area.CATALOGUE[_lang])
for _lang in LANGUAGES:  # issue #17: dispute suspension and filing, centre registrations
    MESSAGES[_lang].update(messages_protection.CATALOGUE[_lang])
