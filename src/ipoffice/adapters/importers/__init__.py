"""The importers of office data formats, by name, and detection of a file's format."""

from __future__ import annotations

from pathlib import Path

from ipoffice.adapters.importers.base import Importer, ImportProblem, Record
from ipoffice.adapters.importers.cn_csv import CnCsvImporter
from ipoffice.adapters.importers.ep_xml import EpXmlImporter
from ipoffice.adapters.importers.epo_legal import EpoLegalImporter
from ipoffice.adapters.importers.epo_legal_codes import EpoLegalCodesImporter
from ipoffice.adapters.importers.ipc_tsv import IpcTsvImporter
from ipoffice.adapters.importers.nice_json import NiceJsonImporter
from ipoffice.adapters.importers.patentsview_csv import PatentsViewCsvImporter
from ipoffice.adapters.importers.st66_xml import St66XmlImporter
from ipoffice.adapters.importers.tmbrand_xml import TmbrandXmlImporter
from ipoffice.adapters.importers.uspto_assignments import UsptoAssignmentsImporter
from ipoffice.adapters.importers.uspto_odp import UsptoOdpImporter
from ipoffice.adapters.importers.uspto_peds import UsptoPedsImporter
from ipoffice.adapters.importers.uspto_xml import UsptoXmlImporter

SNIFF_BYTES = 4096

IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in (
        UsptoXmlImporter(),
        EpXmlImporter(),
        PatentsViewCsvImporter(),
        CnCsvImporter(),
        IpcTsvImporter(),
        NiceJsonImporter(),
        UsptoPedsImporter(),
        St66XmlImporter(),
        TmbrandXmlImporter(),
        UsptoAssignmentsImporter(),
        UsptoOdpImporter(),
        EpoLegalImporter(),
        EpoLegalCodesImporter(),
    )
}


def detect_format(path: Path) -> str | None:
    """The name of the one importer whose ``sniff`` accepts the file's first 4 KiB, else None."""
    with Path(path).open("rb") as f:
        head = f.read(SNIFF_BYTES)
    for name, importer in IMPORTERS.items():
        if importer.sniff(Path(path), head):
            return name
    return None


__all__ = ["IMPORTERS", "ImportProblem", "Importer", "Record", "detect_format"]
