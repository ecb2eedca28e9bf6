"""Progress of long operator commands on stderr, so stdout keeps only the results scripts read.

On a terminal one line is redrawn in place; in a log (cron, CI) a line is written when a stage
starts, every few seconds while it runs and when it ends, so the log shows where a slow run was.
click.progressbar was not enough: off a terminal it prints its label once and nothing after.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

TERMINAL_INTERVAL = 0.1
LOG_INTERVAL = 5.0


class StderrProgress:
    """A `services.progress.Progress` that shows each stage, its count and its elapsed time."""

    def __init__(
        self,
        stream: TextIO | None = None,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._stream = stream or sys.stderr
        self._live = self._stream.isatty()
        self._interval = interval or (TERMINAL_INTERVAL if self._live else LOG_INTERVAL)
        self._clock = clock
        self._stage: str | None = None
        self._total: int | None = None
        self._done = 0
        self._started = self._shown_at = 0.0

    def begin(self, stage: str, total: int | None = None) -> None:
        self._end_stage()
        self._stage, self._total, self._done = stage, total, 0
        self._started = self._shown_at = self._clock()
        self._show()

    def advance(self, steps: int = 1) -> None:
        self._done += steps
        now = self._clock()
        if now - self._shown_at >= self._interval:
            self._shown_at = now
            self._show()

    def finish(self) -> None:
        """End the last stage: show its final count and how long it took."""
        self._end_stage()

    def interrupt(self) -> None:
        """Leave the current stage unfinished (the command failed): end its line, claim nothing."""
        if self._stage is not None and self._live:
            self._stream.write("\n")
        self._stage = None

    def _end_stage(self) -> None:
        if self._stage is None:
            return
        self._show(ended=True)
        self._stage = None

    def _show(self, ended: bool = False) -> None:
        count = self._count()
        line = f"{self._stage}: {count}" if count else f"{self._stage}…"
        elapsed = self._clock() - self._started
        if ended:
            line += f"{', ' if count else ' '}done in {elapsed:.1f} s"
        elif elapsed >= 0.05:
            line += f"{', ' if count else ' '}{elapsed:.1f} s"
        if self._live:
            self._stream.write("\r\x1b[K" + line + ("\n" if ended else ""))
        else:
            self._stream.write(line + "\n")
        self._stream.flush()

    def _count(self) -> str:
        if self._total is not None:
            percent = 100 * self._done // self._total if self._total else 100
            return f"{self._done:,}/{self._total:,} ({percent}%)"
        return f"{self._done:,}" if self._done else ""


@contextmanager
def shown_on_stderr() -> Iterator[StderrProgress]:
    """Yield a progress display; close its last stage as done, or as cut short on an error."""
    progress = StderrProgress()
    try:
        yield progress
    except BaseException:
        progress.interrupt()
        raise
    progress.finish()
