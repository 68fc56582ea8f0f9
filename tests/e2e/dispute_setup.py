"""A granted patent to dispute: the lens holder of the dispute tests (service, HTTP and browser), taken through
the CN invention procedure with the office's clock moved to the day of each act."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ipoffice.config import Settings
from ipoffice.services.procedures import Filing, ProcedureService

CLAIMS = ["A lens holder comprising: a ring-shaped frame; three clamping arms spaced around the frame; and a "
          "spring urging each arm towards the centre of the frame.", "The lens holder of claim 1, wherein the arms are "
          "made of aluminium."]
PRODUCT = ("The accused holder has a round metal frame. Three arms are arranged around the frame. "
           "Each arm is pressed toward the middle of the frame by a coil spring.")


def on(service: ProcedureService, day: str) -> date:
    """Move the office's clock to ``day`` (a party's act is dated by it) and return that day."""
    service.clock = lambda: date.fromisoformat(day)
    return date.fromisoformat(day)


def granted_patent(service: ProcedureService, year: int = 2023) -> str:
    """A CN invention of applicant.wang (agent agent.li) filed on 10 January ``year`` with CLAIMS, granted on
    24 November with the year-1 annuity paid (year 2 falls due on 10 January of the next year)."""
    right = service.file(Filing("cn_invention", "CN-JS-SZ", "applicant.wang", on(service, f"{year}-01-10"),
                                "Lens holder", payload={"claims": CLAIMS}), "agent.li").record.application_number
    for action, who, day in [("request_early_publication", "agent.li", "01-16"),
                             ("request_substantive_examination", "agent.li", "01-16"),
                             ("pass_formality_examination", "examiner.zhang", "02-01"),
                             ("publish", "registrar.zhou", "03-06"),
                             ("start_substantive_examination", "examiner.liu", "05-08"),
                             ("notify_grant", "examiner.liu", "10-09")]:
        service.act(right, action, on(service, f"{year}-{day}"), who)
    service.pay_fee(right, "fee.invention.annuity", on(service, f"{year}-10-30"), "agent.li", year=1)
    service.act(right, "complete_registration", on(service, f"{year}-11-01"), "agent.li")
    service.act(right, "announce_grant", on(service, f"{year}-11-24"), "registrar.zhou")
    return right


def portal_with_patent(var: Path, password: str = "demo") -> tuple[Any, ProcedureService, str]:
    """(the web app, its procedures service, the granted patent of applicant.wang) on a fresh register in
    ``var`` with the demo users (no shared data needed)."""
    from ipoffice.entrypoints.web.app import create_app

    app = create_app(Settings(database_url=f"sqlite:///{var}/ipoffice.db", var_dir=var, shared_dir=var))
    app.state.web.accounts.seed_demo(password)
    service = app.state.web.procedures
    return app, service, granted_patent(service)
