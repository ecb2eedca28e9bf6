"""Rate limits where guessing is possible.

A right answer is never refused by a limit, whoever else shares the client's address (a clinic,
a group home, everyone behind one proxy): only wrong guesses spend a budget. A view runs, says
whether the request was a wrong guess (`note_wrong_guess`), and a wrong guess past the budget is
answered 429 instead. The codes carry 64 random bits and more, so no budget is needed to make
a search hopeless; it makes one stand out (429s in the log) and stops a script from getting
answers. Budgets are per client (its address, as the trusted proxies give it) and per target
where a guess has one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, g
from flask_limiter.util import get_remote_address
from limits import parse

from compliance.extensions import limiter

UNKNOWN_CODES_ALLOWED = "30 per 10 minutes"
WRONG_UPLOADS_ALLOWED = "20 per minute"
WRONG_MEETING_CODES_ALLOWED = "10 per minute"


class GuessBudget:
    """How many wrong guesses one client (and one target) may make in a window."""

    def __init__(self, scope: str, allowed: str):
        self.scope = scope
        self._limit = parse(allowed)

    def spend(self, targets: tuple[str, ...] = ()) -> bool:
        """Count a wrong guess against the client and each target; False past the budget."""
        keys = [f"client:{get_remote_address()}", *(f"target:{t}" for t in targets)]
        # Every key is counted, even once one is past its budget.
        within = [limiter.limiter.hit(self._limit, self.scope, key) for key in keys]
        return all(within)

    def __call__(self, view: Callable) -> Callable:
        """Answer 429 instead of a wrong guess made past the budget."""

        @wraps(view)
        def guarded(*args, **kwargs):
            g.pop("wrong_guess", None)
            try:
                return view(*args, **kwargs)
            finally:  # also when the view answered a wrong guess by raising (a 422)
                self._refuse_past_budget()

        return guarded

    def _refuse_past_budget(self) -> None:
        targets = g.pop("wrong_guess", None)
        if targets is not None and limiter.enabled and not self.spend(targets):
            abort(429)


def note_wrong_guess(*targets: str) -> None:
    """Say that this request guessed wrong (about `targets`, when the guess had one)."""
    g.wrong_guess = targets


def note_verdict(status: str) -> None:
    """A verdict of `not_found` is a wrong guess at a code."""
    if status == "not_found":
        note_wrong_guess()


def note_upload_verdict(status: str) -> None:
    """An upload that is not a genuine slip of this service is a wrong guess."""
    if status in ("not_found", "invalid", "altered"):
        note_wrong_guess()


def note_wrong_meeting_code() -> None:
    note_wrong_guess()


# One budget for the verify page and the API, one for uploads, one for every page that takes a
# check-in or check-out code.
unknown_codes_limit = GuessBudget("unknown-codes", UNKNOWN_CODES_ALLOWED)
uploads_limit = GuessBudget("wrong-uploads", WRONG_UPLOADS_ALLOWED)
meeting_codes_limit = GuessBudget("codes", WRONG_MEETING_CODES_ALLOWED)


WRONG_ENROLMENT_CODES_ALLOWED = "10 per hour"


def note_wrong_enrolment_code() -> None:
    note_wrong_guess()


# Linking a page to a case by guessing its code is the attack; a right code is never refused.
enrolment_codes_limit = GuessBudget("enrolment-codes", WRONG_ENROLMENT_CODES_ALLOWED)
