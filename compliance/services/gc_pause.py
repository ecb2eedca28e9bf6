"""Pausing Python's cycle collector while a use case builds and writes a large batch.

Importing a 50,000-row report makes a few hundred thousand short-lived containers (cells,
rows, tuples, ids). Each batch of them triggers the cycle collector, and its full passes walk
the whole heap (the app, SQLAlchemy's registries) again and again: a third of a PostgreSQL
import's time. The batch makes no cycles worth collecting in between, and reference counting
still frees everything it drops, so the collector is paused for the duration and runs again as
usual afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause the cycle collector inside the block (or the decorated function), unless it
    already was paused.

    The switch is process-wide: whoever paused it switches it back on, so it is on again once
    the first of overlapping pauses (two threads' imports) ends, and nothing left behind is
    missed, only collected later.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
