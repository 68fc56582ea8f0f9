"""Portal messages of the IP protection centres and their fast pre-examination (zh/en): the fast-track
procedures' states, actions and time limit, why a filing through a centre is refused, the filing form's centre
field, the demo centre's name."""

from __future__ import annotations

_MESSAGES: dict[str, tuple[str, str]] = {
    # the demo hierarchy's protection centre (services.procedures.DEMO_OFFICES)
    "office.CN-JS-SZ-PC": ("China (Suzhou) Intellectual Property Protection Centre", "中国（苏州）知识产权保护中心"),
    # procedures
    "procedure.cn_invention_fast_track": ("CN invention, fast track (protection centre)",
                                          "发明专利快速预审（保护中心）"),
    "procedure.cn_utility_model_fast_track": ("CN utility model, fast track (protection centre)",
                                              "实用新型专利快速预审（保护中心）"),
    "procedure.cn_design_fast_track": ("CN design, fast track (protection centre)", "外观设计专利快速预审（保护中心）"),
    # states
    "state.pre_examination_requested": ("Pre-examination requested", "已提交预审请求"),
    "state.formality_checked": ("Formalities checked", "形式审查合格"),
    "state.classified": ("Classified", "已分类"),
    "state.searched": ("Search report drawn up", "已作出检索报告"),
    "state.pre_examined": ("Passed pre-examination", "预审合格"),
    "state.pre_examination_refused": ("Pre-examination not passed", "预审不合格"),
    "state.fast_track_examination": ("Fast-track examination", "快速审查中"),
    # actions
    "action.pass_formality_check": ("Formalities checked", "形式审查合格"),
    "action.classify": ("Classify", "分类"),
    "action.draw_up_search_report": ("Draw up the search report", "作出检索报告"),
    "action.pass_pre_examination": ("Pre-examination passed", "预审合格"),
    "action.refuse_pre_examination": ("Pre-examination not passed", "预审不合格"),
    "action.withdraw_pre_examination_request": ("Withdraw the pre-examination request", "撤回预审请求"),
    "action.file_with_national_office": ("File with the national office (fast track)",
                                         "向国家知识产权局正式提交（快速通道）"),
    # time limit
    "time_limit.fast_track_response": ("Reply on the fast track", "快速审查答复期限"),
    # why the fast track refuses
    "refusal.centre_required": ("a fast-track request names the protection centre", "快速预审请求应指明保护中心"),
    "refusal.ipc_required": ("the classification gives the IPC symbols", "分类应给出IPC分类号"),
    "refusal.locarno_required": ("the classification gives the Locarno classes", "分类应给出洛迦诺分类号"),
    "refusal.citations_required": ("the search report lists the documents cited (X, Y or A), or none",
                                   "检索报告应列出引用文件（X、Y或A类），或注明无相关文件"),
    "refusal.centre_unknown": ("{centre} is not a protection centre (centres: {known})",
                               "{centre}不是知识产权保护中心（保护中心：{known}）"),
    "refusal.centre_no_fields": ("protection centre {centre} has no technical fields in force on {on}",
                                 "保护中心{centre}在{on}没有有效的预审技术领域"),
    "refusal.centre_right_type": ("protection centre {centre} does not pre-examine this kind of application "
                                  "(it handles: {handled})", "保护中心{centre}不受理该类型专利申请的预审"),
    "refusal.centre_pct_national_phase": ("a PCT application entering the national phase cannot be pre-examined "
                                          "by a protection centre", "进入中国国家阶段的国际申请不能由保护中心预审"),
    "refusal.centre_not_registered": ("applicant {applicant} is not registered with protection centre {centre} "
                                      "on {on}", "申请人{applicant}在{on}未在保护中心{centre}备案"),
    "refusal.centre_outside_region": ("applicant {applicant} ({applicant_office}) is not located in the region "
                                      "of protection centre {centre} ({region})",
                                      "申请人{applicant}（{applicant_office}）不在保护中心{centre}的服务区域（{region}）内"),
    "refusal.centre_locarno_missing": ("give the Locarno classes of the design: protection centre {centre} "
                                       "pre-examines only its fields",
                                       "请写明外观设计的洛迦诺分类号：保护中心{centre}只预审其领域内的外观设计"),
    "refusal.centre_locarno_out_of_field": ("Locarno {locarno} is outside the design fields of protection centre "
                                            "{centre} on {on} ({fields})",
                                            "洛迦诺分类号{locarno}不在保护中心{centre}于{on}的外观设计预审领域"
                                            "（{fields}）内"),
    "refusal.centre_ipc_missing": ("give the IPC symbols: protection centre {centre} pre-examines only its "
                                   "technical fields", "请填写IPC分类号：保护中心{centre}仅预审其技术领域内的申请"),
    "refusal.centre_out_of_field": ("IPC {ipc} is outside the technical fields of protection centre {centre} on "
                                    "{on} ({fields})", "IPC分类号{ipc}不在保护中心{centre}于{on}的预审技术领域"
                                                      "（{fields}）内"),
    # the filing form
    "file.pre_examination_centre": ("Fast pre-examination by a protection centre",
                                    "知识产权保护中心快速预审"),
    "file.no_centre": ("None (ordinary procedure)", "不申请（普通程序）"),
    "file.centre_help": ("Registered applicants of the centre's region, in its technical fields (give the IPC "
                         "symbols); not for PCT national-phase entries.",
                         "仅限在保护中心备案、位于其服务区域的申请人，且申请属于其技术领域（请填写IPC分类号）；"
                         "进入国家阶段的国际申请除外。"),
    "file.centre_help_design": ("Registered applicants of the centre's region, for designs of its Locarno fields "
                                "(give the Locarno classes).",
                                "仅限在保护中心备案、位于其服务区域的申请人，且外观设计属于其洛迦诺分类领域（请填写洛迦诺分类号）。"),
    # the centres' pages
    "nav.centres": ("Protection centres", "保护中心"),
    "centres.title": ("IP protection centres: fast pre-examination", "知识产权保护中心：专利快速预审"),
    "centres.none": ("No protection centre is configured.", "尚未设立知识产权保护中心。"),
    "centres.region": ("Region served", "服务区域"),
    "centres.fields": ("Technical fields in force since {date}", "{date}起的预审技术领域"),
    "centres.no_fields": ("No technical field in force today.", "今日无有效的预审技术领域。"),
    "centres.rights": ("Kinds of application", "受理的专利类型"),
    "centres.queue": ("Pre-examination queue", "预审队列"),
    "centres.queue_none": ("No request under pre-examination.", "没有待预审的请求。"),
    "centres.figures": ("Published figures per centre and field", "各保护中心及技术领域的公开统计"),
    "centres.figures_by_region": ("Per province (all centres of the region)", "按省份（该地区全部保护中心）"),
    "centres.no_requests": ("No fast pre-examination request yet.", "尚无快速预审请求。"),
    "centres.centre": ("Centre", "保护中心"),
    "centres.field": ("Field", "技术领域"),
    "centres.requests": ("Requests", "请求量"),
    "centres.pass_rate": ("Pass rate", "预审合格率"),
    "centres.granted": ("Granted", "授权量"),
    "centres.median_days": ("Days to grant (median)", "请求至授权天数（中位数）"),
    "centres.p90_days": ("Days to grant (90th percentile)", "请求至授权天数（第90百分位）"),
    "centres.cases": ("Cases behind the figures", "统计所依据的案件"),
    "centres.figures_help": ("Pass rate: passed among the opinions given; days from the request to the grant "
                             "announcement; the published cases are listed.",
                             "合格率：已作出预审意见中合格的比例；天数自预审请求至授权公告；仅列出已公开的案件。"),
    "centres.requested": ("Requested", "请求日"),
}

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {key: en for key, (en, _) in _MESSAGES.items()},
    "zh": {key: zh for key, (_, zh) in _MESSAGES.items()},
}
