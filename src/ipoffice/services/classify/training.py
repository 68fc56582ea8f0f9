"""Training data of the IPC classifier: labelled texts from the register's classified documents and from
labelled title files, and the IPC scheme's titles (zero-shot prototypes) and texts (SVM training documents).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ipoffice.adapters.register import SqlRegister
from ipoffice.domain.classification import ClassificationSymbol
from ipoffice.domain.document import Document, TextField
from ipoffice.domain.text import normalise


@dataclass(frozen=True)
class LabelledText:
    """A text and its true IPC subclasses ("H04W", ...)."""

    text: str
    subclasses: tuple[str, ...]
    source: str = ""  # publication number or file, to keep scored items out of training
    main_groups: tuple[str, ...] = ()  # true main groups ("H02J 7/00") when known (register documents)


@dataclass(frozen=True)
class IpcTitle:
    """The title of a subclass or main group: a zero-shot prototype of its subject."""

    symbol: str  # subclass "H04W" or main group "H04W 72/00"
    title: str  # English and Chinese titles joined



def labelled_documents(documents: Iterable[Document]) -> list[LabelledText]:
    """Classified documents of the register: title + abstract, with their IPC (or CPC) subclasses and main
    groups."""
    out = []
    for doc in documents:
        subclasses = sorted({s for c in doc.classifications if (s := c.subclass_symbol)})
        title = doc.text(TextField.TITLE)
        if not subclasses or not title:
            continue
        abstract = doc.text(TextField.ABSTRACT, doc.texts[0].lang if doc.texts else None) or ""
        groups = sorted({g for c in doc.classifications if c.scheme.is_ipc_like and (g := c.parsed.main_group_symbol)})
        out.append(LabelledText(f"{title} {abstract}".strip(), tuple(subclasses), doc.number.compact, tuple(groups)))
    return out


def read_labelled_csv(path: Path) -> list[LabelledText]:
    """Rows of ``publication_number,title,ipc_subclasses`` (``|``-separated), like cn_ipc_dev.csv."""
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                text, raw = row["title"], row["ipc_subclasses"]
            except KeyError as exc:
                raise ValueError(f"{path}: missing column {exc} (need title, ipc_subclasses)") from None
            subclasses = tuple(s.strip() for s in (raw or "").split("|") if s.strip())
            for s in subclasses:
                parsed = ClassificationSymbol.parse(s, field=f"{path.name} line {line} ipc_subclasses")
                if parsed.subclass_symbol != s:
                    raise ValueError(f"{path.name} line {line} ipc_subclasses: {s!r} is not a subclass")
            if text and subclasses:
                out.append(LabelledText(text, subclasses, row.get("publication_number") or f"{path.name}:{line}"))
    return out


def ipc_titles(rows: Iterable[tuple[str, str, str | None, str | None]]) -> list[IpcTitle]:
    """Subclass and main-group titles (symbol, level, English, Chinese) as zero-shot prototypes."""
    out = []
    for symbol, level, title_en, title_zh in rows:
        if level not in ("subclass", "main_group"):
            continue
        title = " ".join(t for t in (title_zh, title_en) if t)
        if title:
            out.append(IpcTitle(symbol, normalise(title)))
    return out


_REFERENCE = re.compile(r"（[^）]*）|\([^)]*\)")  # "(… 入A01C5/00)": pointers to other places, not the subject


def ipc_scheme_documents(rows: Iterable[tuple[str, str, str | None, str | None]]) -> list[LabelledText]:
    """Training documents from the scheme (symbol, level, English, Chinese): per subclass its title, per main
    group its title followed by its subgroups' titles; Chinese where there is one, references removed."""
    texts: dict[str, list[str]] = {}
    for symbol, level, title_en, title_zh in rows:
        if level not in ("subclass", "main_group", "subgroup"):
            continue
        title = _REFERENCE.sub("", title_zh).replace(" ", "") if title_zh else _REFERENCE.sub("", title_en or "")
        owner = symbol if level == "subclass" else symbol.split("/")[0] + "/00"
        if title.strip():
            texts.setdefault(owner, []).append(title.strip())
    return [LabelledText(" ".join(parts), (owner[:4],), f"IPC {owner}") for owner, parts in sorted(texts.items())]


def _ipc_rows(register: SqlRegister, levels: Sequence[str]) -> list[tuple[str, str, str | None, str | None]]:
    from sqlalchemy import select

    from ipoffice.adapters import tables as t

    with register.engine.connect() as conn:
        rows = conn.execute(
            select(t.ipc_entries.c.symbol, t.ipc_entries.c.level, t.ipc_entries.c.title_en, t.ipc_entries.c.title_zh)
            .where(t.ipc_entries.c.level.in_(list(levels)))
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def register_ipc_rows(register: SqlRegister, levels: Sequence[str]) -> list[tuple[str, str, str | None, str | None]]:
    """(symbol, level, English title, Chinese title) of the register's IPC entries of these levels."""
    return _ipc_rows(register, levels)


def register_ipc_titles(register: SqlRegister) -> list[IpcTitle]:
    """The subclass and main-group titles of the register's IPC scheme (imported from ipc_bilingual.tsv)."""
    return ipc_titles(_ipc_rows(register, ["subclass", "main_group"]))


def register_ipc_scheme(register: SqlRegister) -> tuple[list[IpcTitle], list[LabelledText]]:
    """The register's IPC scheme as zero-shot titles and as SVM training documents (both empty when no
    scheme was imported)."""
    rows = _ipc_rows(register, ["subclass", "main_group", "subgroup"])
    return ipc_titles(rows), ipc_scheme_documents(rows)


def training_files(given: Sequence[Path] | None, shared_dir: Path) -> list[Path]:
    """Labelled title files used besides the register: ``given`` (``Settings.ipc_training``, from
    ``IPOFFICE_IPC_TRAINING``; empty for none) or, when None, ``eval/cn_ipc_dev.csv`` of the shared data
    folder ``shared_dir`` when present (so ``ipoffice eval ipc`` on that file must and does
    cross-validate)."""
    if given is not None:
        return list(given)
    default = shared_dir / "eval" / "cn_ipc_dev.csv"
    return [default] if default.is_file() else []
