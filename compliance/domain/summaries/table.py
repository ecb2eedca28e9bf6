"""The summary's table of records: one row per record, fitted to its columns, split into pages.

Columns: date, meeting, program, minutes, code. Long meeting and program names shrink a little,
then wrap, then shrink further and are cut with '…'; the row grows to its tallest cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from compliance.domain.pdf.fonts import BOLD, CAP_HEIGHT, MONO, REGULAR
from compliance.domain.pdf.text import (
    FittedText,
    draw_label,
    draw_lines,
    draw_lines_right,
    fit_text,
    label_width,
)
from compliance.domain.slips.slip import format_code
from compliance.domain.summaries.labels import SummaryLabels, format_row_date
from compliance.domain.summaries.summary import SummaryLine

BODY_SIZE = 9
BODY_SMALLEST = 7
CODE_SIZE = 8
ROW_PADDING = 3
# Capitals start ROW_PADDING + _TEXT_DROP under a row's top, leaving room for descenders below.
_TEXT_DROP = 1.2
_CELL_INSET = 4  # the stripes reach past the text on both sides
_COLUMN_GAP = 8
HEADER_HEIGHT = 18  # the column headings, above the table's first rule
RULE_GRAY = 0.55
STRIPE_GRAY = 0.94


@dataclass(frozen=True)
class Column:
    """Where one column of the table is, and how its cells are set."""

    left: float
    width: float
    font: str = REGULAR
    size: float = BODY_SIZE
    max_lines: int = 1
    right_aligned: bool = False

    @property
    def right(self) -> float:
        return self.left + self.width


@dataclass(frozen=True)
class Table:
    """The table's place across the page and its columns, left to right."""

    left: float
    width: float
    date: Column
    meeting: Column
    program: Column
    minutes: Column
    code: Column

    @property
    def columns(self) -> tuple[Column, ...]:
        return (self.date, self.meeting, self.program, self.minutes, self.code)


def table_across(left: float, width: float) -> Table:
    """Return the table spanning `width` from `left`: the meeting column takes what is left."""
    gap, inset = _COLUMN_GAP, _CELL_INSET
    date_width, program_width, minutes_width, code_width = 86, 100, 44, 94
    fixed = date_width + program_width + minutes_width + code_width + 4 * gap + 2 * inset
    date = Column(left + inset, date_width)
    meeting = Column(date.right + gap, width - fixed, max_lines=3)
    program = Column(meeting.right + gap, program_width, max_lines=3)
    minutes = Column(program.right + gap, minutes_width, right_aligned=True)
    code = Column(minutes.right + gap, code_width, font=MONO, size=CODE_SIZE)
    return Table(left, width, date, meeting, program, minutes, code)


@dataclass(frozen=True)
class Row:
    """One line of the table, each cell fitted to its column."""

    cells: tuple[FittedText, ...]
    total: bool = False

    @property
    def height(self) -> float:
        return max(cell.height for cell in self.cells) + 2 * ROW_PADDING


def fit_row(table: Table, line: SummaryLine, labels: SummaryLabels) -> Row:
    """Fit one record's cells to their columns."""
    texts = (
        format_row_date(line.day, labels),
        line.meeting,
        line.program,
        str(line.minutes),
        format_code(line.code),
    )
    columns = table.columns
    return Row(tuple(_fit_cell(text, column) for text, column in zip(texts, columns, strict=True)))


def _fit_cell(text: str, column: Column, font: str | None = None) -> FittedText:
    """Fit a cell's text to its column: shrink a little, wrap if allowed, then shrink and cut."""
    size = column.size
    smallest = min(size, BODY_SMALLEST)
    return fit_text(text, font or column.font, size, smallest, column.width, column.max_lines)


def total_row(table: Table, label: str, totals: str, minutes: int) -> Row:
    """Return the closing row: `totals` across the meeting and program columns, and minutes."""
    span = table.meeting.width + _COLUMN_GAP + table.program.width
    cells = (
        _fit_cell(label, table.date, BOLD),
        fit_text(totals, BOLD, BODY_SIZE, BODY_SMALLEST, span, 2),
        _fit_cell("", table.program),
        _fit_cell(str(minutes), table.minutes, BOLD),
        _fit_cell("", table.code),
    )
    return Row(cells, total=True)


def paginate(heights: list[float], first: float, later: float) -> list[tuple[int, int]]:
    """Return [start, end) row ranges, one a page: `first` points on page 1, `later` after.

    The last row (the total) never stands alone on a page: the row above goes with it.
    A row taller than a whole page still gets a page of its own rather than none.
    """
    pages: list[tuple[int, int]] = []
    start, used, room = 0, 0.0, first
    for index, height in enumerate(heights):
        if used + height > room and index > start:
            pages.append((start, index))
            start, used, room = index, 0.0, later
        used += height
    pages.append((start, len(heights)))
    if len(pages) > 1 and pages[-1][1] - pages[-1][0] == 1 and pages[-2][1] - pages[-2][0] > 1:
        (before_start, before_end), (_, end) = pages[-2], pages[-1]
        pages[-2:] = [(before_start, before_end - 1), (before_end - 1, end)]
    return pages


def draw_table(
    pdf: Canvas,
    table: Table,
    rows: list[Row],
    top: float,
    labels: SummaryLabels,
    striped_from: int,
) -> None:
    """Draw the column headings, then the rows, every other one on a light stripe."""
    headings = (labels.date, labels.meeting, labels.program, labels.minutes, labels.code)
    label_top = top - 5
    for heading, column in zip(headings, table.columns, strict=True):
        left = column.right - label_width(heading) if column.right_aligned else column.left
        draw_label(pdf, heading, left, label_top)
    top -= HEADER_HEIGHT
    _draw_rule(pdf, table, top, 0.8)
    for index, row in enumerate(rows, striped_from):
        if row.total:
            _draw_rule(pdf, table, top, 0.8)
        elif index % 2:
            pdf.setFillGray(STRIPE_GRAY)
            pdf.rect(table.left, top - row.height, table.width, row.height, stroke=0, fill=1)
            pdf.setFillGray(0)
        _draw_row(pdf, table, row, top - ROW_PADDING - _TEXT_DROP)
        top -= row.height
    _draw_rule(pdf, table, top, 0.4, RULE_GRAY)


def _draw_row(pdf: Canvas, table: Table, row: Row, top: float) -> None:
    """Draw a row's cells on one first baseline: where body-size capitals from `top` sit."""
    for cell, column in zip(row.cells, table.columns, strict=True):
        cell_top = top - (BODY_SIZE - cell.size) * CAP_HEIGHT
        if column.right_aligned:
            draw_lines_right(pdf, cell, column.right, cell_top)
        else:
            draw_lines(pdf, cell, column.left, cell_top)


def _draw_rule(pdf: Canvas, table: Table, y: float, width: float, gray: float = 0) -> None:
    """Draw a horizontal line across the table."""
    pdf.setStrokeGray(gray)
    pdf.setLineWidth(width)
    pdf.line(table.left, y, table.left + table.width, y)
    pdf.setStrokeGray(0)
