"""Reading JSON request bodies: every problem names its field."""

from __future__ import annotations

from datetime import datetime

from flask import request

from compliance.services.errors import InvalidInput, Unprocessable


def json_body() -> dict:
    """Return the request's JSON object, or refuse the request."""
    try:
        body = request.get_json(silent=True, force=True)
    except RecursionError:  # JSON nested thousands deep: Python's parser gives up
        raise InvalidInput("body", "The request body is nested too deeply.") from None
    if not isinstance(body, dict):
        raise InvalidInput("body", "The request body must be a JSON object.")
    return body


def text(body: dict, field: str, *, required: bool = True, max_length: int = 500) -> str | None:
    value = body.get(field)
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise InvalidInput(field, f"{field} is required.")
        return None
    if not isinstance(value, str):
        raise InvalidInput(field, f"{field} must be a string.")
    surrogate = next((ch for ch in value if "\ud800" <= ch <= "\udfff"), None)
    if surrogate is not None:
        raise Unprocessable(
            f"{field} is not valid Unicode: it holds a lone surrogate (U+{ord(surrogate):04X}), "
            "which no text can contain.",
            field=field,
        )
    if len(value) > max_length:
        raise InvalidInput(field, f"{field} must be at most {max_length} characters.")
    if any(ord(ch) < 32 and ch not in "\t\n\r" or ch == "\x7f" for ch in value):
        raise InvalidInput(field, f"{field} must not contain control characters.")
    return value


def integer(body: dict, field: str, *, default: int) -> int:
    value = body.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, f"{field} must be a whole number.")
    return value


def instant(body: dict, field: str) -> datetime:
    """Return an ISO 8601 date-time that carries a UTC offset."""
    value = text(body, field, max_length=64)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(
            field, f"{field} must be an ISO 8601 date-time such as 2025-03-04T19:00:00-06:00."
        ) from exc
    if moment.tzinfo is None:
        raise InvalidInput(field, f"{field} needs a UTC offset, e.g. 2025-03-04T19:00:00-06:00.")
    return moment
