"""Documents attached to cases, as files: ``<root>/<application number>/<sha256>-<file name>``.

Content-addressed, so saving the same document twice writes the same file; the log's ``attach_document``
event holds the digest the file can be checked against."""

from __future__ import annotations

import re
from pathlib import Path


class DocumentFolder:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, case: str, sha256: str, filename: str) -> Path:
        return self.root / re.sub(r"[^\w-]", "_", case) / f"{sha256}-{filename}"

    def save(self, case: str, sha256: str, filename: str, content: bytes) -> None:
        target = self.path(case, sha256, filename)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(content)
        partial.replace(target)
