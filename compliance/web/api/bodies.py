"""The API's request bodies: each field declared once, checked and documented from here.

Fields are checked in the order they are declared and the first refusal is the answer, so the
order below is the order in which clients learn what is wrong.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from werkzeug.datastructures import FileStorage

from compliance.services import case_terms
from compliance.services.attendance import MAX_NAME_LENGTH
from compliance.services.errors import InvalidInput
from compliance.services.meetings import MEETING_NAME_MAX, PLATFORM_MAX, PROGRAM_MAX
from compliance.web.api.fields import (
    Instant,
    OptionalText,
    Text,
    WholeNumber,
    checked_by,
    sometimes,
)


class RequestBody(BaseModel):
    """A JSON object whose unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _absent_is_null(cls, data: Any) -> Any:
        """A required field left out is refused by its own check, like one sent as null."""
        required = {name: None for name, field in cls.model_fields.items() if field.is_required()}
        return {**required, **data} if isinstance(data, dict) else data


TIMEZONE_MAX = 64


def printed(longest: int) -> str:
    """What the service allows of a text that is printed (maxLength is what this layer reads)."""
    return f"At most {longest} characters once spacing is tidied; longer is refused."


class MeetingInput(RequestBody):
    name: Text(
        200, description=printed(MEETING_NAME_MAX), examples=["Tuesday Evening Recovery Circle"]
    )
    program: Text(200, description=printed(PROGRAM_MAX), examples=["SMART Recovery"])
    timezone: Text(
        TIMEZONE_MAX, description="IANA zone, e.g. America/Chicago", examples=["America/Chicago"]
    )
    # The bounds are the service's (meetings.create_meeting), stated for clients.
    min_presence_percent: WholeNumber(ge=1, le=100) = 80
    platform: OptionalText(200, description=printed(PLATFORM_MAX)) = None


class SessionInput(RequestBody):
    starts_at: Instant("2025-03-04T19:00:00-06:00")
    ends_at: Instant("2025-03-04T20:00:00-06:00")


class AttendanceInput(RequestBody):
    name: Text(500, description=printed(MAX_NAME_LENGTH), examples=["Dana Kowalski"])
    email: OptionalText(254, examples=["dana.k@example.net"]) = None
    joined_at: Instant("2025-03-04T18:58:00-06:00")
    left_at: Instant("2025-03-04T19:31:00-06:00")
    note: OptionalText(500) = None


class RenameInput(RequestBody):
    name: Text(
        500,
        description=f"The name this person's slip will print. {printed(MAX_NAME_LENGTH)}",
    )


class RevokeInput(RequestBody):
    reason: Text(2000, examples=["Issued to the wrong person"])


# An officer's case terms are read by services/case_terms.py (shared with the dashboard form);
# the models below state them for the document and run those same readers.


class MeetingsWithin(BaseModel):
    """N meetings within D days"""

    model_config = ConfigDict(extra="forbid", title="N meetings within D days")
    meetings: int = Field(ge=1, description="≤ 10 × days")
    days: int = Field(ge=1, le=case_terms.MAX_DAYS)


class MeetingsEachWeek(BaseModel):
    """K meetings in each of W 7-day periods"""

    model_config = ConfigDict(extra="forbid", title="K meetings in each of W 7-day periods")
    per_week: int = Field(ge=1, le=case_terms.MAX_PER_WEEK)
    weeks: int = Field(ge=1, le=case_terms.MAX_WEEKS)


Requirement = Annotated[MeetingsWithin | MeetingsEachWeek, Field(union_mode="left_to_right")]
Program = Annotated[str, Field(min_length=1, max_length=case_terms.PROGRAM_MAX)]


def _label(field, value):
    return case_terms.read_label(value)


def _requirement(field, value):
    return case_terms.read_requirement(value)


def _start(field, value):
    # Left out, the start is today by the service's clock: only a given date is checked here.
    return None if value is None else case_terms.read_start(value, today=date.today())


def _min_minutes(field, value):
    return case_terms.read_min_minutes(value)


def _programs(field, value):
    return case_terms.read_programs(value)


class CaseInput(RequestBody):
    label: Annotated[
        str,
        Field(
            min_length=1,
            max_length=case_terms.LABEL_MAX,
            description="Your own reference (e.g. a docket number): never shown to anyone "
            "else, never printed.",
            examples=["24-CR-0193"],
        ),
        checked_by(_label),
    ]
    requirement: Annotated[Requirement, checked_by(_requirement)]
    starts_on: Annotated[date, checked_by(_start)] = sometimes(
        description="Default: today", examples=["2025-03-03"]
    )
    min_minutes: Annotated[
        int, Field(ge=0, le=case_terms.MAX_MINUTES), checked_by(_min_minutes)
    ] = 0
    programs: Annotated[
        list[Program],
        Field(
            min_length=1,
            max_length=case_terms.MAX_PROGRAMS,
            description="Only meetings of these programs count (default: any)",
        ),
        checked_by(_programs),
    ] = sometimes()


# Multipart uploads (the file arrives as werkzeug's FileStorage, shown as binary).


def _attached(what: str):
    def check(field, value):
        if not isinstance(value, FileStorage):
            raise InvalidInput(field, f"Attach {what} as the multipart field '{field}'.")
        return value

    return checked_by(check)


def _form_timezone(field, value):
    value = value.strip() or None if isinstance(value, str) else None
    if value is not None and len(value) > TIMEZONE_MAX:
        raise InvalidInput(field, f"{field} must be at most {TIMEZONE_MAX} characters.")
    return value


class ReportUpload(RequestBody):
    file: Annotated[
        bytes,
        Field(description="A Zoom, Teams or Meet participant report (CSV)"),
        _attached("the participant report"),
    ]
    timezone: Annotated[str, Field(max_length=TIMEZONE_MAX), checked_by(_form_timezone)] = (
        sometimes(description="Default: the meeting's")
    )


class SlipUpload(RequestBody):
    file: Annotated[bytes, Field(description="A slip PDF"), _attached("the slip PDF")]
