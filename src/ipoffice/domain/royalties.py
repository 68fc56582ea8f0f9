"""The royalty of a licence: how the licensee pays (Patent Law (2020) Art. 50: an open-licence declaration states
"the method and standard of payment of the royalty"), structured so that offers can be searched by it and
comparable contracts compared.

A royalty is a mapping ``{"type", "rate_percent"?, "amount"?, "currency"?, "basis"?, "text"?}``:

- ``type``: ``lump_sum`` (a fixed ``amount`` in ``currency``), ``running_percentage`` (``rate_percent`` of the
  ``basis``, e.g. net sales), ``per_unit`` (``amount`` in ``currency`` per unit of product), ``free``;
- ``rate_percent``: a decimal in (0, 100]; ``amount``: a positive decimal; ``currency``: ISO 4217 (three letters);
- ``basis``: what a percentage is of (free text, at most 200 characters); ``text``: the terms as written.

``check_royalty`` validates one, raising ``InvalidField`` naming the offending key (``payload.royalty.rate_percent``);
``read_royalty`` reads what the register holds leniently: records from before royalties were structured hold a
plain string, read as ``{"type": None, "text": ...}`` (text only: not comparable, not filterable by type).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ipoffice.domain.errors import InvalidField

ROYALTY_TYPES = ("lump_sum", "running_percentage", "per_unit", "free")
MAX_TEXT = 200
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_KEYS = frozenset({"type", "rate_percent", "amount", "currency", "basis", "text"})
# What each type needs (the others' figures are refused: a lump sum has no rate).
_NEEDS: Mapping[str, frozenset[str]] = {
    "lump_sum": frozenset({"amount", "currency"}),
    "running_percentage": frozenset({"rate_percent"}),
    "per_unit": frozenset({"amount", "currency"}),
    "free": frozenset(),
}
_ALLOWED: Mapping[str, frozenset[str]] = {
    "lump_sum": frozenset({"amount", "currency"}),
    "running_percentage": frozenset({"rate_percent", "basis", "amount", "currency"}),  # amount: a minimum
    "per_unit": frozenset({"amount", "currency", "basis"}),
    "free": frozenset(),
}


@dataclass(frozen=True)
class Royalty:
    """A royalty; ``type`` None for a royalty recorded as text only (before structured royalties)."""

    type: str | None
    rate_percent: Decimal | None = None
    amount: Decimal | None = None
    currency: str | None = None
    basis: str | None = None
    text: str | None = None

    @property
    def structured(self) -> bool:
        return self.type is not None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: decimals as text, absent keys left out."""
        out: dict[str, object] = {"type": self.type}
        for key in ("rate_percent", "amount"):
            value = getattr(self, key)
            if value is not None:
                out[key] = format(value.normalize(), "f")
        for key in ("currency", "basis", "text"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    def summary(self) -> str:
        """One line in English, e.g. ``3% of net sales``, ``lump sum 50000 CNY``, ``free``."""
        if self.type is None:
            return self.text or ""
        figures = self.as_dict()
        if self.type == "running_percentage":
            line = f"{figures['rate_percent']}%" + (f" of {self.basis}" if self.basis else "")
        elif self.type == "lump_sum":
            line = f"lump sum {figures['amount']} {self.currency}"
        elif self.type == "per_unit":
            line = f"{figures['amount']} {self.currency} per unit" + (f" ({self.basis})" if self.basis else "")
        else:
            line = "free"
        return line + (f" — {self.text}" if self.text else "")


def _decimal(raw: object, field: str, *, most: Decimal | None = None) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise InvalidField(field, raw, "must be a number")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InvalidField(field, raw, "must be a number") from None
    if not value.is_finite() or value <= 0:
        raise InvalidField(field, raw, "must be a positive number")
    if most is not None and value > most:
        raise InvalidField(field, raw, f"must be at most {most}")
    return value


def _text(raw: object, field: str) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > MAX_TEXT:
        raise InvalidField(field, raw, f"must be a non-empty text of at most {MAX_TEXT} characters")
    return raw.strip()


def check_royalty(raw: object, field: str = "payload.royalty") -> Royalty:
    """A royalty as given by a party: a mapping (see the module), or a plain text (kept as ``text``, type None,
    for compatibility with requests that state the terms in words). ``InvalidField`` names ``field`` or
    ``field.<key>``."""
    if isinstance(raw, str):
        return Royalty(None, text=_text(raw, field))
    if not isinstance(raw, Mapping):
        raise InvalidField(field, raw, f"must be an object {{type: {'|'.join(ROYALTY_TYPES)}, ...}} or a text")
    unknown = sorted(set(map(str, raw)) - _KEYS)
    if unknown:
        raise InvalidField(f"{field}.{unknown[0]}", raw[unknown[0]],
                           f"is not a royalty field (fields: {', '.join(sorted(_KEYS))})")
    kind = raw.get("type")
    if kind not in ROYALTY_TYPES:
        raise InvalidField(f"{field}.type", kind, f"must be one of {', '.join(ROYALTY_TYPES)}")
    assert isinstance(kind, str)
    given = {k for k in raw if k in ("rate_percent", "amount", "currency", "basis") and raw[k] not in (None, "")}
    for key in sorted(_NEEDS[kind] - given):
        raise InvalidField(f"{field}.{key}", raw.get(key), f"is required for a {kind} royalty")
    for key in sorted(given - _ALLOWED[kind]):
        raise InvalidField(f"{field}.{key}", raw[key], f"does not apply to a {kind} royalty")
    rate = _decimal(raw["rate_percent"], f"{field}.rate_percent", most=Decimal(100)) if "rate_percent" in given \
        else None
    amount = _decimal(raw["amount"], f"{field}.amount") if "amount" in given else None
    currency = None
    if "currency" in given:
        currency = raw["currency"]
        if not isinstance(currency, str) or not _CURRENCY.match(currency.strip().upper()):
            raise InvalidField(f"{field}.currency", currency, "must be an ISO 4217 code of three letters, e.g. CNY")
        currency = currency.strip().upper()
    if "amount" in given and currency is None:
        raise InvalidField(f"{field}.currency", raw.get("currency"), "is required with an amount")
    basis = _text(raw["basis"], f"{field}.basis") if "basis" in given else None
    text = _text(raw["text"], f"{field}.text") if raw.get("text") not in (None, "") else None
    return Royalty(kind, rate, amount, currency, basis, text)


def read_royalty(raw: object) -> Royalty | None:
    """A royalty as the register holds it (a checked mapping, or a plain string from before); None when absent.
    Never raises: what cannot be read as structured is kept as text."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, Mapping):
        try:
            return check_royalty(raw)
        except InvalidField:
            return Royalty(None, text=str(raw.get("text") or raw))
    return Royalty(None, text=str(raw))
