"""The service's idea of now: real time, unless a test sets CLOCK to a callable."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from compliance.models.types import utcnow


def now() -> datetime:
    """Return the current time (aware, UTC) for stamping check-ins and checking schedules."""
    clock = current_app.config.get("CLOCK") or utcnow
    return clock()
