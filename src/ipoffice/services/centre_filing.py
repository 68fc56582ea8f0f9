"""Filing through a protection centre: eligibility checked at filing, the case routed to the fast track.

A filing whose payload names ``pre_examination_centre`` (an office of kind ``protection_centre``) is received
by that centre for pre-examination under the fast-track procedure of its right
(``ipoffice.domain.procedures.cn_fast_track``) — if the centre may take it on the filing date
(``CentreConfig.refusal``: registration, region, IPC fields, PCT national phase, right type). Otherwise it is
refused with the reason (``ActionRefused`` of the ``file`` action, ``code`` ``centre_…``), and nothing is written.
"""

from __future__ import annotations

from datetime import date

from ipoffice.domain.centres import CentreBook
from ipoffice.domain.classification import normalise_locarno, normalise_symbol
from ipoffice.domain.document import RightType
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.offices import OfficeLevel, OfficeTree, User
from ipoffice.domain.procedures.base import ActionRefused, Reason
from ipoffice.domain.procedures.cn_fast_track import CENTRE, FAST_TRACK_OF

_RIGHT_OF = {"cn_invention": RightType.INVENTION, "cn_utility_model": RightType.UTILITY_MODEL,
             "cn_design": RightType.DESIGN, "cn_trademark": RightType.TRADEMARK}


def _refused(reason: Reason) -> ActionRefused:
    return ActionRefused("new", "file", reason)


def ipc_symbols(raw: object) -> list[str]:
    """The payload's ``ipc`` (a list, or one text with commas) as normalised symbols; InvalidField naming
    ``payload.ipc`` when one is not an IPC symbol."""
    items = raw.split(",") if isinstance(raw, str) else raw
    if items is None:
        return []
    if not isinstance(items, list | tuple):
        raise InvalidField("payload.ipc", raw, "must be a list of IPC symbols")
    symbols: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise InvalidField("payload.ipc", item, "must be an IPC symbol such as G02B 6/12")
        if item.strip():
            symbol = normalise_symbol(item.strip(), field="payload.ipc")
            if symbol not in symbols:
                symbols.append(symbol)
    return symbols


def locarno_classes(raw: object) -> list[str]:
    """The payload's ``locarno`` (a list, or one text with commas) as normalised Locarno classes or subclasses
    (``"02-01"``); InvalidField naming ``payload.locarno`` when one is not Locarno."""
    items = raw.split(",") if isinstance(raw, str) else raw
    if items is None:
        return []
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise InvalidField("payload.locarno", raw, "must be a list of Locarno classes such as 02-01")
    return list(dict.fromkeys(normalise_locarno(i, field="payload.locarno") for i in items if i.strip()))


def classification(procedure: str, payload: dict[str, object]) -> list[str]:
    """What a centre's fields are checked against: a design's Locarno classes, else the IPC symbols."""
    if procedure.removesuffix("_fast_track") == "cn_design":
        return locarno_classes(payload.get("locarno"))
    return ipc_symbols(payload.get("ipc"))


def centre_refusal(book: CentreBook, offices: OfficeTree, centre: str, applicant: User, procedure: str,
                   ipc: list[str], pct: bool, on: date) -> Reason | None:
    """Why ``applicant`` may not have an application of ``procedure`` pre-examined by ``centre`` on ``on``."""
    if not centre:
        return Reason("a fast-track request names the protection centre (payload pre_examination_centre)",
                      "centre_required")
    office = next((o for o in offices if o.code == centre), None)
    config = book.get(centre)
    if office is None or office.level is not OfficeLevel.PROTECTION_CENTRE or config is None:
        known = ", ".join(c.code for c in book if c.code in offices) or "none"
        return Reason(f"{centre} is not a protection centre of the office hierarchy (centres: {known})",
                      "centre_unknown", centre=centre, known=known)
    right = _RIGHT_OF.get(procedure.removesuffix("_fast_track"), RightType.INVENTION)
    return config.refusal(applicant=applicant.username, applicant_office=applicant.office, ipc=ipc,
                          right_type=right, pct=pct, on=on, within=offices.is_within)


def route_filing(filing_procedure: str, payload: dict[str, object], book: CentreBook, offices: OfficeTree,
                 applicant: User, pct: bool, on: date) -> tuple[str, str, dict[str, object]]:
    """(procedure, receiving office, payload) of a filing through a centre, or ActionRefused with the reason.
    The payload keeps the centre, the IPC symbols (a design: the Locarno classes) normalised and the centre's
    field the first one falls in."""
    centre = str(payload.get(CENTRE) or "").strip()
    base = filing_procedure.removesuffix("_fast_track")
    symbols = classification(base, payload)
    reason = centre_refusal(book, offices, centre, applicant, base, symbols, pct, on)
    if reason is None and base not in FAST_TRACK_OF:
        reason = Reason(f"no fast track for {base} applications", "centre_right_type", centre=centre,
                        right_type=_RIGHT_OF.get(base, RightType.INVENTION).value, handled=", ".join(FAST_TRACK_OF))
    if reason is not None:
        raise _refused(reason)
    config = book.get(centre)
    assert config is not None
    fields = config.fields_on(on)
    assert fields is not None
    key = "locarno" if base == "cn_design" else "ipc"
    right = _RIGHT_OF.get(base, RightType.INVENTION)
    routed = {**payload, CENTRE: centre, key: symbols, "centre_field": fields.field_for(right, symbols[0]) or ""}
    return FAST_TRACK_OF[base], centre, routed


def wants_centre(procedure: str, payload: dict[str, object]) -> bool:
    """Whether a filing goes through a protection centre (it names one, or asks for a fast-track procedure)."""
    return CENTRE in payload or procedure in FAST_TRACK_OF.values()
