"""Portal messages of trademark examination, opposition and watches, in both languages (merged into
``i18n.MESSAGES``): the names of the CN trademark procedure's new states, actions, time limits and refusals,
and the texts of the relative-grounds and opposition pages."""

from __future__ import annotations

_NAMES: dict[str, tuple[str, str]] = {
    # states
    "state.registration_refused": ("Registration refused after opposition", "异议后不予注册"),
    "state.opposition_review": ("Review of the refusal of registration", "不予注册复审中"),
    "state.non_use_cancellation_requested": ("Cancellation for non-use requested", "撤销连续三年不使用申请审理中"),
    "state.cancelled_for_non_use": ("Cancelled for non-use", "因连续三年不使用被撤销"),
    # actions
    "action.refuse_partially": ("Refuse in part (some classes)", "部分驳回"),
    "action.reply_to_opposition": ("Reply to the opposition", "异议答辩"),
    "action.request_non_use_cancellation": ("Request cancellation for non-use", "申请撤销连续三年不使用的注册商标"),
    "action.submit_use_evidence": ("Submit evidence of use", "提交使用证据"),
    "action.maintain_registration": ("Maintain the registration", "维持注册"),
    "action.decide_cancellation_for_non_use": ("Cancel the registration for non-use", "决定撤销注册商标"),
    "action.cancel_for_non_use": ("Cancelled: no evidence of use", "未提交使用证据，撤销注册商标"),
    # time limits
    "time_limit.opposition_reply": ("Reply to the opposition", "异议答辩期限"),
    "time_limit.opposition_decision": ("Decision on the opposition (office)", "异议决定期限（商标局）"),
    "time_limit.use_evidence": ("Evidence of use", "提交使用证据期限"),
    "time_limit.non_use_decision": ("Decision on the cancellation request (office)", "撤销申请审理期限（商标局）"),
    # refusals by the procedure (Reason codes of cn_trademark)
    "refusal.refused_classes": (
        "{detail}", "部分驳回应列明被驳回的尼斯分类：须属于申请的分类，且不得为全部分类"),
    "refusal.opposition_period_ended": ("the opposition period ended on {ends} (Trademark Law Art. 33)",
                                        "异议期已于 {ends} 届满（商标法第三十三条）"),
    "refusal.third_party_request": (
        "it is filed by a third party, named as the opponent (opposition form, `ipoffice tm oppose`)",
        "异议或撤销申请由第三方提出（异议表单或 `ipoffice tm oppose`）"),
    "refusal.no_reply_awaited": ("no opposition awaits a reply", "没有待答辩的异议"),
    "refusal.reply_period_ended": ("the time limit for the reply ended on {due} (Trademark Implementing "
                                   "Regulations Art. 27)",
                                   "答辩期限已于 {due} 届满（商标法实施条例第二十七条）"),
    "refusal.non_use_too_early": (
        "non-use cancellation may be requested from {earliest}: 3 consecutive years after the registration on "
        "{registered} (Trademark Law Art. 49)",
        "自 {earliest} 起方可申请撤销：注册之日 {registered} 起满连续三年（商标法第四十九条）"),
}

_PAGES: dict[str, tuple[str, str]] = {
    "tm_exam.relative_grounds": ("Relative grounds: earlier marks", "相对理由审查：在先商标"),
    "tm_exam.mark": ("Mark", "商标"),
    "tm_exam.classes": ("Nice classes", "尼斯分类"),
    "tm_exam.earlier_marks": ("Earlier conflicting marks", "在先近似商标"),
    "tm_exam.none_found": ("No earlier conflicting mark was found.", "未发现在先近似商标。"),
    "tm_exam.score": ("Score", "近似度"),
    "tm_exam.reasons": ("Why", "理由"),
    "tm_exam.cite": ("Cite", "引证"),
    "tm_exam.reason.identical": ("identical", "相同"),
    "tm_exam.reason.containment": ("contained", "包含"),
    "tm_exam.reason.goods_services": ("same class", "同一类别"),
    "tm_exam.reason.visual": ("looks alike", "字形近似"),
    "tm_exam.reason.phonetic": ("sounds alike", "读音近似"),
    "tm_exam.reason.conceptual": ("same meaning", "含义近似"),
    "tm_exam.refuse": ("Refuse citing the marks ticked", "引证所选商标予以驳回"),
    "tm_exam.refused_classes": ("Refuse only these classes (partial refusal; empty: refuse in full)",
                                "仅驳回下列分类（部分驳回；留空则全部驳回）"),
    "tm_exam.text": ("Reasons", "驳回理由"),
    "tm_exam.not_examining": ("The application is not under examination: no refusal can be issued now.",
                              "该申请不在审查阶段，目前不能作出驳回决定。"),
    "tm_exam.cited_in": ("Earlier marks cited", "引证的在先商标"),
    "tm_exam.back": ("Back to the case", "返回案件"),
    "tm_exam.oppose": ("File an opposition", "提出异议"),
    "tm_exam.opposition_title": ("Opposition to {number}", "对 {number} 提出异议"),
    "tm_exam.opposition_until": ("Opposition may be filed until {date} (Trademark Law Art. 33).",
                                 "异议期至 {date} 届满（商标法第三十三条）。"),
    "tm_exam.grounds": ("Grounds", "异议理由"),
    "tm_exam.cite_numbers": ("Earlier marks relied on (numbers, comma-separated)",
                             "引证的在先商标（编号，以逗号分隔）"),
    "tm_exam.opposition_filed": ("Opposition filed on {date}; the applicant may reply by {due}.",
                                 "异议已于 {date} 提出；申请人可于 {due} 前答辩。"),
    "tm_exam.not_open": ("This mark is not open to opposition.", "该商标不在异议期内。"),
}


def _catalogue(index: int) -> dict[str, str]:
    return {key: names[index] for key, names in (*_NAMES.items(), *_PAGES.items())}


CATALOGUE: dict[str, dict[str, str]] = {"en": _catalogue(0), "zh": _catalogue(1)}
