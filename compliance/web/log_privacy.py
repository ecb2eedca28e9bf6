"""Bearer secrets that travel in URLs, cut out of anything written to a log.

A slip token carries the attendee's name and meeting; a typed code, an attendee page link, a
share link, a download link, a set-password link and a session's check-in code each let whoever
holds them see or do something. Access logs are read by more people, and kept longer, than any
of those were meant for.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"

# The path segment after one of these prefixes is the secret (the verify API's "pdf" is not).
_SECRET_PATH_SEGMENT = re.compile(
    r"(/(?:v|api/v1/verify|set-password|slips|me|share|checkin|checkout)/)(?!pdf(?:[?\s]|$))[^/?#\s]+"
)
_SECRET_QUERY_VALUE = re.compile(r"((?:^|[?&])(?:code|token)=)[^&#\s]*")


def redact_secrets(text: str | None) -> str | None:
    """Return the text (a request line, path, query or referrer) with URL secrets replaced."""
    if not text:
        return text
    text = _SECRET_PATH_SEGMENT.sub(rf"\g<1>{REDACTED}", text)
    if "=" not in text:  # no query parameter: spare the scan of a long slip token
        return text
    return _SECRET_QUERY_VALUE.sub(rf"\g<1>{REDACTED}", text)
