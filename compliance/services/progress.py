"""How long operator work (imports, re-signing, purges) tells whoever runs it how far it got.

Use cases take a `Progress` and call it between steps; they never print. The CLI passes one
that writes to stderr (compliance/cli_progress.py); the web passes nothing and gets `SILENT`.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def begin(self, stage: str, total: int | None = None) -> None:
        """Start a stage; `total` is how many steps it has, when that is known."""

    def advance(self, steps: int = 1) -> None:
        """Count steps of the current stage as done."""


class _Silent:
    def begin(self, stage: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


SILENT: Progress = _Silent()
