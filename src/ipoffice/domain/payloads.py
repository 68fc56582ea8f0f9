"""What the payload of an action may hold: known keys, their types and sizes.

A payload is data of a legal event: it goes into the hash chain for ever and is shown to everyone who may
see the case, so it is checked before anything is written. Each key has a type and a size limit; keys
that only the office writes (the text of an office action, its citations, the mode of service, the time
limit a legal consequence ends) are refused from a party; the whole payload is at most
``MAX_PAYLOAD_BYTES`` of canonical JSON. A payload naming an upload (``document``, ``sha256``, ``size``)
must name a document really stored for the case — the service checks the document folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from ipoffice.domain.classification import normalise_locarno
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.event_log import canonical_json, json_payload
from ipoffice.domain.trademark_conflicts import check_citations, check_classes

MAX_NOTE_CHARS = 2_000
MAX_TEXT_CHARS = 20_000
MAX_PAYLOAD_BYTES = 64 * 1024
MAX_CITATIONS = 200
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _text(limit: int) -> Callable[[str, object], None]:
    def check(name: str, value: object) -> None:
        if not isinstance(value, str):
            raise InvalidField(f"payload.{name}", type(value).__name__, "must be text")
        if len(value) > limit:
            raise InvalidField(f"payload.{name}", f"{len(value)} characters", f"at most {limit} characters")
    return check


def _int(low: int, high: int) -> Callable[[str, object], None]:
    def check(name: str, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidField(f"payload.{name}", _short(value), f"must be a whole number from {low} to {high}")
    return check


def _choice(*options: str) -> Callable[[str, object], None]:
    def check(name: str, value: object) -> None:
        if value not in options:
            raise InvalidField(f"payload.{name}", _short(value), f"must be one of {', '.join(options)}")
    return check


def _iso_date(name: str, value: object) -> None:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        raise InvalidField(f"payload.{name}", _short(value), "must be a date YYYY-MM-DD") from None
    if not isinstance(value, str | date):
        raise InvalidField(f"payload.{name}", _short(value), "must be a date YYYY-MM-DD")


def _sha256(name: str, value: object) -> None:
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        raise InvalidField(f"payload.{name}", _short(value), "must be the SHA-256 of an uploaded document "
                                                            "(64 lowercase hex digits)")


def _citations(name: str, value: object) -> None:
    if not isinstance(value, list) or len(value) > MAX_CITATIONS:
        raise InvalidField(f"payload.{name}", _short(value), f"must be a list of at most {MAX_CITATIONS} citations")
    for i, item in enumerate(value):
        if not isinstance(item, Mapping) or set(item) - {"number", "category"}:
            raise InvalidField(f"payload.{name}[{i}]", _short(item), "must be {number, category}")
        _text(40)(f"{name}[{i}].number", item.get("number", ""))
        _choice("X", "Y", "A")(f"{name}[{i}].category", item.get("category"))


def _ipc(name: str, value: object) -> None:
    if not isinstance(value, list) or not 0 < len(value) <= 50:
        raise InvalidField(f"payload.{name}", _short(value), "must be a list of 1 to 50 IPC symbols")
    for i, item in enumerate(value):
        _text(32)(f"{name}[{i}]", item)


def _locarno(name: str, value: object) -> None:
    if not isinstance(value, list) or not 0 < len(value) <= 20:
        raise InvalidField(f"payload.{name}", _short(value), "must be a list of 1 to 20 Locarno classes")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise InvalidField(f"payload.{name}[{i}]", _short(item), "must be a Locarno class such as 14-03")
        normalise_locarno(item, field=f"payload.{name}[{i}]")


def _short(value: object) -> object:
    text = repr(value)
    return value if len(text) <= 80 else text[:77] + "…"


@dataclass(frozen=True)
class PayloadKey:
    check: Callable[[str, object], None]
    office_only: bool = False  # written by office staff or the scheduled job, never by a party
    description: str = ""


PAYLOAD_KEYS: dict[str, PayloadKey] = {
    "note": PayloadKey(_text(MAX_NOTE_CHARS), description="a short note to the file"),
    "reason": PayloadKey(_text(MAX_NOTE_CHARS), description="the reason given (withdrawal, restoration)"),
    "months": PayloadKey(_int(1, 24), description="months of extension asked (extension requests)"),
    "document": PayloadKey(_text(200), description="file name of an uploaded document"),
    "sha256": PayloadKey(_sha256, description="SHA-256 of the uploaded document"),
    "size": PayloadKey(_int(0, 100 * 1024 * 1024), description="size in bytes of the uploaded document"),
    "text": PayloadKey(_text(MAX_TEXT_CHARS), office_only=True, description="text of an office action"),
    "citations": PayloadKey(_citations, office_only=True, description="documents cited in an office action"),
    "ipc": PayloadKey(_ipc, office_only=True, description="IPC symbols given in a classification"),
    "locarno": PayloadKey(_locarno, office_only=True, description="a design's Locarno classes given in a "
                                                                  "classification"),
    "service": PayloadKey(_choice("electronic", "paper"), office_only=True,
                          description="how the notice is served"),
    "time_limit": PayloadKey(_text(64), office_only=True, description="the time limit a consequence ends"),
    "due": PayloadKey(_iso_date, office_only=True, description="the last day of that time limit"),
    "notice": PayloadKey(_text(MAX_NOTE_CHARS), office_only=True, description="the notice sent"),
    # trademarks (ipoffice.domain.trademark_conflicts): the earlier marks a refusal or an opposition cites
    "earlier_marks": PayloadKey(check_citations, description="earlier marks cited: [{number, mark, classes}]"),
    "refused_classes": PayloadKey(check_classes, office_only=True,
                                  description="Nice classes refused by a partial refusal"),
    "opponent": PayloadKey(_text(64), office_only=True, description="who filed an opposition or a cancellation "
                                                                    "request (a third party; set by the office)"),
    "grounds": PayloadKey(_text(MAX_TEXT_CHARS), description="the grounds of an opposition or a request"),
    # the International Bureau's transactions on a designation of China (domain.procedures.cn_madrid_trademark)
    "removed_classes": PayloadKey(check_classes, office_only=True,
                                  description="Nice classes a limitation recorded by the IB removes"),
    "new_holder": PayloadKey(_text(200), office_only=True, description="the holder a transfer recorded by the IB "
                                                                       "names"),
    # administrative adjudication of disputes (ipoffice.domain.procedures.cn_patent_dispute)
    "hearing_date": PayloadKey(_iso_date, office_only=True, description="day of the oral hearing notified"),
    "received_on": PayloadKey(_iso_date, office_only=True, description="day the addressee received the act served"),
    "approved_by": PayloadKey(_text(200), office_only=True, description="who approved an extension"),
    "outcome": PayloadKey(_choice("stop_infringement", "request_dismissed"), office_only=True,
                          description="outcome of a dispute's decision"),
    "damages": PayloadKey(_text(200), office_only=True,
                          description="damages the parties agreed in mediation (an office never decides them)"),
}

UPLOAD_KEYS = ("document", "sha256", "size")


@dataclass(frozen=True)
class UploadReference:
    filename: str
    sha256: str


def check_payload(action: str, payload: Mapping[str, object], *, staff: bool) -> UploadReference | None:
    """Refuse a payload with an unknown key, a value of the wrong type or size, an office key from a party, or
    more than ``MAX_PAYLOAD_BYTES`` in all. Returns the upload it names (to be checked against the stored
    documents), or None."""
    for key, value in payload.items():
        spec = PAYLOAD_KEYS.get(key)
        if spec is None:
            raise InvalidField(f"payload.{str(key)[:64]}", _short(value),
                               f"unknown key for {action}; an action's payload may hold {', '.join(PAYLOAD_KEYS)}")
        if spec.office_only and not staff:
            raise InvalidField(f"payload.{key}", _short(value), f"is written by the office, not by a party ({action})")
        spec.check(key, value)
    size = len(canonical_json(json_payload(dict(payload))).encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise InvalidField("payload", f"{size} bytes", f"at most {MAX_PAYLOAD_BYTES // 1024} KB in all")
    named = [k for k in UPLOAD_KEYS if k in payload]
    if not named:
        return None
    if "document" not in payload or "sha256" not in payload:
        raise InvalidField("payload.document", action, "an upload is named by both 'document' and 'sha256'")
    return UploadReference(str(payload["document"]), str(payload["sha256"]))
