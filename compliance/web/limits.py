"""Rate limits on the public verification surfaces.

Guessing codes is the attack: only answers of `not_found` spend the tight budget, so an officer
checking real slips, however many, never meets it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import g

from compliance.extensions import limiter

UNKNOWN_CODES_ALLOWED = "30 per 10 minutes"
VERIFICATIONS_ALLOWED = "120 per minute"
UPLOADS_ALLOWED = "20 per minute"


def note_verdict(status: str) -> None:
    """Remember this request's verdict for the limiter, which looks after the response."""
    g.verdict_status = status


def _unknown_code_answered(response) -> bool:
    return g.get("verdict_status") == "not_found"


def _checked_only_when_enabled(limit: Callable) -> Callable:
    """Apply a Flask-Limiter decorator whose checks are skipped while rate limits are off.

    With RATELIMIT_ENABLED false, Flask-Limiter still resolves and filters a decorated view's
    limits on every request: a tenth of a verify answer's cost, for nothing.
    """

    def decorate(view: Callable) -> Callable:
        limited = limit(view)

        @wraps(limited)  # carries Flask-Limiter's marker, so stacked limits still check once
        def view_or_limited(*args, **kwargs):
            return (limited if limiter.enabled else view)(*args, **kwargs)

        return view_or_limited

    return decorate


unknown_codes_limit = _checked_only_when_enabled(
    limiter.shared_limit(
        UNKNOWN_CODES_ALLOWED, scope="unknown-codes", deduct_when=_unknown_code_answered
    )
)
verifications_limit = _checked_only_when_enabled(
    limiter.shared_limit(VERIFICATIONS_ALLOWED, scope="verifications")
)
uploads_limit = _checked_only_when_enabled(limiter.shared_limit(UPLOADS_ALLOWED, scope="uploads"))


WRONG_MEETING_CODES_ALLOWED = "10 per minute"


def note_wrong_meeting_code() -> None:
    """Count this request against the wrong-code budget (no session has the code typed)."""
    g.wrong_code = True


def _wrong_meeting_code_sent(response) -> bool:
    return g.get("wrong_code", False)


# One budget for every page that takes a check-in or check-out code, spent only by codes that
# match no session: a right code is never refused, whoever shares the address.
meeting_codes_limit = limiter.shared_limit(
    WRONG_MEETING_CODES_ALLOWED, scope="codes", deduct_when=_wrong_meeting_code_sent
)


WRONG_ENROLMENT_CODES_ALLOWED = "10 per hour"


def note_wrong_enrolment_code() -> None:
    """Count this request against the budget for case codes that match no case."""
    g.wrong_enrolment_code = True


def _wrong_enrolment_code_sent(response) -> bool:
    return g.get("wrong_enrolment_code", False)


# Linking a page to a case by guessing its code is the attack; a right code is never refused.
enrolment_codes_limit = limiter.shared_limit(
    WRONG_ENROLMENT_CODES_ALLOWED, scope="enrolment-codes", deduct_when=_wrong_enrolment_code_sent
)
