"""When an import uses reader processes, and what the machine probe reports."""

from __future__ import annotations

from ipoffice.adapters.machine import idle_cores, usable_cores
from ipoffice.services.import_readers import AUTO_READERS_MIN_BYTES, MAX_READERS, auto_readers

BIG = AUTO_READERS_MIN_BYTES * 10


def test_readers_only_with_idle_cores_and_enough_to_read() -> None:
    assert auto_readers(BIG, 2.0) == 2
    assert auto_readers(BIG, 1.6) == 2  # the writer is light: two readers share the cores with it
    assert auto_readers(BIG, 1.2) == 0  # a busy machine: extra processes would only slow it down
    assert auto_readers(BIG, None) == 0  # unknown: the safe default
    assert auto_readers(AUTO_READERS_MIN_BYTES - 1, 8.0) == 0  # too little work to pay for the processes
    assert auto_readers(BIG, 3.7) == 3
    assert auto_readers(BIG, 64.0) == MAX_READERS


def test_idle_cores_is_a_share_of_the_usable_cores() -> None:
    idle = idle_cores(window=0.05)
    assert idle is None or 0.0 <= idle <= usable_cores()
    assert usable_cores() >= 1
