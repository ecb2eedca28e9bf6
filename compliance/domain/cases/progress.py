"""Whether a client is meeting a court order: periods, what counts, and the status.

Rules (README, "Officers"):
- A requirement is `meetings` within `days` from the start (one period), or `per_week` in each
  of `weeks` 7-day periods from the start.
- A record counts when it is valid, its meeting's date (in the meeting's zone) falls in the
  case's periods, it has at least `min_minutes` present and its program is one of `programs`
  (when given). Records whose meetings overlap in time count once: the one with the most
  minutes counts, the others are listed as not counting.
- `met`: every period has what it needs. `behind`: a period that is over fell short, or the
  current one needs more meetings than it has days left (more than one a day would be needed).
  Otherwise `on_track`. A period is over only once its last day has ended everywhere on Earth:
  a meeting late on the last day, somewhere west, still counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from compliance.domain.summaries.summary import meeting_clusters
from compliance.domain.verdict import Status

MEETINGS, PER_WEEK = "meetings", "per_week"
# The last calendar date still under way somewhere (UTC-12): a period ending before it is over.
LATEST_OFFSET = timedelta(hours=12)


class CaseStatus(StrEnum):
    AWAITING_CONSENT = "awaiting_consent"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MET = "met"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Requirement:
    """`count` meetings within `span` days (MEETINGS), or `count` a week for `span` weeks."""

    kind: str
    count: int
    span: int

    def periods(self, starts_on: date) -> list[tuple[date, date]]:
        """Return the periods as (first day, last day), both included."""
        if self.kind == MEETINGS:
            return [(starts_on, starts_on + timedelta(days=self.span - 1))]
        return [
            (starts_on + timedelta(weeks=week), starts_on + timedelta(weeks=week, days=6))
            for week in range(self.span)
        ]

    @property
    def needed(self) -> int:
        return self.count if self.kind == MEETINGS else self.count * self.span

    def as_dict(self) -> dict:
        if self.kind == MEETINGS:
            return {"meetings": self.count, "days": self.span}
        return {"per_week": self.count, "weeks": self.span}

    def describe(self) -> str:
        """Say the requirement in words, for pages and the report."""
        if self.kind == MEETINGS:
            return f"{self.count} {_meetings(self.count)} within {self.span} days"
        return f"{self.count} {_meetings(self.count)} a week for {self.span} weeks"


def _meetings(count: int) -> str:
    return "meeting" if count == 1 else "meetings"


@dataclass(frozen=True)
class Terms:
    """What a case asks: the requirement, from when, and which meetings qualify."""

    requirement: Requirement
    starts_on: date
    min_minutes: int = 0
    programs: tuple[str, ...] = ()

    @property
    def ends_on(self) -> date:
        """The last day of the last period."""
        requirement = self.requirement
        days = requirement.span if requirement.kind == MEETINGS else 7 * requirement.span
        return self.starts_on + timedelta(days=days - 1)

    def as_json(self) -> dict:
        """The terms as the API and a verified report state them."""
        return {
            "requirement": self.requirement.as_dict(),
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "min_minutes": self.min_minutes,
            "programs": list(self.programs) or None,
        }

    def program_allowed(self, program: str) -> bool:
        wanted = {_program_key(p) for p in self.programs}
        return not wanted or _program_key(program) in wanted


def _program_key(program: str) -> str:
    return " ".join(program.split()).casefold()


@dataclass(frozen=True)
class CaseRecord:
    """One record of the linked page, as progress needs it."""

    code: str
    status: Status  # valid, revoked or key_revoked (a record's standing)
    day: date  # the meeting's date in its own zone
    starts_at: datetime
    ends_at: datetime
    meeting: str
    program: str
    minutes: int
    name: str = ""  # as printed on its slip


@dataclass(frozen=True)
class Line:
    """A record in the case's window, and whether it counts."""

    record: CaseRecord
    counts: bool


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date
    counted: int
    needed: int

    @property
    def met(self) -> bool:
        return self.counted >= self.needed


@dataclass(frozen=True)
class Progress:
    status: CaseStatus
    periods: tuple[Period, ...]
    lines: tuple[Line, ...]  # in meeting order

    @property
    def counted(self) -> int:
        """Meetings that count (a week's extra meetings included)."""
        return sum(period.counted for period in self.periods)

    @property
    def needed(self) -> int:
        return sum(period.needed for period in self.periods)

    @property
    def credited(self) -> int:
        """Meetings toward the need: a week's extras do not make up for another week."""
        return sum(min(period.counted, period.needed) for period in self.periods)


def latest_day_under_way(now: datetime) -> date:
    """Return the calendar date that is still current somewhere on Earth at `now` (aware)."""
    return (now - LATEST_OFFSET).date()


def _qualifies(terms: Terms, record: CaseRecord) -> bool:
    return (
        record.status is Status.VALID
        and record.minutes >= terms.min_minutes
        and terms.program_allowed(record.program)
    )


def _counting(terms: Terms, records: Sequence[CaseRecord]) -> set[int]:
    """Return the positions of the records that count: one per group of overlapping meetings."""
    eligible = [i for i, record in enumerate(records) if _qualifies(terms, record)]
    spans = [(records[i].starts_at, records[i].ends_at, records[i].minutes) for i in eligible]
    counting = set()
    for cluster in meeting_clusters(spans):
        best = max(cluster, key=lambda i: (spans[i][2], -i))  # most minutes, then earliest
        counting.add(eligible[best])
    return counting


def in_window(terms: Terms, records: Iterable[CaseRecord]) -> list[CaseRecord]:
    """Return the records an officer may see: those dated within the case's periods."""
    ends_on = terms.ends_on
    return sorted(
        (r for r in records if terms.starts_on <= r.day <= ends_on),
        key=lambda r: (r.starts_at, r.code),
    )


def progress(terms: Terms, records: Iterable[CaseRecord], today: date) -> Progress:
    """Return the case's progress on `today` (see latest_day_under_way) over the page's records."""
    shown = in_window(terms, records)
    counting = _counting(terms, shown)
    periods = []
    for date_from, date_to in terms.requirement.periods(terms.starts_on):
        counted = sum(1 for i in counting if date_from <= shown[i].day <= date_to)
        needed = terms.requirement.count
        periods.append(Period(date_from, date_to, counted, needed))
    lines = tuple(Line(record, i in counting) for i, record in enumerate(shown))
    return Progress(status_of(periods, today), tuple(periods), lines)


def status_of(periods: Sequence[Period], today: date) -> CaseStatus:
    """Return met, behind or on_track for periods on `today` (the rules above)."""
    if all(period.met for period in periods):
        return CaseStatus.MET
    for period in periods:
        if period.met:
            continue
        if period.date_to < today:
            return CaseStatus.BEHIND
        if period.date_from <= today:
            days_left = (period.date_to - today).days + 1
            if period.needed - period.counted > days_left:
                return CaseStatus.BEHIND
    return CaseStatus.ON_TRACK


def closing_short(periods: Sequence[Period], today: date, within_days: int = 2) -> Period | None:
    """Return the current period when it ends within `within_days` (today included) and is
    still short: the moment to remind the attendee."""
    for period in periods:
        current = period.date_from <= today <= period.date_to
        if current and not period.met and (period.date_to - today).days < within_days:
            return period
    return None
