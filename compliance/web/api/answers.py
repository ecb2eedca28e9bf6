"""The shapes of the API's answers, as the OpenAPI document states them.

The presenters (presenters.py, cases.py, the verdict's as_dict) build these answers; the
schemathesis run (tests/test_api_fuzz.py) and tests/app/test_api_document.py check answers against
these models, which refuse any key they do not name.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from compliance.domain.cases.progress import CaseStatus
from compliance.domain.verdict import Status
from compliance.web.api.bodies import Requirement
from compliance.web.api.fields import sometimes

Instant = Annotated[datetime, Field()]
Day = Annotated[date, Field(examples=["2025-03-03"])]


class Shape(BaseModel):
    # A key no model names is an answer the document does not describe (additionalProperties
    # false): the fuzz run and tests/app/test_api_document.py catch it.
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class Error(Shape):
    """A refusal; some carry more details than these (a report's dates, say)."""

    model_config = ConfigDict(extra="allow")
    error: str
    field: str = sometimes()
    part: str = sometimes(description="The part of `field` at fault")
    line: int | None = sometimes()


class Meeting(Shape):
    id: str
    name: str
    program: str
    platform: str | None = sometimes()
    timezone: str
    min_presence_percent: int


class Session(Shape):
    id: str
    meeting_id: str = sometimes()
    starts_at: Instant
    ends_at: Instant
    timezone: str = sometimes()
    status: Literal["open", "finalized"]
    checkin_code: str
    checkout_code: str = sometimes()


class Interval(Shape):
    id: str = sometimes()
    joined_at: Instant = sometimes()
    left_at: Instant | None = sometimes()
    source: Literal["checkin", "report", "manual"] = sometimes()
    report_format: str | None = sometimes()


class RosterEntry(Shape):
    id: str = sometimes()
    name: str = Field(description="Exactly the name a slip would print.")
    name_source: Literal["checkin", "page", "report", "manual", "facilitator"] | None = sometimes()
    email: str | None
    present_minutes: int = Field(ge=0)
    present_seconds: int = sometimes(ge=0)
    qualifies: bool
    is_host: bool = sometimes()
    excluded_reason: str | None = sometimes()
    issues_slip: bool = sometimes()
    shares_name: bool = sometimes(
        description="Another person on the roster has the same name (check who is who)."
    )
    intervals: list[Interval] = sometimes()


class Roster(Shape):
    session: Session = sometimes()
    attendees: list[RosterEntry]


class ImportResult(Shape):
    id: str = Field(description="Of the import, to undo it as a whole")
    format: Literal["zoom", "zoom-unique", "teams", "meet"]
    rows: int
    participants: int


class Record(Shape):
    id: str
    code: str
    name: str
    present_minutes: int = sometimes()
    token: str
    kid: str = sometimes()
    issued_at: Instant = sometimes()
    revoked_at: str | None = sometimes()
    revoked_reason: str | None = sometimes()
    slip_url: str = Field(json_schema_extra={"format": "uri"})
    attendee_url: None = Field(
        description="Always null: an attendee's page never reaches a facilitator."
    )
    verify_url: str = sometimes(json_schema_extra={"format": "uri"})


class Finalized(Shape):
    session_id: str = sometimes()
    records: list[Record]


class SlipRecord(Shape):
    code: str
    name: str
    meeting: str
    program: str
    starts_at: Instant
    ends_at: Instant
    timezone: str
    present_minutes: int
    scheduled_minutes: int = sometimes()
    facilitator: str
    facilitator_id: str = sometimes()
    issued_at: Instant
    language: str = sometimes()
    kid: str


class ListedRecord(Shape):
    code: str
    name: str = Field(description="As printed on the record's slip")
    status: Literal["valid", "revoked", "key_revoked"] = Field(description="Now")
    date: Day
    meeting: str
    program: str
    minutes: int
    reason: str = sometimes(description="Why it was withdrawn")


class ReportOutcome(Shape):
    requirement: Requirement
    starts_on: Day
    ends_on: Day
    min_minutes: int
    programs: list[str] | None
    status: Literal["met", "on_track", "behind"]
    met: bool
    counted: int
    needed: int
    as_of: Day


class SummaryStanding(Shape):
    """What a summary (or a compliance report) lists and how much of it still counts. The
    offline check (`flask slips verify --jwks`) answers the same keys, null where it cannot
    know: always records, meetings and total_minutes; codes for a long summary (its token
    carries only their digest); valid_records and revoked_codes unless it has the codes and
    a revocation list."""

    name: str
    from_: Day = Field(alias="from")
    to: Day
    issued_at: Instant
    n: int = Field(description="Records listed, as signed (the same as listed)")
    min: int = Field(description="Their minutes added up, as signed")
    codes: list[str] = Field(description="Of the records listed")
    listed: int
    valid_records: int = Field(description="Listed records not withdrawn since")
    revoked_codes: list[str] = Field(description="Listed records withdrawn since")
    meetings: int = Field(
        description="Meetings that still count: valid records, meetings at the same time once"
    )
    total_minutes: int = Field(description="Minutes of the meetings that still count")
    records: list[ListedRecord]
    report: ReportOutcome = sometimes(
        description="A compliance report's terms and outcome when it was signed"
    )


class Verdict(Shape):
    status: Status
    record: SlipRecord | None
    reason: str = sometimes()
    note: str = sometimes()
    revoked_at: Instant = sometimes()
    summary: SummaryStanding = sometimes()


class CaseSummary(Shape):
    id: str
    label: str
    status: CaseStatus
    counted: int = Field(description="Records that count")
    needed: int


class CaseList(Shape):
    cases: list[CaseSummary]


class Period(Shape):
    from_: Day = Field(alias="from")
    to: Day
    counted: int
    needed: int


class CaseRecord(Shape):
    code: str
    status: Literal["valid", "revoked", "key_revoked"]
    date: Day
    meeting: str
    program: str
    minutes: int
    counts: bool


class Case(CaseSummary):
    requirement: Requirement
    enrolment_code: str = sometimes(
        description="Give it to the client: typed on their attendance page, it links the page "
        "to the case (their consent)."
    )
    starts_on: Day = sometimes()
    ends_on: Day = sometimes()
    min_minutes: int = sometimes()
    programs: list[str] | None = sometimes()
    periods: list[Period]
    records: list[CaseRecord] = Field(
        description="Empty until the attendee consents, and after they withdraw"
    )
