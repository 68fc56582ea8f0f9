"""Documents attached to cases, as files: ``<root>/<application number>/<sha256>-<file name>``.

Content-addressed, so saving the same document twice writes the same file; the log's ``attach_document``
event holds the digest the file can be checked against."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path


class DocumentFolder:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, case: str, sha256: str, filename: str) -> Path:
        return self.root / re.sub(r"[^\w-]", "_", case) / f"{sha256}-{filename}"

    def holds(self, case: str, sha256: str, filename: str) -> bool:
        """Whether ``filename`` is stored for ``case`` and its content really has the SHA-256 ``sha256``."""
        if "/" in filename or "\\" in filename or filename in ("", ".", ".."):
            return False
        target = self.path(case, sha256, filename)
        if not target.is_file():
            return False
        digest = hashlib.sha256()
        with target.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest() == sha256

    def save(self, case: str, sha256: str, filename: str, content: bytes) -> None:
        target = self.path(case, sha256, filename)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(content)
        partial.replace(target)

    def read(self, case: str, sha256: str, filename: str) -> bytes | None:
        """The content of a stored document whose content still has the SHA-256 the log holds; else None."""
        if not self.holds(case, sha256, filename):
            return None
        return self.path(case, sha256, filename).read_bytes()
