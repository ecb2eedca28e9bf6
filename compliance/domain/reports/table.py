"""Turn report bytes into rows of cells, each with the physical line it starts on."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from itertools import islice

from compliance.domain.reports import model
from compliance.domain.reports.model import ReportError

Cells = tuple[str, ...]
Row = tuple[int, Cells]

_DELIMITERS = ("\t", ",", ";")
_SNIFF_LINES = 20
_SAMPLE_CHARS = 1 << 18


def sample_of(text: str) -> str:
    """Return the start of a report, enough to hold any format's title or header."""
    return text[:_SAMPLE_CHARS]


def delimiters_by_likelihood(text: str) -> list[str]:
    """Return tab, comma and semicolon, the one found on most of the first lines first."""
    head = islice(io.StringIO(sample_of(text), newline=""), _SNIFF_LINES * 5)
    lines = [line for line in head if line.strip()][:_SNIFF_LINES]
    counts = {d: sum(d in line for line in lines) for d in _DELIMITERS}
    return sorted(_DELIMITERS, key=lambda d: -counts[d])


def read_rows(text: str, delimiter: str, limit: int | None = None) -> list[Row]:
    """Return up to `limit` rows of cells, each paired with the line it starts on."""
    cap = limit if limit is not None else _physical_row_cap()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Tuples of strings, unlike csv's lists, drop out of the garbage collector's sight, which
        # keeps its passes short while a large file is held in memory.
        all_cells = list(map(tuple, islice(reader, cap + 1)))
    except csv.Error as error:
        raise ReportError(f"the file is not valid CSV ({error})", reader.line_num or 1) from None
    if reader.line_num == len(all_cells):
        # No quoted cell spans lines, so row n starts on line n.
        rows = list(enumerate(all_cells, 1))
    else:
        rows = _rows_with_lines(text, delimiter, len(all_cells))
    if len(rows) > cap:
        if limit is None:
            raise ReportError(_too_long_reason(), rows[cap][0])
        del rows[cap:]
    return rows


def _rows_with_lines(text: str, delimiter: str, count: int) -> list[Row]:
    """Return the first `count` rows, tracking lines for cells that span several."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    previous_line = 0
    for cells in islice(reader, count):
        rows.append((previous_line + 1, tuple(cells)))
        previous_line = reader.line_num
    return rows


def _physical_row_cap() -> int:
    """Return how many rows a file may have: two full tables (Teams) plus room for summaries."""
    return 2 * model.MAX_DATA_ROWS + 1_000


def _too_long_reason() -> str:
    """Return the reason given for a file longer than any report the service accepts."""
    return f"the file has more than {model.MAX_DATA_ROWS:,} attendance rows"


def is_blank(cells: Cells) -> bool:
    """Return whether a row has no content, like an empty line or ",,,,,,"."""
    return not "".join(cells).strip()


def attendance_rows(
    rows: list[Row], header_index: int, stop: Callable[[Cells], bool] | None = None
) -> Iterator[Row]:
    """Yield the non-blank rows under a header until `stop`, refusing too many rows.

    Rows repeating the header itself are skipped: concatenated exports repeat it.
    """
    limit = model.MAX_DATA_ROWS
    header_cells = rows[header_index][1]
    count = 0
    for line, cells in islice(rows, header_index + 1, None):
        if (not (cells and cells[0].strip()) and is_blank(cells)) or cells == header_cells:
            continue
        if stop is not None and stop(cells):
            return
        count += 1
        if count > limit:
            raise ReportError(_too_long_reason(), line)
        yield line, cells


def cell_text(cells: Cells, index: int | None) -> str:
    """Return the stripped cell at `index`, or "" when the row is short or the column absent."""
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()
