"""Recognise a report's header row and find the columns a parser needs in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

from compliance.domain.reports.model import ReportError
from compliance.domain.reports.table import Cells, Row


def column_key(cell: str) -> str:
    """Return a header cell folded for matching: case and all whitespace ignored."""
    return "".join(cell.split()).casefold()


@dataclass(frozen=True)
class Column:
    """A column a parser reads: the title used in messages and the headers that name it."""

    title: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Header:
    """A header row found in a file: where it is and which cell holds each column."""

    row_index: int
    line: int
    width: int
    titles: dict[str, str]
    positions: dict[str, int]

    def position(self, role: str) -> int | None:
        """Return the cell index of a column, or None when the file lacks it."""
        return self.positions.get(role)

    def title(self, role: str) -> str:
        """Return a column's title as the file spells it."""
        return self.titles[role]

    def picker(self, *roles: str) -> Callable[[Cells], tuple[str, ...]]:
        """Return a function giving a row's raw cells for two or more `roles`, "" when absent."""
        if len(roles) < 2:
            raise ValueError("a picker reads two or more columns")
        # An absent column reads index -1, a blank cell appended to the row.
        indexes = [self.positions.get(role, -1) for role in roles]
        get = itemgetter(*indexes)
        blank_tail = ("",) if -1 in indexes else ()
        full_width = self.width + 1

        def pick(cells: Cells) -> tuple[str, ...]:
            try:
                return get(cells + blank_tail if blank_tail else cells)
            except IndexError:
                return get(cells + ("",) * (full_width - len(cells)))

        return pick


@dataclass(frozen=True)
class HeaderSpec:
    """The header of one table format: columns it must have and columns it may have."""

    label: str
    required: dict[str, Column]
    optional: dict[str, Column] = field(default_factory=dict)

    def match(self, row_index: int, row: Row) -> Header | None:
        """Return the header found in a row when it has every required column, else None."""
        line, cells = row
        positions = self._positions(cells)
        if any(role not in positions for role in self.required):
            return None
        titles = {role: cells[index].strip() for role, index in positions.items()}
        return Header(row_index, line, len(cells), titles, positions)

    def missing(self, cells: Cells) -> list[str]:
        """Return the titles of required columns a row lacks."""
        positions = self._positions(cells)
        return [column.title for role, column in self.required.items() if role not in positions]

    def _positions(self, cells: Cells) -> dict[str, int]:
        """Return the cell index of each known column present in a row.

        A label written twice names the later column: Zoom's one-table export puts the
        meeting's "User Email" (the host's) before the participant's own.
        """
        last = {column_key(cell): index for index, cell in enumerate(cells)}
        positions: dict[str, int] = {}
        for role, column in {**self.required, **self.optional}.items():
            for key in column.keys:
                if key in last:
                    positions[role] = last[key]
                    break
        return positions


def find_header(spec: HeaderSpec, rows: list[Row], start: int = 0) -> Header | None:
    """Return the first row from index `start` that is a header of `spec`, else None."""
    for index in range(start, len(rows)):
        header = spec.match(index, rows[index])
        if header is not None:
            return header
    return None


def require_header(spec: HeaderSpec, rows: list[Row], start: int = 0) -> Header:
    """Return the first header of `spec` from index `start`, or refuse a file without one."""
    header = find_header(spec, rows, start)
    if header is None:
        raise ReportError(f"no {spec.label} header row was found", 1)
    return header
