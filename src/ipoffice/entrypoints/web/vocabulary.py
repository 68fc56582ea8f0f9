"""The portal's names for the coded values the domain and the rule books expose: case states, actions and
the case file's records (the events of a case), time limits, fees, fee reductions, roles, citation
categories and sources, and the problems it reports by code (query errors, invalid fields, refusals) —
each ``code: (English, Chinese)``.

``CATALOGUE`` turns them into message keys (``state.<code>``, ``action.<code>``, ``time_limit.<code>``,
``<fee parameter>`` as in the rule book, ``reduction.<code>``, ``role.<code>``, ``category.<code>``,
``cited_by.<code>``) that ``i18n`` merges into both languages. ``tests/unit/test_i18n_catalogue.py``
enumerates the codes from the procedures, the rule books and the domain enums, so a code added there
without a name here fails the test instead of reaching a Chinese page raw.
"""

from __future__ import annotations

Names = dict[str, tuple[str, str]]

STATES: Names = {
    "new": ("New", "新建"),
    "filed": ("Filed", "已受理"),
    "formality_examined": ("Formalities examined", "初步审查合格"),
    "awaiting_correction": ("Awaiting correction", "等待补正"),
    "awaiting_examination": ("Awaiting examination", "等待实质审查"),
    "under_examination": ("Under examination", "实质审查中"),
    "awaiting_response": ("Awaiting the applicant's response", "等待申请人答复"),
    "response_filed": ("Response filed", "已答复"),
    "response_after_final": ("Response after final rejection", "最终驳回后已答复"),
    "published": ("Published", "已公布"),
    "published_for_opposition": ("Published for opposition", "初步审定公告（异议期）"),
    "opposed": ("Opposed", "异议审理中"),
    "allowed": ("Allowed", "准予授权"),
    "grant_notified": ("Grant notified", "已发出授权通知"),
    "issue_fee_paid": ("Issue fee paid", "已缴纳授权费"),
    "granted": ("Granted", "已授权"),
    "patented": ("Patented", "已授予专利权"),
    "registered": ("Registered", "已注册"),
    "non_final_rejection": ("Non-final rejection", "非最终驳回"),
    "final_rejection": ("Final rejection", "最终驳回"),
    "finally_rejected": ("Finally rejected", "驳回已生效"),
    "finally_refused": ("Finally refused", "驳回决定已生效"),
    "refused": ("Refused", "已驳回"),
    "rejected": ("Rejected", "已驳回"),
    "restriction_required": ("Restriction required", "需作限制性选择"),
    "quayle_action": ("Formal matters to settle (Quayle)", "待解决形式问题"),
    "appeal_pending": ("Appeal pending", "上诉审理中"),
    "appeal_brief_filed": ("Appeal brief filed", "已提交上诉理由书"),
    "under_reexamination": ("Under reexamination", "复审中"),
    "under_review": ("Under review", "复审审理中"),
    "invalidation_pending": ("Invalidation pending", "无效宣告审理中"),
    "invalidated": ("Invalidated", "已宣告无效"),
    "withdrawn": ("Withdrawn", "已撤回"),
    "deemed_withdrawn": ("Deemed withdrawn", "视为撤回"),
    "abandoned": ("Abandoned", "已放弃"),
    "right_abandoned": ("Right deemed abandoned", "视为放弃取得专利权"),
    "lapsed": ("Lapsed", "已终止"),
    "expired": ("Expired", "已届满"),
    "cancelled": ("Cancelled", "已注销"),
}

ACTIONS: Names = {
    "file": ("File the application", "提交申请"),
    "accept_for_examination": ("Accept for examination", "受理并进入审查"),
    "pass_formality_examination": ("Pass the formality examination", "初步审查合格"),
    "notify_formality_deficiency": ("Notify a formal deficiency", "发出补正通知书"),
    "submit_correction": ("Submit a correction", "提交补正"),
    "request_early_publication": ("Request early publication", "请求提前公布"),
    "publish": ("Publish", "公布"),
    "request_substantive_examination": ("Request substantive examination", "请求实质审查"),
    "start_substantive_examination": ("Start substantive examination", "开始实质审查"),
    "office_action": ("Issue an office action", "发出审查意见通知书"),
    "respond": ("Respond to the office action", "答复审查意见"),
    "reply": ("Reply", "答复"),
    "request_extension": ("Request an extension of the time limit", "请求延长期限"),
    "extension_of_time": ("Extension of time", "延长期限"),
    "notify_grant": ("Notify the grant", "发出授予专利权通知"),
    "complete_registration": ("Complete the registration formalities", "办理登记手续"),
    "announce_grant": ("Announce the grant", "公告授权"),
    "refuse": ("Refuse", "驳回"),
    "reject": ("Reject", "驳回"),
    "refusal_final": ("Refusal becomes final", "驳回决定生效"),
    "rejection_final": ("Rejection becomes final", "驳回生效"),
    "request_reexamination": ("Request reexamination", "请求复审"),
    "overturn_refusal": ("Overturn the refusal", "撤销驳回决定"),
    "uphold_refusal": ("Uphold the refusal", "维持驳回决定"),
    "uphold_rejection": ("Uphold the rejection", "维持驳回"),
    "revoke_rejection": ("Withdraw the rejection", "撤销驳回"),
    "withdraw": ("Withdraw the application", "撤回申请"),
    "deem_withdrawn": ("Deem withdrawn", "视为撤回"),
    "deem_right_abandoned": ("Deem the right abandoned", "视为放弃取得专利权"),
    "pay_annuity": ("Pay the annual fee", "缴纳年费"),
    "lapse": ("Lapse", "专利权终止"),
    "restore": ("Restore", "恢复"),
    "restore_right": ("Restore the right", "恢复权利"),
    "restore_patent": ("Restore the patent", "恢复专利权"),
    "request_invalidation": ("Request invalidation", "请求宣告无效"),
    "declare_invalid": ("Declare invalid", "宣告无效"),
    "maintain_patent": ("Maintain the patent", "维持专利权有效"),
    "expire_term": ("Term of protection ends", "保护期届满"),
    "expire_for_nonpayment": ("Expire for non-payment", "因未缴费而终止"),
    "approve_preliminarily": ("Approve preliminarily", "初步审定"),
    "file_opposition": ("File an opposition", "提出异议"),
    "register": ("Register", "核准注册"),
    "refuse_registration": ("Refuse registration", "驳回注册申请"),
    "request_review": ("Request review of the refusal", "请求驳回复审"),
    "renew": ("Renew", "续展"),
    "cancel_for_non_renewal": ("Cancel for non-renewal", "因未续展而注销"),
    "non_final_rejection": ("Non-final rejection", "非最终驳回"),
    "mail_non_final_rejection": ("Mail a non-final rejection", "发出非最终驳回通知"),
    "final_rejection": ("Final rejection", "最终驳回"),
    "mail_final_rejection": ("Mail a final rejection", "发出最终驳回通知"),
    "advisory_action": ("Advisory action", "发出建议性通知"),
    "restriction_requirement": ("Restriction requirement", "发出限制性要求"),
    "reply_to_restriction": ("Reply to the restriction requirement", "答复限制性要求"),
    "quayle_action": ("Quayle action (formal matters)", "发出形式问题通知"),
    "reply_to_quayle_action": ("Reply to the Quayle action", "答复形式问题通知"),
    "reply_after_final": ("Reply after final rejection", "最终驳回后答复"),
    "file_rce": ("Request continued examination", "请求继续审查"),
    "notice_of_appeal": ("Notice of appeal", "提出上诉"),
    "file_appeal_brief": ("File the appeal brief", "提交上诉理由书"),
    "board_decision": ("Decision of the appeal board", "上诉委员会决定"),
    "notice_of_allowance": ("Notice of allowance", "发出准予授权通知"),
    "corrected_notice_of_allowability": ("Corrected notice of allowability", "更正的准予授权通知"),
    "mail_corrected_notice_of_allowability": ("Mail a corrected notice of allowability", "发出更正的准予授权通知"),
    "pay_issue_fee": ("Pay the issue fee", "缴纳授权费"),
    "issue_patent": ("Issue the patent", "颁发专利证书"),
    "pay_maintenance_fee": ("Pay the maintenance fee", "缴纳维持费"),
    "accept_delayed_maintenance_fee": ("Accept a delayed maintenance fee", "接受逾期缴纳的维持费"),
    "abandon_for_failure_to_reply": ("Abandon for failure to reply", "因未答复而视为放弃"),
    "abandon_for_failure_to_pay_issue_fee": ("Abandon for failure to pay the issue fee", "因未缴授权费而视为放弃"),
    "express_abandonment": ("Express abandonment", "明示放弃"),
    "abandon_expressly": ("Abandon expressly", "明示放弃"),
    "surrender": ("Surrender", "放弃权利"),
    "revive": ("Revive the application", "恢复申请"),
    # records of the case file (ipoffice.domain.case_file)
    "cite_in_search_report": ("Cite in the search report", "列入检索报告"),
    "attach_document": ("Attach a document", "提交文件"),
    "pay_fee": ("Pay a fee", "缴费"),
}

TIME_LIMITS: Names = {
    "formality_correction": ("Correction of formal deficiencies", "补正期限"),
    "request_examination": ("Request for substantive examination", "提出实质审查请求期限"),
    "office_action_response": ("Response to the office action", "答复审查意见期限"),
    "registration_formalities": ("Registration formalities", "办理登记手续期限"),
    "reexamination_request": ("Request for reexamination", "请求复审期限"),
    "annuity": ("Annual fee", "年费缴纳期限"),
    "restoration": ("Request for restoration", "请求恢复权利期限"),
    "term": ("Term of protection", "保护期"),
    "opposition_period": ("Opposition period", "异议期"),
    "review_request": ("Request for review", "请求复审期限"),
    "registration_term": ("Term of the registration", "注册有效期"),
    "reply_to_non_final_rejection": ("Reply to the non-final rejection", "答复非最终驳回期限"),
    "reply_to_final_rejection": ("Reply to the final rejection", "答复最终驳回期限"),
    "reply_to_restriction": ("Reply to the restriction requirement", "答复限制性要求期限"),
    "reply_to_quayle_action": ("Reply to the Quayle action", "答复形式问题通知期限"),
    "appeal_brief": ("Appeal brief", "提交上诉理由书期限"),
    "issue_fee": ("Issue fee", "缴纳授权费期限"),
    "maintenance_fee": ("Maintenance fee", "缴纳维持费期限"),
}

PROCEDURES: Names = {
    "cn_invention": ("CN invention patent application", "中国发明专利申请"),
    "cn_utility_model": ("CN utility model application", "中国实用新型专利申请"),
    "cn_design": ("CN design patent application", "中国外观设计专利申请"),
    "cn_trademark": ("CN trademark application", "中国商标注册申请"),
    "us_utility": ("US utility patent application", "美国发明专利申请"),
}

# the examiner's office action templates (``pages_examiner.TEMPLATES``)
ACTION_TEMPLATES: Names = {
    "novelty": ("Lack of novelty", "缺乏新颖性"),
    "inventive_step": ("Lack of inventive step", "缺乏创造性"),
    "formalities": ("Formal deficiencies", "形式缺陷"),
}

# keyed by the rule books' parameter names
FEES: Names = {
    "fee.invention.application": ("Application fee (invention)", "发明专利申请费"),
    "fee.invention.publication_printing": ("Publication printing fee", "发明专利申请公布印刷费"),
    "fee.invention.examination": ("Substantive examination fee", "发明专利申请实质审查费"),
    "fee.invention.registration": ("Registration fee (invention)", "发明专利登记费"),
    "fee.invention.annuity": ("Annual fee (invention)", "发明专利年费"),
    "fee.utility_model.application": ("Application fee (utility model)", "实用新型专利申请费"),
    "fee.utility_model.annuity": ("Annual fee (utility model)", "实用新型专利年费"),
    "fee.design.application": ("Application fee (design)", "外观设计专利申请费"),
    "fee.design.annuity": ("Annual fee (design)", "外观设计专利年费"),
    "fee.priority_claim": ("Priority claim fee (per priority)", "优先权要求费（每项）"),
    "fee.reexamination": ("Reexamination fee", "复审费"),
    "fee.restoration": ("Restoration fee", "恢复权利请求费"),
    "fee.extension_first_month": ("Extension fee (first month)", "延长期限请求费（第一个月）"),
    "fee.invalidation": ("Invalidation fee", "无效宣告请求费"),
    "fee.trademark.application": ("Trademark application fee (per class)", "商标注册申请费（每类）"),
    "fee.trademark.renewal": ("Trademark renewal fee", "商标续展注册费"),
    "fee.utility.basic_filing": ("Basic filing fee", "基本申请费"),
    "fee.utility.search": ("Search fee", "检索费"),
    "fee.utility.examination": ("Examination fee", "审查费"),
    "fee.utility.issue": ("Issue fee", "授权费"),
}

# keyed by the code after ``fee_reduction.`` in the rule books
REDUCTIONS: Names = {
    "single_applicant": ("One eligible applicant (pays 15%)", "单个申请人减缴（缴纳 15%）"),
    "joint_applicants": ("Joint eligible applicants (pay 30%)", "多个申请人减缴（缴纳 30%）"),
    "small_entity": ("Small entity", "小实体减费"),
    "micro_entity": ("Micro entity", "微实体减费"),
}

ROLES: Names = {
    "applicant": ("Applicant", "申请人"),
    "assignee": ("Assignee", "专利权人"),
    "inventor": ("Inventor", "发明人"),
    "agent": ("Agent", "代理人"),
    "examiner": ("Examiner", "审查员"),
    "reviewing_examiner": ("Reviewing examiner", "复审审查员"),
    "registrar": ("Registrar", "登记员"),
    "office_admin": ("Office administrator", "局管理员"),
}

CITATION_CATEGORIES: Names = {
    "X": ("X: particularly relevant on its own", "X：单独影响新颖性或创造性"),
    "Y": ("Y: relevant combined with another document", "Y：与其他文件结合影响创造性"),
    "A": ("A: general state of the art", "A：背景技术"),
}

CITED_BY: Names = {
    "applicant": ("cited by the applicant", "申请人引用"),
    "examiner": ("cited by the examiner", "审查员引用"),
    "third_party": ("cited by a third party", "第三方引用"),
    "unknown": ("source not recorded", "引用来源未记录"),
}

# Problems by code, with their parameters: the query parser's (``QueryError.code``), the filing form's
# (``FilingInvalid.problems``), request parameters' (pydantic error types) and the pages' refusals.
QUERY_ERRORS: Names = {
    "invalid": ("the query cannot be read at position {position}", "检索式第 {position} 个字符处无法解析"),
    "empty": ("the query is empty: type a search term", "检索式为空：请输入检索词"),
    "unknown_field": ("unknown field {field}; valid fields: {codes}", "未知字段 {field}；可用字段：{codes}"),
    "unsupported_field": ("the field {field} cannot be searched in this register", "本登记簿不支持检索字段 {field}"),
    "unterminated_phrase": ('unterminated phrase at position {position}: add the closing "',
                            '第 {position} 个字符处的短语缺少右引号 "'),
    "empty_phrase": ("empty phrase at position {position}: put words between the quotes",
                     "第 {position} 个字符处的短语为空：请在引号之间输入词语"),
    "unexpected": ("unexpected {found} at position {position}", "第 {position} 个字符处不应出现 {found}"),
    "unexpected_end": ("the query ends too early (position {position}): a term or a ')' is missing",
                       "检索式在第 {position} 个字符处提前结束：缺少检索词或右括号"),
    "operator_without_term": ("{operator} at position {position} needs a search term on each side",
                              "第 {position} 个字符处的 {operator} 两侧都需要检索词"),
    "too_deep": ("parentheses nested too deeply (at most {limit} levels)", "括号嵌套过深（最多 {limit} 层）"),
    "date_format": ("expected a date like 2015, 2015-03, 2015-03-01 or 01/03/2015 at position {position}, "
                    "found {found}", "第 {position} 个字符处应为日期，如 2015、2015-03、2015-03-01 或 01/03/2015，"
                                     "实际为 {found}"),
    "date_range": ("date out of range: {found}; dates must lie between {first} and {last}",
                   "日期超出范围：{found}；日期须在 {first} 年至 {last} 年之间"),
    "date_invalid": ("no such date: {found}", "日期不存在：{found}"),
    "classification": ("expected a classification symbol like H04W, H04W72 or H04W72/04, found {found}",
                       "应为分类号，如 H04W、H04W72 或 H04W72/04，实际为 {found}"),
    "number": ("{field}: expected a number like US 8,421,271 B2 or ZL201810358967.5, found {found}",
               "{field}：应为文献号，如 US 8,421,271 B2 或 ZL201810358967.5，实际为 {found}"),
    "too_long": ("the text is {count} characters long; the limit is {limit} ({name})",
                 "文本长 {count} 个字符，上限为 {limit}（{name}）"),
    "too_many_words": ("the text has {count} distinct words; the limit is {limit} ({name})",
                       "文本含 {count} 个不同的词，上限为 {limit}（{name}）"),
    "too_many_terms": ("the query has {count} terms; the limit is {limit} ({name})",
                       "检索式含 {count} 个检索词，上限为 {limit}（{name}）"),
    "too_many_wildcards": ("the query has {count} truncated words (*, ? or #); the limit is {limit} ({name})",
                           "检索式含 {count} 个截词（*、? 或 #），上限为 {limit}（{name}）"),
    "wildcard_prefix": ("{found}: a truncated word needs at least {limit} characters before *, ? or # ({name})",
                        "{found}：截词符 *、? 或 # 之前至少需要 {limit} 个字符（{name}）"),
    "date_out_of_range": ("date out of range: dates must lie between {first} and {last}",
                          "日期超出范围：日期须在 {first} 年至 {last} 年之间"),
    "unsupported_construct": ("{construct} is not supported in a query of this register",
                              "本登记簿的检索式不支持 {construct}"),
    "proximity": ("the proximity operator {found} is not understood: use prox/distance<n, "
                  "prox/distance<n/ordered or prox/ordered",
                  "无法识别邻近运算符 {found}：请使用 `prox/distance<n`、`prox/distance<n/ordered` 或 `prox/ordered`"),
    "engine": ("the search engine cannot run this query", "检索引擎无法执行此检索式"),
}

VALIDATION: Names = {
    "invalid": ("is not valid", "无效"),
    "required": ("is required", "为必填项"),
    "too_long": ("is longer than {limit} characters", "超过 {limit} 个字符"),
    "unknown_procedure": ("unknown; choose one of {choices}", "未知，请选择：{choices}"),
    "unknown_office": ("no such office", "没有该受理局"),
    "reduction_unavailable": ("not available for this kind of application; choose one of {choices}",
                              "不适用于此类申请，请选择：{choices}"),
    "nice_classes": ("must be numbers between 1 and 45, separated by commas", "应为 1 至 45 之间的数字，以逗号分隔"),
    "not_a_list": ("must be a list of priority claims", "应为优先权要求的列表"),
    "not_an_object": ("must give a country, a number and a date", "应填写国家、申请号和日期"),
    "country_code": ("must be a two-letter country code", "应为两个字母的国家代码"),
    "future_date": ("is in the future", "不能晚于今天"),
    "date": ("must be a date (year-month-day)", "应为日期（年-月-日）"),
    "whole_number": ("must be a whole number", "应为整数"),
    "at_least": ("must be at least {limit}", "不能小于 {limit}"),
    "at_most": ("must be at most {limit}", "不能大于 {limit}"),
    "unknown_user": ("there is no registered user {user}", "没有已注册的用户 {user}"),
    "year": ("expected a year like 2010, found {found}", "应为年份，如 2010，实际为 {found}"),
    "one_of": ("must be one of {choices}", "应为以下之一：{choices}"),
    "ipc_symbol": ("{symbol} is not an IPC symbol (e.g. H02J 7/00 or H02J)",
                   "{symbol} 不是 IPC 分类号（例如 H02J 7/00 或 H02J）"),
    "at_most_symbols": ("at most {limit} symbols", "最多 {limit} 个分类号"),
    "locarno_class": ("{symbol} is not a Locarno class (e.g. 14-03 or 14)",
                      "{symbol} 不是洛迦诺分类号（例如 14-03 或 14）"),
    "applicant_required": ("is required: name the applicant you file for", "为必填项：请填写您代为申请的申请人"),
}

ERRORS: Names = {
    "not_party": ("{user} is not an applicant or agent", "{user} 不是申请人或代理人"),
    "not_staff": ("{user} is not office staff", "{user} 不是审查部门工作人员"),
    "not_office_case": ("{number} is not a case of {office}", "{number} 不是 {office} 的案件"),
    "no_form": ("There is no filing form for {procedure}.", "没有 {procedure} 的申请表。"),
    "no_case": ("No case with application number {number}.", "没有申请号为 {number} 的案件。"),
    "unknown_language": ("Unknown language {code}.", "不支持的语言 {code}。"),
    "method_not_allowed": ("This address only receives forms: go back to the page and use its form.",
                           "该地址只接收表单提交：请返回页面并使用页面上的表单。"),
    "bad_request": ("The request is not valid.", "请求无效。"),
    "http": ("The request could not be completed (HTTP {status}).", "请求未能完成（HTTP {status}）。"),
    "invalid_parameters": ("Invalid parameters: {details}", "参数无效：{details}"),
    "not_allowed": ("“{action}” is not possible while the case is “{state}”; possible now: {allowed}.",
                    "案件处于“{state}”状态，不能办理“{action}”；当前可办理：{allowed}。"),
    "not_published": ("application {number} is not published", "申请 {number} 尚未公布"),
    "not_published_nor_own": ("application {number} is not published and is not a case of {user}",
                              "申请 {number} 尚未公布，且不是 {user} 的案件"),
    "public_cannot_act": ("log in to act on a case", "请登录后再办理案件"),
    "party_action": ("“{action}” is for the applicant or agent of {number}, not {user}",
                     "“{action}”只能由 {number} 的申请人或代理人办理，{user} 不能办理"),
    "needs_role": ("“{action}” needs the role {roles}; {user} has none",
                   "“{action}”需要以下角色之一：{roles}；{user} 没有该角色"),
    "outside_office": ("{number} is handled by {office}, outside the office {user_office} of {user}",
                       "{number} 由 {office} 办理，不在 {user} 所属的 {user_office} 范围内"),
    "filing_needs_party": ("filing needs a registered applicant or agent", "提交申请需要已注册的申请人或代理人"),
    "may_not_file_for": ("{user} may not file for the applicant {applicant}",
                         "{user} 不能以申请人 {applicant} 的名义提交申请"),
    "action_refused": ("“{action}” refused: {why}", "不能办理“{action}”：{why}"),
    "unknown_user": ("there is no registered user {user}", "没有已注册的用户 {user}"),
    "search_unavailable": ("The search is not available at the moment.", "检索暂不可用。"),
}

# why the procedures refuse an action (``Reason.code`` of ``ipoffice.domain.procedures.base``)
REFUSALS: Names = {
    "refused": ("{text}", "不符合办理条件"),
    "wrong_procedure": ("the case belongs to another procedure ({procedure})", "案件属于其他程序（{procedure}）"),
    "already_requested": ("already requested on {on}; a request is made once",
                          "已于 {on} 提出请求，同一请求只能提出一次"),
    "registration_unpaid": ("unpaid: {fees} ({rule})",
                            "尚未缴纳：{fees}（专利法实施细则（2010年）第97条：办理登记手续时应缴纳的费用）"),
    "fee_already_paid": ("{fee} is already paid", "{fee} 已缴纳"),
    "before_last_event": ("dated {on}, before the last event of the case ({last})",
                          "日期 {on} 早于案件的上一事件（{last}）"),
    "nothing_to_extend": ("no open time limit to extend ({limits})", "没有可延长的期限（{limits}）"),
    "extension_months": ("give the extension in whole months", "请以整月数请求延长"),
    "not_extendable": ("the time limit “{limit}” cannot be extended", "期限“{limit}”不能延长"),
    "extension_too_late": ("an extension of {months} month(s) ends on {due}, before the request",
                           "延长 {months} 个月至 {due}，早于请求日"),
    "limit_ended": ("requested after the time limit ended on {due}", "请求晚于期限届满日 {due}"),
    "extension_beyond_maximum": ("an extension to {due} goes beyond the last possible day, {maximum}",
                                 "延长至 {due} 超过最长期限 {maximum}"),
    "priority_after_filing": ("the priority date {claimed} is after the filing date {filed}",
                              "优先权日 {claimed} 晚于申请日 {filed}"),
    "priority_too_old": ("the priority date {claimed} is too old: the application had to be filed by {due} "
                         "(Patent Law Art. 29)", "优先权日 {claimed} 已超过优先权期限：申请应不晚于 {due} 提出"
                                                 "（专利法第二十九条）"),
    "restoration_expired": ("the time limit for requesting restoration has expired (Implementing Regulations "
                            "Rule 6(2))", "请求恢复权利的期限已届满（专利法实施细则第六条第二款）"),
    "publication_not_due": ("publication is due on {due} (Patent Law Art. 34) and early publication was not "
                            "requested", "公布日为 {due}（专利法第三十四条），且未请求提前公布"),
    "examination_not_requested": ("substantive examination has not been requested (Patent Law Art. 35)",
                                  "尚未请求实质审查（专利法第三十五条）"),
    "no_registration_term": ("the mark has no registration term", "该商标没有注册有效期"),
    "renewal_too_early": ("renewal may be filed from {earliest}, 12 months before the term ends on {ends} "
                          "(Trademark Law Art. 40)", "续展申请自 {earliest} 起方可提出，即有效期于 {ends} 届满前 "
                                                     "12 个月（商标法第四十条）"),
    "renewal_grace_ended": ("the grace period for renewal ended on {grace} (Trademark Law Art. 40)",
                            "续展宽展期已于 {grace} 届满（商标法第四十条）"),
    "file_too_large": ("larger than {limit} MB", "超过 {limit} MB"),
    "file_empty": ("the file is empty", "文件为空"),
    "file_type": ("files of type {suffix} are not accepted; accepted: {accepted}",
                  "不接受 {suffix} 类型的文件；可接受：{accepted}"),
    "file_not_utf8": ("a .txt document must be UTF-8 text", "TXT 文件须为 UTF-8 编码的文本"),
    "file_content": ("the content is not a {suffix} document", "文件内容不是 {suffix} 文档"),
    "maintenance_all_paid": ("all three maintenance fees have been paid", "三期维持费均已缴纳"),
}

# (message key prefix, names); the fees are keyed by their full rule-book name
# The offices of the demo hierarchy (services.procedures.DEMO_OFFICES) in both languages; an office configured
# elsewhere without an entry here is shown by its own name.
OFFICES: Names = {
    "CNIPA": ("China National Intellectual Property Administration", "国家知识产权局"),
    "CN-JS": ("Jiangsu Intellectual Property Administration", "江苏省知识产权局"),
    "CN-JS-SZ": ("Suzhou Intellectual Property Office", "苏州市知识产权局"),
    "CN-JS-SPC": ("Jiangsu IP Service Promotion Centre", "江苏省知识产权服务促进中心"),
    "CN-ZJ": ("Zhejiang Intellectual Property Administration", "浙江省知识产权局"),
    "USPTO": ("United States Patent and Trademark Office", "美国专利商标局"),
}

KINDS: tuple[tuple[str, Names], ...] = (
    ("office.", OFFICES),
    ("procedure.", PROCEDURES),
    ("examiner.template.", ACTION_TEMPLATES),
    ("state.", STATES),
    ("action.", ACTIONS),
    ("time_limit.", TIME_LIMITS),
    ("", FEES),
    ("reduction.", REDUCTIONS),
    ("role.", ROLES),
    ("category.", CITATION_CATEGORIES),
    ("cited_by.", CITED_BY),
    ("query.", QUERY_ERRORS),
    ("validation.", VALIDATION),
    ("error.", ERRORS),
    ("refusal.", REFUSALS),
)


def catalogue(lang: str) -> dict[str, str]:
    """The message keys of every coded value in ``lang`` (``en`` or ``zh``)."""
    index = 0 if lang == "en" else 1
    return {prefix + code: names[index] for prefix, table in KINDS for code, names in table.items()}


# An international registration designating China (domain/procedures/cn_madrid_trademark.py).
MADRID: tuple[tuple[str, Names], ...] = (
    ("procedure.", {"cn_madrid_trademark": ("International registration designating China (Madrid)",
                                              "指定中国的马德里国际注册")}),
    ("state.", {
        "protected": ("Protected in China", "在中国获得保护"),
        "provisionally_refused": ("Provisionally refused", "临时驳回"),
        "ceased": ("Ceased to have effect", "已终止效力"),
    }),
    ("action.", {
        "end_opposition_period": ("End of the opposition period", "异议期届满"),
        "reject_opposition": ("Reject the opposition", "驳回异议"),
        "provisionally_refuse": ("Notify a provisional refusal", "发出临时驳回通知"),
        "grant_protection": ("Statement of grant of protection", "给予保护声明"),
        "deem_protected": ("Protection deemed granted", "视为给予保护"),
        "record_renewal": ("Record the renewal", "登记续展"),
        "record_transfer": ("Record the transfer", "登记转让"),
        "record_limitation": ("Record the limitation", "登记删减商品或服务"),
        "lapse_for_non_renewal": ("Lapse for non-renewal", "因未续展而失效"),
        "record_ceasing_of_effect": ("Record the ceasing of effect", "登记终止效力"),
    }),
    ("time_limit.", {
        "refusal_period": ("Refusal period (18 months)", "驳回期限（18个月）"),
        "protection_term": ("Term of protection", "保护期"),
    }),
    ("refusal.", {
        "invalid_payload": ("{field} must be {expected}", "{field} 应为：{expected}"),
        "date_after_notification": ("{field} is after the notification ({on})", "{field} 晚于通知日（{on}）"),
        "opposition_period_running": ("protection may be granted once the opposition period has ended on {due} "
                                      "(Trademark Implementing Regulations Art. 45)",
                                      "异议期于 {due} 届满后方可给予保护（商标法实施条例第四十五条）"),
    }),
)
KINDS = KINDS + MADRID
