"""Which of two unlabelled time columns is the join: the one at or before the other on every
row. A table where neither is keeps its order, and its parser refuses the first row that
leaves before it joins: nothing is guessed."""

from __future__ import annotations

from dataclasses import replace

from compliance.domain.reports.headers import Header
from compliance.domain.reports.table import Row, attendance_rows
from compliance.domain.reports.timeparse import ReportClock


def settle_join_and_leave(header: Header, rows: list[Row], clock: ReportClock) -> Header:
    """Return the header with join and leave swapped when every row's leave column is earlier."""
    pick = header.picker("join", "leave")
    later_first = earlier_first = False
    for _, cells in attendance_rows(rows, header.row_index):
        first, second = (clock.instant(text) for text in pick(cells))
        if first is None or second is None:
            continue
        earlier_first = earlier_first or first < second
        later_first = later_first or second < first
    if not (later_first and not earlier_first):
        return header
    positions = {**header.positions, "join": header.positions["leave"],
                 "leave": header.positions["join"]}  # fmt: skip
    titles = {**header.titles, "join": header.titles["leave"], "leave": header.titles["join"]}
    return replace(header, positions=positions, titles=titles)
