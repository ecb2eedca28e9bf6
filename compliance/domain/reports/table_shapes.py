"""Which report shape a table is, from the kinds of its columns and the labels known among them:
a name and join/leave times make a per-join report, a name, a join/leave word and one time an
attendance list, a name and minutes Zoom's unique users, times of day Meet's report."""

from __future__ import annotations

import re

from compliance.domain.reports.column_kinds import (
    ACTION,
    CLOCK,
    EMAIL,
    EMPTY,
    INSTANT,
    LENGTH,
    NUMBER,
    TEXT,
)
from compliance.domain.reports.table import Cells

_MERIDIEM = re.compile(r"[AaPp]\.?\s?[Mm]|午|上午|下午")
# A few distinct short words in a table with one time column are join/leave words in a
# language nobody listed.
_MAX_ACTION_WORDS = 4


def shape_of(
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
