"""The anchor file: heads of the event log witnessed outside the database, one JSON line each,
``{"sequence": 42, "hash": "…", "at": "2026-11-30T12:00:00+00:00"}``, only ever appended to.

The file is opened in append mode and flushed to disk (fsync) before the command returns. Keep a copy
where the database's writers cannot write (another machine, a WORM bucket, printed in the gazette): an
anchor is only as good as the place it is kept.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from ipoffice.domain.errors import InvalidField
from ipoffice.domain.event_log import Anchor


def append_anchor(path: Path, sequence: int, head_hash: str, at: datetime | None = None) -> Anchor:
    anchor = Anchor(sequence, head_hash, (at or datetime.now(UTC)).isoformat(timespec="seconds"))
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"sequence": anchor.sequence, "hash": anchor.hash, "at": anchor.at}, sort_keys=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())
    return anchor


def read_anchors(path: Path) -> list[Anchor]:
    """Every anchor of the file, in order; a malformed line is an error naming the file and line."""
    anchors: list[Anchor] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            anchors.append(Anchor(int(data["sequence"]), str(data["hash"]), str(data.get("at", ""))))
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidField(f"{path}:{number}", line[:120], f"not an anchor line ({exc})") from None
    return anchors


def latest_anchor(path: Path) -> Anchor | None:
    if not path.is_file():
        return None
    anchors = read_anchors(path)
    return anchors[-1] if anchors else None
