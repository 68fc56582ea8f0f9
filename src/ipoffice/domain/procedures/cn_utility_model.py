"""CN utility model procedure: formality examination only, then grant; term 10 years from filing
(Patent Law Art. 40, 42)."""

from __future__ import annotations

from ipoffice.domain.procedures import _cn_patent as cn
from ipoffice.domain.procedures.base import Procedure, transition

PENDING = ("filed", "awaiting_correction")

CN_UTILITY_MODEL = Procedure(
    name="cn_utility_model",
    description=__doc__ or "",
    states=cn.COMMON_STATES,
    initial_state="new",
    final_states=cn.FINAL_STATES,
    transitions=[
        *cn.formality_phase("time_limit.priority_invention", after_formalities=None),
        transition("revoke_rejection", "under_reexamination", "filed"),
        *cn.closing_phase(PENDING),
        *cn.grant_phase(("filed",), "term.utility_model"),
    ],
)
