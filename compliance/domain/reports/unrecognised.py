"""Say why a file whose labels were understood was still not read: which column, which line,
and what the file looks like ("a Microsoft Teams attendance list in French")."""

from __future__ import annotations

from compliance.domain.reports import labels
from compliance.domain.reports.cells import shown
from compliance.domain.reports.columns import described
from compliance.domain.reports.model import ReportError
from compliance.domain.reports.table import Row, is_blank
from compliance.domain.reports.timeparse import looks_like_instant, looks_like_time_of_day

_HEAD_ROWS = 60
_TIME_ROLES = ("join", "leave", "timestamp")


def explain_unrecognised(rows: list[Row]) -> ReportError | None:
    """Return a refusal naming what a header of known labels lacks, or None for other files."""
    for index, (line, cells) in enumerate(rows[:_HEAD_ROWS]):
        hints = [labels.role_of_label(cell) for cell in cells]
        roles = {hint[0] for hint in hints if hint is not None}
        if "name" not in roles or not roles & {*_TIME_ROLES, "minutes", "action"}:
            continue
        error = _bad_time_cell(rows, index, hints) or _missing_times(line)
        error.recognised = _looks_like(roles, labels.language_of(cells))
        return error
    return None


def _bad_time_cell(rows: list[Row], index: int, hints: list) -> ReportError | None:
    """Return the refusal of the first cell under a time label that holds no time."""
    header = rows[index][1]
    for line, cells in rows[index + 1 :]:
        if is_blank(cells):
            break
        for column, hint in enumerate(hints):
            if hint is None or hint[0] not in _TIME_ROLES or column >= len(cells):
                continue
            value = cells[column].strip()
            if value and not (looks_like_instant(value) or looks_like_time_of_day(value)):
                reason = (
                    f'the column "{header[column].strip()}" holds {shown(value)}, which is not '
                    "a date and time this service reads"
                )
                return ReportError(reason, line)
    return None


def _missing_times(line: int) -> ReportError:
    """Return the refusal of a header whose table has no usable times or totals."""
    return ReportError(
        "no column of join and leave times (or of minutes) could be read under this header",
        line,
    )


def _looks_like(roles: set[str], language: str | None) -> str:
    """Return what the labels say the file is, as a message says it."""
    if roles & {"action", "timestamp"}:
        shape = "teams-list"
    elif "minutes" in roles and not roles & {"join", "leave"}:
        shape = "zoom-unique"
    elif "length" in roles or "role" in roles:
        shape = "teams"
    else:
        shape = "zoom"
    return described(shape, language)
