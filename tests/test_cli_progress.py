"""The progress display of long operator commands: what a log and a terminal get to see."""

import io

import pytest

from compliance.cli_progress import StderrProgress, shown_on_stderr


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_a_line_at_the_start_every_interval_and_at_the_end():
    log, clock = io.StringIO(), FakeClock()
    progress = StderrProgress(log, interval=5.0, clock=clock)
    progress.begin("Re-signing summaries", 3000)
    for _ in range(3):
        clock.now += 3.0
        progress.advance(1000)
    progress.finish()
    assert log.getvalue().splitlines() == [
        "Re-signing summaries: 0/3,000 (0%)",
        "Re-signing summaries: 2,000/3,000 (66%), 6.0 s",  # 3 s after the first: too soon
        "Re-signing summaries: 3,000/3,000 (100%), done in 9.0 s",
    ]


def test_a_stage_without_steps_says_how_long_it_took_when_the_next_begins():
    log, clock = io.StringIO(), FakeClock()
    progress = StderrProgress(log, clock=clock)
    progress.begin("Reading the report (1,200 bytes)")
    clock.now += 0.25
    progress.begin("Writing", 0)
    progress.finish()
    assert log.getvalue().splitlines() == [
        "Reading the report (1,200 bytes)…",
        "Reading the report (1,200 bytes)… done in 0.2 s",
        "Writing: 0/0 (100%)",
        "Writing: 0/0 (100%), done in 0.0 s",
    ]


def test_a_terminal_line_is_redrawn_in_place_and_ended_once():
    terminal, clock = Terminal(), FakeClock()
    progress = StderrProgress(terminal, clock=clock)
    progress.begin("Deleting", 2)
    clock.now += 1
    progress.advance()
    progress.finish()
    shown = terminal.getvalue()
    assert shown.count("\n") == 1 and shown.endswith("done in 1.0 s\n")
    assert shown.split("\r\x1b[K")[1:] == [
        "Deleting: 0/2 (0%)",
        "Deleting: 1/2 (50%), 1.0 s",
        "Deleting: 1/2 (50%), done in 1.0 s\n",
    ]


def test_a_failure_does_not_claim_the_stage_was_done(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with pytest.raises(RuntimeError), shown_on_stderr() as progress:
        progress.begin("Matching", 10)
        raise RuntimeError("bad line")
    assert "done" not in terminal.getvalue() and terminal.getvalue().endswith("\n")
