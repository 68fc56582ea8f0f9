"""A register holding a demo university's granted rights (and a stranger's, and a published application), with the
demo offices and users, for the inventory's integration, e2e and browser tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from ipoffice.adapters.inventory_grading_loader import load_grading
from ipoffice.adapters.procedure_store import ProcedureStore
from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.classification import Scheme
from ipoffice.domain.document import (
    Citation,
    CitedBy,
    Claim,
    Classification,
    Document,
    LocalizedText,
    Party,
    PartyRole,
    TextField,
)
from ipoffice.domain.numbers import PublicationNumber
from ipoffice.services.inventory import InventoryService
from ipoffice.services.procedures import ProcedureService
from ipoffice.services.value import ValueIndicators

TODAY = date(2026, 11, 30)
UNIVERSITY = "Demo University of Science"
CSV_HEADER = "number,department,contact,self_grade,conversion_intent,note\n"


def _doc(number: str, title: str, holder: str, ipc: str, *, filed: date, claims: int = 3,
         cites: tuple[str, ...] = ()) -> Document:
    return Document(
        number=PublicationNumber.parse(number), application_date=filed, publication_date=date(filed.year + 2, 3, 1),
        application_number=f"CN{number[2:11]}.X",
        texts=[LocalizedText(TextField.TITLE, "en", title)],
        claims=[Claim(i, f"A device comprising part {i}.", "en", (1,) if i > 1 else ()) for i in range(1, claims + 1)],
        classifications=[Classification.of(Scheme.IPC, ipc, is_main=True)],
        parties=[Party(PartyRole.ASSIGNEE, holder)],
        citations=[Citation(CitedBy.EXAMINER, c, "CN", "B") for c in cites])


def university_documents() -> list[Document]:
    """Granted rights of the demo university: a young battery patent cited by three others (grade A), a mid-life
    sensor patent (B), an old catalyst patent whose term ended (flagged); a stranger's grant; an application."""
    battery = _doc("CN110000001B", "Solid electrolyte for a lithium battery", UNIVERSITY, "H01M 10/0562",
                   filed=date(2022, 5, 1), claims=12)
    citing = [_doc(f"CN11000000{i}B", f"Battery pack {i}", "Other Battery Co.", "H01M 10/04", filed=date(2023, 1, i),
                   cites=("CN110000001B",)) for i in (5, 6, 7)]
    return [battery, *citing,
            _doc("CN110000002B", "Strain sensor of graphene", UNIVERSITY, "G01L 1/20", filed=date(2019, 6, 1)),
            _doc("CN110000003B", "Catalyst for ammonia synthesis", UNIVERSITY, "B01J 23/46", filed=date(2005, 1, 10)),
            _doc("CN110000004B", "Stranger's gearbox", "Gearbox Works Ltd.", "F16H 1/00", filed=date(2020, 1, 1)),
            _doc("CN110000009A", "Pending application", UNIVERSITY, "H01M 4/00", filed=date(2024, 1, 1))]


def inventory_service(engine: Engine, today: date = TODAY) -> InventoryService:
    register = SqlRegister(engine)
    register.save_documents([(d, None) for d in university_documents()])
    procedures = ProcedureService(ProcedureStore(engine), clock=lambda: today)
    procedures.seed_demo()
    return InventoryService(procedures, register, ValueIndicators(register, lambda: today), load_grading,
                            lambda: today)


def good_csv() -> bytes:
    return (CSV_HEADER + "CN 110000001 B,Chemistry,Li,A,transfer,\n"
            "CN110000002B,Physics,,B,licence,sensor\n"
            "CN110000003B,,,C,keep,\n").encode()
