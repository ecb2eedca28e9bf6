"""Tell which platform wrote a report, and how its cells are separated, from its content alone."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.domain.reports import meet, teams, zoom
from compliance.domain.reports.columns import SHAPES, Recognised, recognise_table
from compliance.domain.reports.headers import Header, HeaderSpec, find_header
from compliance.domain.reports.labels import language_of
from compliance.domain.reports.meet_segments import title_date
from compliance.domain.reports.model import ReportError
from compliance.domain.reports.table import (
    Row,
    delimiters_by_likelihood,
    read_rows,
    sample_of,
)
from compliance.domain.reports.unrecognised import explain_unrecognised

ACCEPTED_FORMATS = (
    "a Zoom participants report (per join or unique users), "
    "a Microsoft Teams attendance report or attendance list, or a Google Meet attendance list"
)
# Every known format shows its title or table header within its first few lines; a table
# recognised by content may follow a longer summary.
_SAMPLE_ROWS = 50
_CONTENT_SAMPLE_ROWS = 400
_SPEC_SHAPES = {"teams": "teams", "zoom": "zoom", "zoom-unique": "zoom-unique", "meet": "meet"}
_TABLE_HEADERS: tuple[tuple[str, HeaderSpec], ...] = (
    ("teams", teams.UNTITLED_TABLE_HEADER),
    ("zoom", zoom.JOINS_HEADER),
    ("zoom-unique", zoom.UNIQUE_HEADER),
    ("meet", meet.HEADER),
)
_NEAR_MISS_HEADERS = (zoom.JOINS_HEADER, zoom.UNIQUE_HEADER, meet.HEADER)
# A name column alone is too common to suggest any format.
_TOO_COMMON_ROLES = frozenset({"name", "first_name"})


@dataclass(frozen=True)
class Detected:
    """A recognised report: its shape, its cell delimiter and, when it was recognised by what
    its columns hold, where they are. `described` says what was recognised, for messages."""

    format: str
    delimiter: str
    described: str
    header: Header | None = None
    per_person: bool = False
    times_labelled: bool = True


def detect_format(text: str) -> Detected:
    """Return the report's shape and delimiter, or refuse it saying what is accepted.

    English labels of the known shapes are looked for first; then a table is recognised by
    what its columns hold, in any language.
    """
    if title_date(read_rows(sample_of(text), "\t", limit=3)) is not None:
        return Detected("meet-segments", "\t", "a Google Meet attendance export (per class)")
    near_miss: ReportError | None = None
    titled: str | None = None
    delimiters = delimiters_by_likelihood(text)
    for delimiter in delimiters:
        sample = read_rows(sample_of(text), delimiter, limit=_SAMPLE_ROWS)
        found = _recognise(sample)
        if found is not None:
            return Detected(found, delimiter, _described_spec(found, sample))
        if titled is None and _has_section_title(sample):
            titled = delimiter
        near_miss = near_miss or _near_miss(sample)
    for delimiter in delimiters:
        sample = read_rows(sample_of(text), delimiter, limit=_CONTENT_SAMPLE_ROWS)
        if (recognised := recognise_table(sample)) is not None:
            return _by_content(recognised, delimiter)
    if titled is not None:
        # Teams section titles without a readable table: the Teams parser says what is wrong.
        return Detected("teams", titled, f"a {SHAPES['teams']}")
    reason = f"the file is not a participant report this service reads: expected {ACCEPTED_FORMATS}"
    best = read_rows(sample_of(text), delimiters[0], limit=_SAMPLE_ROWS)
    raise near_miss or explain_unrecognised(best) or ReportError(reason, 1)


def _recognise(sample: list[Row]) -> str | None:
    """Return the format whose title and table header, or header alone, appear in the sample."""
    if _has_section_title(sample) and _has_header(sample, teams.TABLE_HEADER):
        return "teams"
    for format_name, spec in _TABLE_HEADERS:
        if _has_header(sample, spec):
            return format_name
    return None


def _has_section_title(sample: list[Row]) -> bool:
    """Return whether a Teams section title ("2. Participants", ...) is among the rows."""
    return any(teams.section_title(cells) for _, cells in sample)


def _has_header(sample: list[Row], spec: HeaderSpec) -> bool:
    """Return whether a header of `spec` is among the rows."""
    return find_header(spec, sample) is not None


def _near_miss(sample: list[Row]) -> ReportError | None:
    """Return an error naming the missing columns of a header that is almost a known one."""
    for line, cells in sample:
        for spec in _NEAR_MISS_HEADERS:
            missing = spec.missing(cells)
            present = [role for role in spec.required if spec.required[role].title not in missing]
            if missing and set(present) - _TOO_COMMON_ROLES:
                columns = ", ".join(f'"{title}"' for title in missing)
                reason = f"the header looks like a {spec.label} but has no {columns} column"
                return ReportError(reason, line)
    return None


def _by_content(recognised: Recognised, delimiter: str) -> Detected:
    """Return a table recognised by content as a detected report."""
    return Detected(
        recognised.shape,
        delimiter,
        recognised.described(),
        recognised.header,
        recognised.per_person,
        recognised.times_labelled,
    )


def _described_spec(format_name: str, sample: list[Row]) -> str:
    """Return what a report recognised by its English labels is, for messages."""
    spec = dict(_TABLE_HEADERS).get(format_name)
    header = find_header(spec, sample) if spec is not None else None
    language = language_of(header and sample[header.row_index][1] or ()) or "English"
    return f"a {SHAPES[_SPEC_SHAPES[format_name]]} in {language}"
