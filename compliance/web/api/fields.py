"""The field types of API request bodies.

Each type is one declaration read two ways: its check is the only rule applied to a JSON value
(refusing with the sentence that names the field), and its pydantic type and constraints are
what the OpenAPI document shows. Pydantic's own coercion never runs (the check replaces it), so
no value is quietly converted and every refusal keeps the wording clients already see.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, WrapValidator
from pydantic_core import PydanticCustomError

from compliance.services.errors import InvalidInput, ServiceError, Unprocessable

INSTANT_EXAMPLE = "2025-03-04T19:00:00-06:00"


def checked_by(check: Callable[[str, Any], Any]) -> WrapValidator:
    """Validate a field with check(field, value) alone; a ServiceError it raises travels
    inside pydantic's error to be raised again as is (see web/api/reading.py)."""

    def validate(value, _pydantic_check, info: ValidationInfo):
        try:
            return check(info.field_name, value)
        except ServiceError as error:
            context = {"message": error.message, "error": error}
            raise PydanticCustomError("refused", "{message}", context) from None

    return WrapValidator(validate)


def sometimes(**shown) -> Any:
    """An optional key whose type stays exactly what is sent when present (no null default
    in the document)."""
    extra = shown.pop("json_schema_extra", {})

    def show(schema: dict) -> None:
        schema.pop("default", None)
        schema.update(extra)

    return Field(default=None, json_schema_extra=show, **shown)


def check_text(field: str, value, *, required: bool, max_length: int) -> str | None:
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


def check_whole_number(field: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, f"{field} must be a whole number.")
    return value


def check_instant(field: str, value) -> datetime:
    """Return an ISO 8601 date-time that carries a UTC offset."""
    value = check_text(field, value, required=True, max_length=64)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(
            field, f"{field} must be an ISO 8601 date-time such as {INSTANT_EXAMPLE}."
        ) from exc
    if moment.tzinfo is None:
        raise InvalidInput(field, f"{field} needs a UTC offset, e.g. {INSTANT_EXAMPLE}.")
    return moment


def Text(max_length: int, **shown) -> Any:  # noqa: N802 (a type, named like one)
    """A required string of at most max_length characters, no control characters."""

    def check(field, value):
        return check_text(field, value, required=True, max_length=max_length)

    return Annotated[str, Field(max_length=max_length, **shown), checked_by(check)]


def OptionalText(max_length: int, **shown) -> Any:  # noqa: N802
    """Like Text, and null, blank or left out all mean none."""

    def check(field, value):
        return check_text(field, value, required=False, max_length=max_length)

    bounded = Annotated[str, Field(max_length=max_length)]
    return Annotated[bounded | None, Field(**shown), checked_by(check)]


def WholeNumber(**shown) -> Any:  # noqa: N802
    """An integer (true and false are not numbers here)."""
    return Annotated[int, Field(**shown), checked_by(check_whole_number)]


def Instant(example: str) -> Any:  # noqa: N802
    """An ISO 8601 date-time that must carry its UTC offset."""
    return Annotated[
        datetime,
        Field(description="ISO 8601 with a UTC offset, between 2000 and 2100", examples=[example]),
        checked_by(check_instant),
    ]
