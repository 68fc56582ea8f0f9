"""What this machine has free right now: how many cores are idle (Linux ``/proc/stat``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

_STAT = Path("/proc/stat")


def usable_cores() -> int:
    """Cores this process may run on (its affinity mask, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def idle_cores(window: float = 0.1) -> float | None:
    """Cores left idle by everything else over a short window (this process sleeps through it), or None
    where ``/proc/stat`` cannot be read. A sample, not a promise: other work may start a moment later."""
    try:
        first = _cpu_times()
        time.sleep(window)
        second = _cpu_times()
    except (OSError, ValueError):
        return None
    total = sum(second) - sum(first)
    if total <= 0:
        return None
    idle = (second[3] + second[4]) - (first[3] + first[4])  # idle + iowait
    return min(usable_cores(), (os.cpu_count() or 1) * idle / total)


def _cpu_times() -> list[int]:
    """The aggregate ``cpu`` line: user nice system idle iowait irq softirq steal (clock ticks)."""
    with _STAT.open() as stat:
        fields = stat.readline().split()
    if not fields or fields[0] != "cpu":
        raise ValueError("unexpected /proc/stat")
    return [int(x) for x in fields[1:9]]
