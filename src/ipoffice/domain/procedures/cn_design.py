"""CN design procedure: formality examination only, then grant (Patent Law Art. 40). Priority
period 6 months (Art. 29). Term from the filing date: 10 years for applications filed before
2021-06-01, 15 years for those filed on or after it (Patent Law (2020) Art. 42) — the term rule is
read on the filing date."""

from __future__ import annotations

from ipoffice.domain.procedures import _cn_patent as cn
from ipoffice.domain.procedures.base import Procedure, transition

PENDING = ("filed", "awaiting_correction")

CN_DESIGN = Procedure(
    name="cn_design",
    description=__doc__ or "",
    states=cn.COMMON_STATES,
    initial_state="new",
    final_states=cn.FINAL_STATES,
    transitions=[
        *cn.formality_phase("time_limit.priority_design", after_formalities=None),
        transition("revoke_rejection", "under_reexamination", "filed"),
        *cn.closing_phase(PENDING),
        *cn.grant_phase(("filed",), "term.design"),
    ],
)
