"""The International Bureau's Madrid transactions for a designated office, read from an ST.66-shaped XML file.

The shared data (``../shared/data/trademarks/wipo_gbd``) has no Madrid transaction: ``khtm_khtm.xml`` is an
ST.66 ``Transaction`` whose ``TransactionCode`` says ``Madrid Designated`` (Cambodia's record of a designation,
with the office's national events Filed/Registered/Published only), and three TMBRAND records give an
``INTERNATIONALNUMBER`` (one ``Base for International``) with national events only. So this is the file the
office receives from the IB, in ST.66 terms (the elements of ``importers.st66_xml``), one ``TradeMark`` per
international registration::

    <Transaction xmlns="http://www.wipo.int/standards/XMLSchema/trademarks"
                 xmlns:wo="http://www.wipo.int/standards/XMLSchema/wo-trademarks">
     <TradeMarkTransactionBody><TransactionContentDetails>
      <TransactionCode>Madrid Transactions</TransactionCode>
      <TransactionData><TradeMarkApplication><TradeMarkDetails>
       <TradeMark>
        <RegistrationOfficeCode>CN</RegistrationOfficeCode>          designated office
        <InternationalRegistrationNumber>1466954</…>                 required
        <InternationalRegistrationDate>2024-03-11</…>                required for a designation
        <GoodsServicesDetails>…<ClassNumber>9</ClassNumber>…         designated classes
        <PublicationDetails><Publication><PublicationDate>2024-05-16  WIPO Gazette of the designation
        <wo:WordMarkSpecification><wo:MarkVerbalElementText>TOPGUN   the mark
        <wo:MarkEventDetails>
         <wo:MarkEvent><wo:MarkEventDate>2024-05-20</…><wo:MarkEventCode>Designation</…></wo:MarkEvent>
         <wo:MarkEvent>…<wo:MarkEventCode>Limitation</…>
                        <wo:OfficeSpecificMarkEventDescription>42</…>      classes removed
         <wo:MarkEvent>…<wo:MarkEventCode>Transfer</…>
                        <wo:OfficeSpecificMarkEventDescription>new holder</…>
         <wo:MarkEvent>…<wo:MarkEventCode>Renewal</…>
         <wo:MarkEvent>…<wo:MarkEventCode>CeasingOfEffect</…>

``MarkEventCode`` (case and spaces ignored) names the IB transaction; :data:`ACTIONS` maps it to the act of the
``cn_madrid_trademark`` procedure; its date is the day the IB notified it. A refusal is not an IB transaction
to the designated office (the office notifies its own provisional refusal, Common Regulations Rule 17) and is
refused as such. Errors: InvalidField naming the element (and the record) for a missing number, a bad date, an
unknown transaction or an unreadable file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from ipoffice.adapters.importers._marks import child, every, text
from ipoffice.domain.errors import InvalidField

# IB transaction (MarkEventCode, folded) → action of the cn_madrid_trademark procedure.
ACTIONS = {"designation": "file", "subsequentdesignation": "file", "renewal": "record_renewal",
           "transfer": "record_transfer", "changeinownership": "record_transfer",
           "limitation": "record_limitation", "ceasingofeffect": "record_ceasing_of_effect"}
NOT_FROM_THE_IB = {"refusal", "provisionalrefusal"}


@dataclass(frozen=True)
class IbTransaction:
    """One transaction: the international registration it concerns, the procedure's action, the day the IB
    notified it, and the action's payload."""

    international_number: str
    action: str
    notified: date
    payload: dict[str, object] = field(default_factory=dict)
    mark: str = ""


def _date(raw: str | None, where: str) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        raise InvalidField(where, raw, "must be a date (YYYY-MM-DD)") from None


def _classes(raw: str, where: str) -> list[int]:
    try:
        return sorted({int(p) for p in raw.replace(";", ",").split(",") if p.strip()})
    except ValueError:
        raise InvalidField(where, raw, "must list Nice class numbers (9, 42)") from None


def read_transactions(path: Path) -> list[IbTransaction]:
    """Every IB transaction of the file, in file order (each registration's events in their order)."""
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise InvalidField("file", str(path), f"is not a readable XML file: {exc}") from None
    found: list[IbTransaction] = []
    marks = every(root, "TradeMarkTransactionBody/TransactionContentDetails/TransactionData/TradeMarkApplication/"
                        "TradeMarkDetails/TradeMark")
    for i, tm in enumerate(marks):
        number = (text(tm, "InternationalRegistrationNumber") or "").strip()
        if not number:
            raise InvalidField(f"TradeMark[{i}].InternationalRegistrationNumber", None, "is required")
        mark = text(tm, "WordMarkSpecification/MarkVerbalElementText") or ""
        for j, event in enumerate(every(tm, "MarkEventDetails/MarkEvent")):
            where = f"{number}.MarkEvent[{j}]"
            code = "".join((text(event, "MarkEventCode") or "").split()).casefold()
            if code in NOT_FROM_THE_IB:
                raise InvalidField(f"{where}.MarkEventCode", code, "a refusal is the designated office's own act "
                                   "(Rule 17), recorded by its examiner, not an IB transaction")
            if code not in ACTIONS:
                raise InvalidField(f"{where}.MarkEventCode", code, f"is not an IB transaction ({', '.join(ACTIONS)})")
            notified = _date(text(event, "MarkEventDate"), f"{where}.MarkEventDate")
            detail = (text(event, "OfficeSpecificMarkEventDescription") or "").strip()
            payload: dict[str, object] = {}
            if ACTIONS[code] == "file":
                payload = {"international_registration_number": number,
                           "international_registration_date": _date(text(tm, "InternationalRegistrationDate"),
                                                                    f"{number}.InternationalRegistrationDate")
                           .isoformat(),
                           "gazette_date": _date(text(child(tm, "PublicationDetails/Publication"),
                                                      "PublicationDate"), f"{number}.PublicationDate").isoformat(),
                           "nice_classes": _classes(",".join(
                               t for e in every(tm, "GoodsServicesDetails/GoodsServices/ClassDescriptionDetails/"
                                                    "ClassDescription") if (t := text(e, "ClassNumber"))),
                               f"{number}.ClassNumber"),
                           "notification_date": notified.isoformat(), "mark": mark}
            elif ACTIONS[code] == "record_transfer":
                payload = {"new_holder": detail}
            elif ACTIONS[code] == "record_limitation":
                payload = {"removed_classes": _classes(detail, f"{where}.OfficeSpecificMarkEventDescription")}
            found.append(IbTransaction(number, ACTIONS[code], notified, payload, mark))
    return found
