"""Recognise a report's table by what its columns hold, whatever language its labels are in.

Each column of a candidate table is given a kind from its first data cells (`column_kinds`);
known labels (`labels`) only break ties. The kinds then say which shape the table is
(`table_shapes`), e.g. a name, a join/leave word and one date-and-time make a Teams attendance
list in any language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from compliance.domain.reports import labels
from compliance.domain.reports.column_kinds import hinted_kinds, is_value, kind_of
from compliance.domain.reports.headers import Header
from compliance.domain.reports.table import Cells, Row, is_blank
from compliance.domain.reports.table_shapes import shape_of

_DATA_SAMPLE = 30
_HEAD_ROWS = 60
_SECTION = re.compile(r"\s*([1-9])\s*[.)]\s*\S.*")

SHAPES = {
    "zoom": "Zoom participants report (one row per join)",
    "zoom-unique": "Zoom participants report with unique users",
    "teams": "Microsoft Teams attendance report",
    "teams-list": "Microsoft Teams attendance list",
    "meet": "Google Meet attendance report",
    "meet-totals": "Google Meet attendance export with times in call",
}


@dataclass(frozen=True)
class Recognised:
    """A table recognised by content: its shape, where its columns are, and its language."""

    shape: str
    header: Header
    language: str | None
    per_person: bool = False
    # Whether labels said which time column is the join; else `join_order` settles it.
    times_labelled: bool = True

    def described(self) -> str:
        """Return what was recognised, as a message says it."""
        return described(self.shape, self.language)


def described(shape: str, language: str | None) -> str:
    """Return a shape as a message says it ("a Microsoft Teams attendance list in French")."""
    return f"a {SHAPES[shape]}" + (f" in {language}" if language else "")


def section_number(cells: Cells) -> int | None:
    """Return n for a numbered section title row ("2. Participants", "3. Activités"), else None."""
    if cells and (match := _SECTION.fullmatch(cells[0])) and is_blank(cells[1:]):
        return int(match[1])
    return None


def recognise_table(rows: list[Row]) -> Recognised | None:
    """Return the attendance table of a report, found by what its columns hold, or None.

    In a sectioned (Teams) report the table after "3." wins, else the one after "2."; otherwise
    the last table recognised among the report's tables (a Zoom summary precedes its people).
    """
    sections = _sections(rows)
    for number in (3, 2):
        if number in sections:
            return _table_at(rows, sections[number] + 1, per_person=number == 2)
    found = None
    for index in _candidate_headers(rows):
        found = _recognise_at(rows, index, per_person=False) or found
    return found


def _sections(rows: list[Row]) -> dict[int, int]:
    """Return the row index of each numbered section title, when the report has 1., 2. (3.)."""
    found: dict[int, int] = {}
    for index, (_, cells) in enumerate(rows):
        if cells and cells[0][:1].isdigit() and (number := section_number(cells)) is not None:
            found.setdefault(number, index)
    return found if {1, 2} <= found.keys() else {}


def _table_at(rows: list[Row], start: int, per_person: bool) -> Recognised | None:
    """Return the table whose header is the first non-blank row from `start`."""
    for index in range(start, len(rows)):
        if not is_blank(rows[index][1]):
            return _recognise_at(rows, index, per_person)
    return None


def _candidate_headers(rows: list[Row]) -> Iterator[int]:
    """Yield indexes of rows that may head a table: the first rows, and rows after a blank."""
    yield from range(min(_HEAD_ROWS, len(rows)))
    for index in range(_HEAD_ROWS, len(rows) - 1):
        if is_blank(rows[index - 1][1]) and not is_blank(rows[index][1]):
            yield index


def _recognise_at(rows: list[Row], index: int, per_person: bool) -> Recognised | None:
    """Return the table headed by row `index`, or None when it is no attendance table."""
    line, header_cells = rows[index]
    if not _could_be_header(header_cells):
        return None
    data = _data_below(rows, index)
    if not data:
        return None
    width = len(header_cells)
    kinds = [kind_of([cells[j] if j < len(cells) else "" for cells in data]) for j in range(width)]
    hints = [labels.role_of_label(cell) for cell in header_cells]
    roles = hinted_kinds(kinds, hints)
    found = shape_of(roles, hints, header_cells, data)
    if found is None:
        return None
    shape, positions = found
    titles = {
        role: header_cells[at].strip() or f"column {at + 1}" for role, at in positions.items()
    }
    header = Header(index, line, width, titles, positions)
    labelled = all(
        hints[positions[role]] is not None and hints[positions[role]][0] == role
        for role in ("join", "leave")
        if role in positions
    )
    return Recognised(shape, header, labels.language_of(header_cells), per_person, labelled)


def _could_be_header(cells: Cells) -> bool:
    """Return whether a row reads like column labels: two or more, none a value."""
    filled = [cell.strip() for cell in cells if cell.strip()]
    return len(filled) >= 2 and not any(map(is_value, filled))


def _data_below(rows: list[Row], index: int) -> list[Cells]:
    """Return up to a sample of the rows under a header, until a blank row or a section."""
    data = []
    for _, cells in rows[index + 1 : index + 1 + _DATA_SAMPLE]:
        if is_blank(cells) or section_number(cells) is not None:
            break
        data.append(cells)
    return data
