"""Facilitators' pages: meetings, the live session page, roster changes, signing, API tokens."""

from compliance.web.facilitator import meetings, records, roster, sessions, tokens  # noqa: F401
from compliance.web.facilitator.blueprint import bp

__all__ = ["bp"]
