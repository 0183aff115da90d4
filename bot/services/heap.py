"""Keeping the long-lived heap out of Python's full garbage collections.

The screening index is millions of small objects that live until the next list change.
Every full (oldest-generation) collection walked all of them: 250-550 ms with the GIL
held, during which no request was served, several times a minute under load; the
bench's /screen p99 was those pauses. `gc.freeze()` moves every object alive now into
a generation the collector leaves alone; they are still freed by reference counting
when the index is replaced.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def settle_long_lived_objects() -> None:
    """After a new index is in place: collect what is garbage now (the old index, if it
    had cycles, and the build's leftovers), then freeze the rest. One pause per list
    change instead of one every few seconds."""
    started = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    log.info(
        "heap.settled frozen_objects=%d pause_ms=%.0f",
        gc.get_freeze_count(),
        (time.perf_counter() - started) * 1000,
    )
