"""Reading what an officer asks for a new case (API body or dashboard form): each refusal
names its field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.domain.cases.progress import MEETINGS, PER_WEEK, Requirement, Terms
from compliance.domain.printed_text import hidden_character, normalize
from compliance.domain.programs import canonical_program
from compliance.services.errors import Unprocessable

LABEL_MAX = 80
MAX_DAYS = 3660  # ten years
MAX_WEEKS = 520
MAX_PER_WEEK = 21
MAX_MINUTES = 1440
MAX_PROGRAMS = 20
PROGRAM_MAX = 200
EARLIEST_START, LATEST_START = date(2000, 1, 1), date(2100, 12, 31)

REQUIREMENT_SHAPES = {
    MEETINGS: ("meetings", "days"),
    PER_WEEK: ("per_week", "weeks"),
}


@dataclass(frozen=True)
class NewCase:
    label: str
    terms: Terms


def _refuse(field: str, message: str):
    """Refuse the body naming the contract's field ("requirement"), and the part of it at
    fault ("requirement.days") when there is one."""
    top, _, part = field.partition(".")
    raise Unprocessable(message, field=top, **({"part": field} if part else {}))


def _whole_number(field: str, value, lowest: int, highest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _refuse(field, f"{field} must be a whole number.")
    if not lowest <= value <= highest:
        _refuse(field, f"{field} must be between {lowest} and {highest}.")
    return value


def _text(field: str, value, max_length: int) -> str:
    if not isinstance(value, str):
        _refuse(field, f"{field} must be a string.")
    if hidden_character(value) is not None:  # control, format and bidi characters
        _refuse(field, f"{field} must not contain control or invisible characters.")
    cleaned = normalize(value)
    if not cleaned:
        _refuse(field, f"{field} must not be empty.")
    if len(cleaned) > max_length:
        _refuse(field, f"{field} must be at most {max_length} characters.")
    return cleaned


def read_label(value) -> str:
    if value is None:
        _refuse("label", "label is required: your own reference, e.g. a docket number.")
    return _text("label", value, LABEL_MAX)


def read_requirement(value) -> Requirement:
    """Return the requirement {"meetings": N, "days": D} or {"per_week": K, "weeks": W}."""
    shapes = ' {"meetings": N, "days": D} or {"per_week": K, "weeks": W}'
    if not isinstance(value, dict):
        _refuse("requirement", "requirement must be an object:" + shapes + ".")
    kind = next((k for k, keys in REQUIREMENT_SHAPES.items() if set(value) == set(keys)), None)
    if kind is None:
        _refuse("requirement", "requirement must be exactly" + shapes + ".")
    count_field, span_field = REQUIREMENT_SHAPES[kind]
    if kind == MEETINGS:
        span = _whole_number(f"requirement.{span_field}", value[span_field], 1, MAX_DAYS)
        count = _whole_number(f"requirement.{count_field}", value[count_field], 1, 10 * span)
    else:
        count = _whole_number(f"requirement.{count_field}", value[count_field], 1, MAX_PER_WEEK)
        span = _whole_number(f"requirement.{span_field}", value[span_field], 1, MAX_WEEKS)
    return Requirement(kind, count, span)


def read_start(value, today: date) -> date:
    if value is None:
        return today
    if not isinstance(value, str) or len(value) != 10:
        _refuse("starts_on", "starts_on must be a date like 2025-03-01.")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        _refuse("starts_on", "starts_on must be a date like 2025-03-01.")
    if not EARLIEST_START <= day <= LATEST_START:
        _refuse("starts_on", f"starts_on must be between {EARLIEST_START} and {LATEST_START}.")
    return day


def read_min_minutes(value) -> int:
    return 0 if value is None else _whole_number("min_minutes", value, 0, MAX_MINUTES)


def read_programs(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        _refuse("programs", 'programs must be a list of program names, e.g. ["AA", "NA"].')
    if not value:
        _refuse("programs", "programs must name at least one program, or be left out.")
    if len(value) > MAX_PROGRAMS:
        _refuse("programs", f"programs may name at most {MAX_PROGRAMS} programs.")
    names = [canonical_program(_text("programs", item, PROGRAM_MAX)) for item in value]
    return tuple(dict.fromkeys(names))


def read_new_case(body: dict, today: date) -> NewCase:
    """Return the case a request body describes, or refuse it naming the first wrong field."""
    label = read_label(body.get("label"))
    requirement = read_requirement(body.get("requirement"))
    starts_on = read_start(body.get("starts_on"), today)
    min_minutes = read_min_minutes(body.get("min_minutes"))
    programs = read_programs(body.get("programs"))
    return NewCase(label, Terms(requirement, starts_on, min_minutes, programs))
