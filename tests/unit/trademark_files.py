"""The 22 real trademark records of ../shared/data/trademarks/wipo_gbd, as the tests expect to read them:
each record's key, mark, Nice classes, status (the office's word and what it means), Vienna codes, and its
events (code, date). Checked by hand against the files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

TRADEMARK_DIR = "trademarks/wipo_gbd"


@dataclass(frozen=True)
class Expected:
    key: str
    application_number: str
    mark: str | None
    classes: tuple[int, ...]
    status_text: str | None
    status: str | None  # MarkStatus value
    events: tuple[tuple[str, date], ...]  # (code, date) in file order
    vienna: tuple[str, ...] = ()
    registration_number: str | None = None
    feature: str | None = None


D = date
EXPECTED: dict[str, Expected] = {
    "altm_altm.xml": Expected("ALTM-T-1996-001287", "AL/T/1996/001287", "SRI", (4,), "Expired", "expired", (),
                              registration_number="007650", feature="Word"),
    "brtm_test01.xml": Expected("BRTM-MMA1501730141", "MMA1501730141", None, (), "Depositado", "pending", ()),
    "idtm_translation.xml": Expected(
        "IDTM-D002014030000", "D002014030000", "SECRET (Tulisan & Lukisan)", (9,), "Rejected", "refused",
        (("Filed", D(2014, 6, 27)), ("Rejected", D(2017, 2, 8))), feature="Combined"),
    "idtm_unicode.xml": Expected(
        "IDTM-DID2017000184", "DID2017000184", "KingMa", (9,), "Rejected", "refused",
        (("Filed", D(2017, 1, 4)), ("Published", D(2017, 1, 26)), ("Rejected", D(2018, 10, 25))),
        feature="Combined"),
    "jotm_test.xml": Expected(
        "TOTM-2017-3420", "2017/3420", "TOKO", (25,), "Examined", "pending",
        (("Filed", D(2017, 7, 26)), ("Published", D(2017, 11, 30)), ("Examined", D(2017, 9, 4)))),
    "khtm_khtm.xml": Expected(
        "KHTM-673426-M", "KH/673426/M", "ZomaJet", (10,), "Registered", "registered",
        (("Filed", D(2015, 8, 6)), ("Registered", D(2016, 6, 10)), ("Published", D(2016, 7, 29)),
         ("Registered", D(2016, 10, 27))), registration_number="673426", feature="Combined"),
    "latm_test.xml": Expected(
        "LATM-37978", "37978", "TA YA", (9,), "Registered", "registered",
        (("Filed", D(2016, 8, 17)), ("Registered", D(2017, 8, 15)), ("Published", D(2017, 9, 30))),
        registration_number="38524", feature="Word"),
    "mgtm_test.xml": Expected(
        "MGTM-M-2018-516", "MG/M/2018/516", "chicetnic", (14, 18, 21, 24, 25), "Registered", "registered",
        (("Filed", D(2018, 7, 4)), ("Registered", D(2019, 1, 17))), vienna=("03.11.10", "27.05.01", "27.05.08"),
        registration_number="19695"),
    "mytm_example.xml": Expected(
        "MYTM-2012060000", "2012060000", "P", (9,), "Registered", "registered",
        (("Registered", D(2012, 6, 13)), ("Filed", D(2012, 12, 13)), ("Published", D(2018, 11, 29)),
         ("Registered", D(2019, 2, 7))), feature="Combined"),
    "pgtm_pgtm.xml": Expected(
        "PGTM-M-1-061818", "PG/M/1/061818", None, (40,), "Registered", "registered",
        (("Filed", D(1999, 1, 6)), ("Registered", D(1999, 1, 6)), ("Published", D(1999, 6, 24)),
         ("Registered", D(2019, 1, 31))), vienna=("18.01.00",), registration_number="61818", feature="Figurative"),
    "smtm_test.xml": Expected(
        "SMTM-M-2010-000119", "SM/M/2010/000119", "SAN MARINO CHANNEL ONE", (9, 25, 35, 38, 41), "Registered",
        "registered", (("Filed", D(2010, 12, 29)), ("Published", D(2011, 1, 25)), ("Published", D(2012, 1, 23))),
        registration_number="2010000119", feature="Combined"),
    "totm_nofeature.xml": Expected(
        "TOTM-2000-511", "2000/511", None, (31,), "1058", None,
        (("Filed", D(2000, 5, 12)), ("Published", D(2004, 2, 27)), ("Registered", D(2010, 5, 12))),
        registration_number="412"),
    "totm_syntax.xml": Expected(
        "TOTM-2006-1856", "2006/1856", "VERIZON BUSINESS & device", (41, 9, 38, 42, 37, 16, 36, 35, 45),
        "Registered", "registered",
        (("Filed", D(2006, 12, 6)), ("Published", D(2009, 4, 30)), ("Registered", D(2016, 12, 6))),
        registration_number="1611"),
    "wstm_test.xml": Expected(
        "WSTM-T-620", "WS/T/620", "AMERICAN STANDARD (label)", (11,), "Expired", "expired",
        (("Filed", D(1973, 12, 11)), ("Registered", D(1976, 4, 5)), ("Expired", D(2020, 6, 11))),
        registration_number="620"),
    "iltm_cancellations.xml": Expected(
        "ILTM-160158", "160158", "אל-אקונומיקה", (3, 3), "active", "registered",
        (("accepted", D(2003, 1, 5)), ("accepted", D(2003, 2, 28)), ("published", D(2003, 2, 1)),
         ("registered", D(2003, 6, 2)), ("published", D(2003, 7, 1)), ("cancellation_opened", D(2005, 11, 7)),
         ("cancellation_closed", D(2009, 9, 2)), ("renewal_fee_unpaid", D(2009, 10, 29)),
         ("published", D(2009, 10, 29)), ("renewed", D(2009, 11, 5)), ("published", D(2009, 11, 30)),
         ("agent_appointed", D(2016, 5, 26)), ("owner_changed", D(2016, 5, 26)), ("published", D(2016, 5, 31)),
         ("agent_removed", D(2016, 5, 26)), ("cancellation", D(2005, 11, 7))),
        vienna=("24.13", "24.17", "27.01", "27.03"), registration_number="160158"),
    "iltm_collcert.xml": Expected("ILTM-256447", "256447", "RAL GÜTEZEICHEN SUBSTRATE FÜR PFLANZEN", (1,),
                                  "deleted", "cancelled", (), vienna=("05.03",)),
    "iltm_eventdata.xml": Expected(
        "ILTM-317809", "317809", "הרווח כולו שלכם", (9, 9, 35, 35, 41, 41), "pending", "pending",
        (("accepted", D(2020, 7, 28)), ("published", D(2020, 7, 30))), vienna=("24.13", "24.17", "26.02")),
    "iltm_international.xml": Expected(
        "ILTM-310118", "310118", "TOPGUN", (13, 13), "active", "registered",
        (("accepted", D(2019, 2, 5)), ("published", D(2019, 2, 28)), ("registered", D(2019, 5, 30))),
        vienna=("18.05", "27.05"), registration_number="310118"),
    "iltm_markfeature.xml": Expected(
        "ILTM-180001", "180001", "BABY MONET", (16, 16), "active", "registered",
        (("accepted", D(2006, 6, 22)), ("accepted", D(2006, 8, 31)), ("published", D(2006, 8, 1)),
         ("registered", D(2006, 12, 10)), ("published", D(2007, 1, 1)), ("renewed", D(2015, 4, 20)),
         ("published", D(2015, 4, 30)), ("agent_appointed", D(2015, 12, 2)), ("owner_changed", D(2015, 12, 2)),
         ("published", D(2015, 12, 31)), ("agent_removed", D(2015, 12, 2))), registration_number="180001"),
    "iltm_noevents.xml": Expected("ILTM-250001", "250001", "FAIRPLAY", (9,), "active", "registered", (),
                                  registration_number="250001"),
    "iltm_opposition.xml": Expected(
        "ILTM-80142", "80142", "CHLORALIT", (30, 30), "deleted", "cancelled",
        (("accepted", D(1994, 3, 7)), ("accepted", D(1994, 4, 29)), ("published", D(1994, 4, 1)),
         ("opposition_opened", D(1994, 7, 27)), ("owner_details_changed", D(2001, 12, 27)),
         ("published", D(2002, 3, 1)), ("registered", D(2002, 11, 12)), ("published", D(2002, 12, 1)),
         ("opposition_closed", D(2002, 11, 12)), ("renewed", D(2002, 12, 23)), ("published", D(2003, 1, 1)),
         ("opposition_closed", D(2009, 6, 4)), ("renewal_fee_unpaid", D(2012, 6, 27)),
         ("published", D(2012, 6, 28)), ("expired_unpaid_renewal", D(2012, 12, 30)),
         ("published", D(2012, 12, 31)), ("opposition", D(1994, 7, 27))), registration_number="80142"),
    "iltm_tlit.xml": Expected(
        "ILTM-320000", "320000", "אילמה", (33, 33), "active", "registered",
        (("accepted", D(2019, 8, 29)), ("published", D(2019, 9, 26)), ("registered", D(2019, 12, 29)),
         ("published", D(2019, 12, 31))), registration_number="320000"),
}
ST66_FILES = sorted(name for name in EXPECTED if not name.startswith("iltm_"))
TMBRAND_FILES = sorted(name for name in EXPECTED if name.startswith("iltm_"))


def trademark_dir(data_dir: Path) -> Path:
    path = data_dir / TRADEMARK_DIR
    if not path.is_dir():
        pytest.skip(f"trademark files not found at {path}")
    return path
