"""Portal messages added for issue #17's second part: the suspension of a dispute on an invalidation request,
the dispute filing form and the handling officer's queue, and the protection centres' registered applicants,
in English and Chinese (same keys)."""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "state.suspended": "Suspended (invalidation pending)",
        "action.request_suspension": "Request the suspension (invalidation pending)",
        "action.suspend_proceedings": "Suspend the adjudication",
        "action.refuse_suspension": "Refuse the suspension",
        "action.resume_proceedings": "Resume the adjudication",
        "refusal.suspension_not_provided": "The rules in force do not provide for a suspension ({reference}).",
        "refusal.no_invalidation_pending": "A suspension may be requested only while a request for invalidation "
                                           "of the patent is pending ({reference}).",
        "refusal.suspension_not_requested": "The respondent has not requested the suspension.",
    },
    "zh": {
        "state.suspended": "中止处理（无效宣告请求审查中）",
        "action.request_suspension": "请求中止处理（已请求宣告专利权无效）",
        "action.suspend_proceedings": "中止处理",
        "action.refuse_suspension": "不予中止",
        "action.resume_proceedings": "恢复处理",
        "refusal.suspension_not_provided": "现行规定未规定中止处理（{reference}）。",
        "refusal.no_invalidation_pending": "仅在专利权无效宣告请求审查期间可以请求中止处理（{reference}）。",
        "refusal.suspension_not_requested": "被请求人未请求中止处理。",
    },
}
