"""Recognise a report's table by what its columns hold, whatever language its labels are in.

Each column of a candidate table is given a kind from its first data cells (date-and-time,
time of day, email, plain number, length of time, join/leave word, text); known labels
(`labels`) only break ties. The kinds then say which shape the table is, e.g. a name, a
join/leave word and one date-and-time make a Teams attendance list in any language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from compliance.domain.reports import labels
from compliance.domain.reports.durations import length_seconds
from compliance.domain.reports.headers import Header
from compliance.domain.reports.table import Cells, Row, is_blank
from compliance.domain.reports.timeparse import looks_like_instant, looks_like_time_of_day

INSTANT, CLOCK, EMAIL, NUMBER, LENGTH, ACTION, TEXT, EMPTY = (
    "instant", "clock", "email", "number", "length", "action", "text", "empty",
)  # fmt: skip
_DATA_SAMPLE = 30
_MOST_NUMERATOR, _MOST_DENOMINATOR = 2, 3
_HEAD_ROWS = 60
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NUMBER = re.compile(r"[0-9][0-9 ]{0,15}(?:[.,][0-9]{1,3})?")
_SECTION = re.compile(r"\s*([1-9])\s*[.)]\s*\S.*")
_MERIDIEM = re.compile(r"[AaPp]\.?\s?[Mm]|午|上午|下午")
# A few distinct short words in a table with one time column are join/leave words in a
# language nobody listed.
_MAX_ACTION_WORDS = 4

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
    kinds = [_kind_of([cells[j] if j < len(cells) else "" for cells in data]) for j in range(width)]
    hints = [labels.role_of_label(cell) for cell in header_cells]
    roles = _hinted_kinds(kinds, hints)
    found = _shape(roles, hints, header_cells, data)
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
    return len(filled) >= 2 and not any(
        looks_like_instant(c)
        or looks_like_time_of_day(c)
        or _EMAIL.fullmatch(c)
        or _NUMBER.fullmatch(c)
        for c in filled
    )


def _data_below(rows: list[Row], index: int) -> list[Cells]:
    """Return up to a sample of the rows under a header, until a blank row or a section."""
    data = []
    for _, cells in rows[index + 1 : index + 1 + _DATA_SAMPLE]:
        if is_blank(cells) or section_number(cells) is not None:
            break
        data.append(cells)
    return data


def _kind_of(values: list[str]) -> str:
    """Return the kind of value most non-blank cells of a column hold.

    Most, not all: a column of times with one unreadable cell is still the time column, so
    the parser can refuse that cell naming its line rather than the file being unrecognised.
    """
    filled = [value.strip() for value in values if value.strip()]
    if not filled:
        return EMPTY
    for kind, test in _KIND_TESTS:
        if sum(map(test, filled)) * _MOST_DENOMINATOR >= len(filled) * _MOST_NUMERATOR:
            return kind
    return TEXT


_KIND_TESTS = (
    (INSTANT, looks_like_instant),
    (EMAIL, lambda v: _EMAIL.fullmatch(v) is not None),
    (CLOCK, looks_like_time_of_day),
    (NUMBER, lambda v: _NUMBER.fullmatch(v) is not None),
    (LENGTH, lambda v: length_seconds(v) is not None),
    (ACTION, lambda v: labels.action_of(v) is not None),
)


def _hinted_kinds(kinds: list[str], hints: list[tuple[str, str] | None]) -> list[str]:
    """Return the kinds, a column labelled as a length or as minutes taken as one when it
    holds times of day (H:MM:SS) or text: its parser then reads each cell, refusing a bad one
    by its line, rather than the column being dropped unseen."""
    labelled = {"length": LENGTH, "minutes": NUMBER}
    return [
        labelled[hint[0]] if hint and hint[0] in labelled and kind in (CLOCK, TEXT) else kind
        for kind, hint in zip(kinds, hints, strict=True)
    ]


def _shape(
    kinds: list[str], hints: list, header_cells: Cells, data: list[Cells]
) -> tuple[str, dict[str, int]] | None:
    """Return the table's shape and the position of each column it reads, or None."""
    of = {kind: [j for j, k in enumerate(kinds) if k == kind] for kind in set(kinds)}
    name = _name_column(kinds, hints)
    # Every attendance table names who; a summary starts with a meeting's number instead.
    summary_like = kinds[0] == NUMBER and not (hints[name or 0] and hints[name or 0][0] == "name")
    if name is None or summary_like or _times_unread(kinds, hints):
        return None
    positions = {"name": name}
    if emails := _of_the_people([j for j in of.get(EMAIL, []) if j != name], name, most=1):
        positions["email"] = _hinted(emails, hints, "email")
    instants, clocks = _of_the_people(of.get(INSTANT, []), name, most=2), of.get(CLOCK, [])
    if len(instants) == 1 and (action := _action_column(of, hints, name, data)) is not None:
        return "teams-list", {**positions, "action": action, "timestamp": instants[0]}
    if len(instants) >= 2:
        join, leave = _join_and_leave(instants, hints)
        positions.update(join=join, leave=leave)
        waiting = _hinted(list(range(len(kinds))), hints, "waiting", fallback=False)
        if waiting is not None:
            positions["waiting"] = waiting
        lengths = of.get(LENGTH, [])
        if lengths:
            positions["duration"] = lengths[0]
        role = _hinted(of.get(TEXT, []), hints, "role", fallback=False)
        if role is not None:
            positions["role"] = role
        return ("teams" if lengths or role is not None else "zoom"), positions
    if (numbers := of.get(NUMBER)) and not instants and not clocks:
        # A name and any number is no report; Zoom's unique users come with an email column.
        total = _hinted(numbers, hints, "minutes", fallback="email" in positions)
        return None if total is None else ("zoom-unique", {**positions, "total": total})
    # Meet names its name column apart from a last-name one.
    positions["first_name"] = positions.pop("name")
    if instants or clocks:
        return _meet_shape(kinds, of, hints, positions, data)
    if lengths := of.get(LENGTH):
        return "meet-totals", {**positions, "duration": lengths[0]}
    return None


def _of_the_people(columns: list[int], name: int, most: int) -> list[int]:
    """Return the columns of one kind that describe the people: when there are more than a
    table has (Zoom's one-table export starts each row with the meeting's own start, end and
    host email), those after the name column."""
    if len(columns) <= most:
        return columns
    return [column for column in columns if column > name] or columns


def _name_column(kinds: list[str], hints: list) -> int | None:
    """Return the column of who: the one labelled as a name, else the first column, when it
    holds text (or emails, which Zoom shows for some people); never a later unlabelled column
    (a Yes/No "Guest" column taken for names would merge everyone)."""
    named = [j for j, hint in enumerate(hints) if hint is not None and hint[0] == "name"]
    column = named[0] if named else 0
    return column if kinds[column] in (TEXT, EMAIL) else None


def _times_unread(kinds: list[str], hints: list) -> bool:
    """Return whether a column labelled as a time holds something else: the table is then not
    read as another shape (a per-join report whose times are not understood is no total)."""
    return any(
        hint is not None
        and hint[0] in ("join", "leave", "timestamp")
        and kind not in (INSTANT, CLOCK, EMPTY)
        for kind, hint in zip(kinds, hints, strict=True)
    )


def _meet_shape(
    kinds: list[str], of: dict[str, list[int]], hints: list, positions: dict, data: list[Cells]
) -> tuple[str, dict[str, int]] | None:
    """Return a Meet shape: join and exit times of day, or a first-seen time and a length."""
    times = sorted(of.get(INSTANT, []) + of.get(CLOCK, []))
    times, lengths = _lengths_among_times(times, data, of.get(LENGTH, []))
    if len(times) >= 2:
        join = _hinted(times, hints, "join", fallback=False)
        leave = _hinted(times, hints, "leave", fallback=False)
        if join is None or leave is None or join == leave:
            # Times of day carry no date to tell join from exit: an exit read as a join would
            # look like a stay past midnight. Only labels may say which is which.
            return None
        found = {**positions, "joined": join, "exited": leave}
        if lengths:
            found["duration"] = lengths[0]
        return "meet", found
    if lengths:
        return "meet-totals", {**positions, "duration": lengths[0], "joined": times[0]}
    return None


def _lengths_among_times(
    times: list[int], data: list[Cells], lengths: list[int]
) -> tuple[list[int], list[int]]:
    """Split time-of-day columns into real times and H:MM:SS lengths: beside a column with
    AM/PM, one without AM/PM is a length ("10:02 AM" first seen, "0:45:12" in the call)."""
    with_meridiem = [j for j in times if _has_meridiem(j, data)]
    if not with_meridiem or len(with_meridiem) == len(times):
        return times, lengths
    return with_meridiem, sorted(lengths + [j for j in times if j not in with_meridiem])


def _has_meridiem(column: int, data: list[Cells]) -> bool:
    """Return whether the column's times are written with AM/PM."""
    return any(
        column < len(cells) and _MERIDIEM.search(cells[column]) is not None for cells in data
    )


def _action_column(
    of: dict[str, list[int]], hints: list, name: int, data: list[Cells]
) -> int | None:
    """Return the join/leave column of an attendance list: known words, or a few short words."""
    if of.get(ACTION):
        return of[ACTION][0]
    # Words nobody listed are taken for joins and leaves only in a list as narrow as Teams'
    # (name, action, time, maybe email), never in a wider table with a Yes/No column.
    narrow = sum(1 for kinds in of.values() for _ in kinds) - len(of.get(EMPTY, [])) <= 4
    for column in of.get(TEXT, []):
        if column == name:
            continue
        words = {cells[column].strip() for cells in data if column < len(cells)} - {""}
        hinted = hints[column] is not None and hints[column][0] == "action"
        if hinted or (narrow and 2 <= len(words) <= _MAX_ACTION_WORDS):
            return column
    return None


def _join_and_leave(columns: list[int], hints: list) -> tuple[int, int]:
    """Return the join and leave columns: as labelled when known, else the first two in order."""
    join = _hinted(columns, hints, "join", fallback=False)
    leave = _hinted(columns, hints, "leave", fallback=False)
    if join is not None and leave is not None and join != leave:
        return join, leave
    return columns[0], columns[1]


def _hinted(columns: list[int], hints: list, role: str, fallback: bool = True) -> int | None:
    """Return the column labelled as `role`, else the first column (when `fallback`)."""
    for column in columns:
        if hints[column] is not None and hints[column][0] == role:
            return column
    return columns[0] if columns and fallback else None
