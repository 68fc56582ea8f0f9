"""The Nice classification of goods and services (trademarks) as JSON → NiceClass and NiceTerm.

Two layouts are read:
- an edition object ``{"edition", "version", "classes": [{number, type, heading}], "goods": [...],
  "services": [...]}`` whose goods/services are ``{"number": "090001", "description"}`` (basic number,
  class in its first two digits);
- a list of class objects ``[{number, heading, note, includes, excludes}]`` (edition from the file name,
  ``ncl13`` → ``13``), whose explanatory note is the note followed by the includes/excludes lists.

Classes 1-34 are goods, 35-45 services. The files are small reference tables, loaded whole.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ipoffice.adapters.importers._common import problem
from ipoffice.adapters.importers.base import ImportProblem, Record
from ipoffice.domain.errors import InvalidField
from ipoffice.domain.reference import NiceClass, NiceTerm

log = logging.getLogger(__name__)

LAST_GOODS_CLASS = 34
LAST_CLASS = 45
_EDITION_IN_NAME = re.compile(r"ncl[-_]?(\d+)", re.IGNORECASE)


def kind_of(class_number: int) -> str:
    return "goods" if class_number <= LAST_GOODS_CLASS else "services"


def _class_number(value: Any, field: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidField(field, value, "not a class number") from None
    if not 1 <= number <= LAST_CLASS:
        raise InvalidField(field, value, f"class number out of range 1-{LAST_CLASS}")
    return number


def _note(entry: dict[str, Any]) -> str:
    parts = [str(entry.get("note") or "").strip()]
    for key, heading in (("includes", "This Class includes, in particular:"),
                         ("excludes", "This Class does not include, in particular:")):
        items = [str(i).strip() for i in entry.get(key) or [] if str(i).strip()]
        if items:
            parts.append(heading + "\n" + "\n".join(items))
    return "\n\n".join(p for p in parts if p)


class NiceJsonImporter:
    name = "nice-json"

    def sniff(self, path: Path, head: bytes) -> bool:
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
        if text.startswith("{"):
            return '"edition"' in text and ('"classes"' in text or '"goods"' in text)
        return text.startswith("[") and '"heading"' in text and '"number"' in text

    def read(self, path: Path) -> Iterator[Record | ImportProblem]:
        try:
            with path.open(encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, UnicodeDecodeError) as e:
            yield problem(path, None, f"cannot read JSON: {e}", "file")
            return
        except json.JSONDecodeError as e:
            yield problem(path, f"line {e.lineno}", f"not valid JSON (truncated?): {e.msg}", "file")
            return
        if isinstance(data, dict) and isinstance(data.get("classes"), list):
            yield from self._edition_object(path, data)
        elif isinstance(data, list):
            edition = _EDITION_IN_NAME.search(path.name)
            if not edition:
                yield problem(path, None, "a list of classes needs the edition in the file name (ncl13)", "edition")
                return
            yield from self._classes(path, data, edition.group(1), "classes")
        else:
            yield problem(path, None, "neither a Nice edition object nor a list of classes", "file")

    def _edition_object(self, path: Path, data: dict[str, Any]) -> Iterator[Record | ImportProblem]:
        edition = str(data.get("edition") or "").strip()
        if not edition:
            yield problem(path, None, "the edition is missing", "edition")
            return
        yield from self._classes(path, data["classes"], edition, "classes")
        for key in ("goods", "services"):
            for index, item in enumerate(data.get(key) or []):
                record = f"{key}[{index}]"
                try:
                    yield self._term(item, edition, key)
                except InvalidField as e:
                    yield problem(path, record, e)

    def _classes(self, path: Path, entries: list[Any], edition: str, key: str) -> Iterator[Record | ImportProblem]:
        for index, entry in enumerate(entries):
            record = f"{key}[{index}]"
            try:
                if not isinstance(entry, dict):
                    raise InvalidField(key, entry, "not an object")
                number = _class_number(entry.get("number"), "number")
                heading = str(entry.get("heading") or "").strip()
                if not heading:
                    raise InvalidField("heading", entry.get("heading"), "is empty")
                stated_kind = entry.get("type")
                if stated_kind is not None and stated_kind != kind_of(number):
                    # The number decides (Nice: 1-34 goods, 35-45 services); a wrong "type" is a source slip.
                    log.warning("%s %s: class %d is %s, file says %r", path, record, number, kind_of(number),
                                stated_kind)
                yield NiceClass(number, kind_of(number), heading, edition, _note(entry))
            except InvalidField as e:
                yield problem(path, record, e)

    def _term(self, item: Any, edition: str, key: str) -> NiceTerm:
        if not isinstance(item, dict):
            raise InvalidField(key, item, "not an object")
        basic_number = str(item.get("number") or "").strip()
        if not re.fullmatch(r"\d{6}", basic_number):
            raise InvalidField("number", item.get("number"), "basic number must be six digits like 090001")
        class_number = _class_number(basic_number[:2], "number")
        if kind_of(class_number) != key:
            raise InvalidField("number", basic_number, f"class {class_number} is not in {key}")
        term = str(item.get("description") or "").strip()
        if not term:
            raise InvalidField("description", item.get("description"), "is empty")
        return NiceTerm(class_number, term, edition, basic_number)
