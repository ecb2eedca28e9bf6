"""The printable attendance summary: US Letter or A4 pages listing every record of a period.

On A4 the page is narrower and taller: the same columns sit centred across it (side margins
of 0.48 inch instead of 0.6) and more rows fit on each page.


Page 1 has the attendee, the period, the totals and the QR code of the signed verify URL; a
table of the records follows, its header repeated on every page, and later pages carry the
name and period in a small running header. Byte-identical for the same summary and verify URL,
as the service re-renders a summary to compare it with an uploaded file.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from compliance.domain.pdf.attachment import attach_json
from compliance.domain.pdf.document import compress_last_page, deterministic_canvas
from compliance.domain.pdf.fonts import (
    BOLD,
    CAP_HEIGHT,
    REGULAR,
    register_fonts,
    seed_font_subsets,
)
from compliance.domain.pdf.metadata import verification_page_url
from compliance.domain.pdf.paper import LETTER, PAGE_SIZES
from compliance.domain.pdf.qr import draw_qr, qr_rows
from compliance.domain.pdf.text import (
    LABEL_GRAY,
    LABEL_SIZE,
    FittedText,
    draw_centred_line,
    draw_label,
    draw_lines,
    draw_lines_right,
    fit_text,
    text_width,
)
from compliance.domain.slips.labels import (
    EN_DASH,
    format_issued_at,
    format_long_date,
    format_period,
    format_short_date,
    printed_characters,
)
from compliance.domain.summaries.labels import (
    SummaryLabels,
    format_meetings,
    format_totals,
    printed_summary_characters,
    summary_labels_for,
)
from compliance.domain.summaries.summary import RECORDS_ATTACHMENT, Summary, records_attachment
from compliance.domain.summaries.table import (
    HEADER_HEIGHT,
    RULE_GRAY,
    STRIPE_GRAY,
    draw_table,
    fit_row,
    paginate,
    table_across,
    total_row,
)

PAGE_WIDTH, PAGE_HEIGHT = PAGE_SIZES[LETTER]
MARGIN = 0.6 * inch
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
TABLE = table_across(MARGIN, CONTENT_WIDTH)

# As on the slip: a version-22 code's modules are 0.81 mm, enough to scan from a phone's photo.
QR_PRINTED_SIZE = 3.6 * inch
_DETAIL_LABEL_WIDTH = 1.15 * inch

# The footer sits under a rule; the table stops above it.
FOOTER_RULE = MARGIN + 30
TABLE_BOTTOM = FOOTER_RULE + 8
_PAGE_NUMBER_WIDTH = 1.3 * inch

# Every document's labels get the first font subset's fixed codes.
_PRINTED = printed_characters() + printed_summary_characters()


def render_summary(
    summary: Summary,
    verify_url: str,
    paper: str = LETTER,
    labels: SummaryLabels | None = None,
    extra_details: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """Return the summary as a PDF on `paper` ('letter' or 'a4'); ValueError if the URL does
    not fit the QR code.

    A document built on a summary (an officer's compliance report) brings its own labels and
    the rows it prints under the period.
    """
    qr = qr_rows(verify_url)
    labels = labels or summary_labels_for(summary.language)
    width, height = PAGE_SIZES[paper]
    page_top = height - MARGIN
    buffer = io.BytesIO()
    pdf = _new_canvas(buffer, summary, verify_url, labels, (width, height))
    if summary.carries_records:
        attach_json(
            pdf, RECORDS_ATTACHMENT, labels.document_title, records_attachment(summary)
        )
    first = _fit_first_page(summary, labels, verify_url, extra_details)
    table_top = page_top - first.height
    rows = [fit_row(TABLE, line, labels) for line in summary.lines]
    if rows:
        totals = _totals(summary, labels)
        rows.append(total_row(TABLE, labels.total, totals, summary.total_minutes))
    pages = paginate(
        [row.height for row in rows],
        first=table_top - HEADER_HEIGHT - TABLE_BOTTOM,
        later=page_top - _RUNNING_HEADER_HEIGHT - HEADER_HEIGHT - TABLE_BOTTOM,
    )
    for number, (start, end) in enumerate(pages, 1):
        pdf.translate((width - PAGE_WIDTH) / 2, 0)  # the columns centred across the page
        if number == 1:
            top = _draw_first_page(pdf, first, qr, labels, page_top)
        else:
            top = _draw_running_header(pdf, summary, labels, page_top)
        if rows:
            draw_table(pdf, TABLE, rows[start:end], top, labels, striped_from=start)
        else:
            _draw_empty(pdf, summary, labels, top)
        _draw_footer(pdf, labels, number, len(pages))
        pdf.showPage()
        compress_last_page(pdf)
    pdf.save()
    return buffer.getvalue()


def _new_canvas(
    buffer: io.BytesIO,
    summary: Summary,
    verify_url: str,
    labels: SummaryLabels,
    pagesize: tuple[float, float],
) -> Canvas:
    """Return a canvas with fixed metadata, dates, file ID and font subsets for the summary."""
    register_fonts()
    pdf = deterministic_canvas(
        buffer,
        language=labels.language,
        title=f"{labels.document_title}: {summary.name}",
        subject=verify_url,
        keywords=(
            f"{labels.document_title}; {summary.date_from.isoformat()} {EN_DASH} "
            f"{summary.date_to.isoformat()}; {format_meetings(summary.meetings, labels)}"
        ),
        created=_as_utc(summary.issued_at),
        identity=f"{verify_url} {pagesize[0]:.2f}x{pagesize[1]:.2f}",
        font=REGULAR,
        pagesize=pagesize,
    )
    seed_font_subsets(pdf, _PRINTED)
    return pdf


def _as_utc(moment: datetime) -> datetime:
    """Return an aware UTC moment; a naive one is taken as UTC, never as the process's zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- Page 1 --------------------------------------------------------------------------------
# Title and name across the page; under them the details and the verification instructions on
# the left, the QR code on the right, so that a dozen records still fit on the first page.

_TITLE_BLOCK = 62  # title, subtitle and the double rule, with the space under them
_NAME_LABEL = 16
_NAME_GAP = 10
_DETAIL_PADDING = 4
_DETAIL_SIZE = 10.5
_SECTION_GAP = 16
_LEFT_WIDTH = CONTENT_WIDTH - QR_PRINTED_SIZE - 14
_VALUE_WIDTH = _LEFT_WIDTH - _DETAIL_LABEL_WIDTH
_QR_LEFT = MARGIN + CONTENT_WIDTH - QR_PRINTED_SIZE


@dataclass(frozen=True)
class _FirstPage:
    """Page 1's fitted text above the table."""

    title: FittedText
    name: FittedText
    details: tuple[tuple[str, FittedText], ...]
    scan: FittedText
    by_code: FittedText
    page_url: FittedText

    @property
    def left_height(self) -> float:
        """Return the height of the details and instructions left of the QR code."""
        details = sum(value.height + 2 * _DETAIL_PADDING for _, value in self.details)
        instructions = self.scan.height + self.by_code.height + self.page_url.height
        gaps = _INSTRUCTIONS_GAP + _LABEL_GAP + _SCAN_GAP + _URL_GAP
        return details + gaps + instructions

    @property
    def height(self) -> float:
        """Return how far page 1's header reaches down from the top margin."""
        above = _TITLE_BLOCK + _NAME_LABEL + self.name.height + _NAME_GAP
        return above + max(QR_PRINTED_SIZE, self.left_height) + _SECTION_GAP


_INSTRUCTIONS_GAP = 14  # between the details and the "Verification" label
_LABEL_GAP = 15  # from a label's capitals to the text under it
_SCAN_GAP = 8  # under the scanning instructions
_URL_GAP = 3  # between "type its code at" and the page's address


def _fit_first_page(
    summary: Summary,
    labels: SummaryLabels,
    verify_url: str,
    extra_details: tuple[tuple[str, str], ...] = (),
) -> _FirstPage:
    """Fit the title, the name, the details and the instructions of page 1."""
    dates = labels.dates
    period = _fit_period(summary, labels)
    issued = format_issued_at(_as_utc(summary.issued_at), dates)
    page_url = verification_page_url(verify_url)
    return _FirstPage(
        title=fit_text(labels.document_title.upper(), BOLD, 20, 14, CONTENT_WIDTH, 1),
        name=fit_text(summary.name, BOLD, 26, 12, CONTENT_WIDTH, 3, 0.7),
        details=(
            (labels.period, period),
            *(
                (label, fit_text(value, BOLD, _DETAIL_SIZE, 8, _VALUE_WIDTH, 3))
                for label, value in extra_details
            ),
            (
                labels.attendance,
                fit_text(_totals(summary, labels), BOLD, _DETAIL_SIZE, 8, _VALUE_WIDTH, 2),
            ),
            (labels.issued, fit_text(issued, REGULAR, _DETAIL_SIZE, 8, _VALUE_WIDTH, 1)),
        ),
        scan=fit_text(labels.scan_instructions, REGULAR, 10, 8, _LEFT_WIDTH, 4),
        by_code=fit_text(labels.code_instructions, REGULAR, 9, 7.5, _LEFT_WIDTH, 2),
        page_url=fit_text(page_url, BOLD, 10, 7, _LEFT_WIDTH, 2),
    )


def _fit_period(summary: Summary, labels: SummaryLabels) -> FittedText:
    """Fit the period to the details' value column, broken after its dash if it needs two lines."""
    start, end, dates = summary.date_from, summary.date_to, labels.dates
    whole = format_period(start, end, dates)
    if start == end or text_width(whole, REGULAR, _DETAIL_SIZE) <= _VALUE_WIDTH:
        return fit_text(whole, REGULAR, _DETAIL_SIZE, 8, _VALUE_WIDTH, 2)
    lines = (
        f"{format_long_date(start, dates)} {EN_DASH}",
        format_long_date(end, dates, starts_sentence=False),
    )
    size = min(fit_text(line, REGULAR, _DETAIL_SIZE, 7, _VALUE_WIDTH, 1).size for line in lines)
    fitted = [fit_text(line, REGULAR, size, size, _VALUE_WIDTH, 1).lines[0] for line in lines]
    return FittedText(tuple(fitted), REGULAR, size)


def _totals(summary: Summary, labels: SummaryLabels) -> str:
    """Return e.g. '12 meetings · 11.6 hours'."""
    return format_totals(summary.meetings, summary.total_minutes, labels)


def _draw_first_page(
    pdf: Canvas, first: _FirstPage, qr: list[bytes], labels: SummaryLabels, page_top: float
) -> float:
    """Draw everything above page 1's table; return where the table starts."""
    top = page_top
    centre = PAGE_WIDTH / 2
    baseline = top - first.title.size * CAP_HEIGHT
    title = first.title
    draw_centred_line(pdf, title.lines[0], BOLD, title.size, centre, baseline, char_space=1.5)
    pdf.setFillGray(LABEL_GRAY)
    draw_centred_line(pdf, labels.subtitle, REGULAR, 10, centre, baseline - 21)
    pdf.setFillGray(0)
    rule = baseline - 33
    _draw_rule(pdf, rule, 1.5)
    _draw_rule(pdf, rule - 3, 0.5)
    top -= _TITLE_BLOCK
    draw_label(pdf, labels.attendee, MARGIN, top)
    top = draw_lines(pdf, first.name, MARGIN, top - _NAME_LABEL) - _NAME_GAP
    section_top = top
    draw_qr(pdf, qr, _QR_LEFT, section_top - QR_PRINTED_SIZE, QR_PRINTED_SIZE)
    _draw_rule(pdf, top, 0.4, RULE_GRAY, _LEFT_WIDTH)
    for label, value in first.details:
        top -= _DETAIL_PADDING
        draw_label(pdf, label, MARGIN, top - (value.size - LABEL_SIZE) * CAP_HEIGHT)
        top = draw_lines(pdf, value, MARGIN + _DETAIL_LABEL_WIDTH, top) - _DETAIL_PADDING
        _draw_rule(pdf, top, 0.4, RULE_GRAY, _LEFT_WIDTH)
    top -= _INSTRUCTIONS_GAP
    draw_label(pdf, labels.verification, MARGIN, top)
    top = draw_lines(pdf, first.scan, MARGIN, top - _LABEL_GAP) - _SCAN_GAP
    pdf.setFillGray(LABEL_GRAY)
    top = draw_lines(pdf, first.by_code, MARGIN, top) - _URL_GAP
    pdf.setFillGray(0)
    draw_lines(pdf, first.page_url, MARGIN, top)
    return section_top - max(QR_PRINTED_SIZE, first.left_height) - _SECTION_GAP


# --- Later pages, the footer ---------------------------------------------------------------

_RUNNING_HEADER_HEIGHT = 30


def _draw_running_header(
    pdf: Canvas, summary: Summary, labels: SummaryLabels, page_top: float
) -> float:
    """Draw the name and the period small at the top of a later page; return the table's top."""
    dates = labels.dates
    period = format_short_date(summary.date_from, dates)
    if summary.date_to != summary.date_from:
        period += f" {EN_DASH} {format_short_date(summary.date_to, dates)}"
    period = f"{labels.document_title} \u00b7 {period}"
    right = fit_text(period, REGULAR, 9, 7, CONTENT_WIDTH * 0.6, 1)
    room = CONTENT_WIDTH - text_width(right.lines[0], REGULAR, right.size) - 16
    name = _fit_one_line(summary.name, BOLD, 10, 7, room)
    draw_lines(pdf, name, MARGIN, page_top)
    pdf.setFillGray(LABEL_GRAY)
    draw_lines_right(
        pdf, right, MARGIN + CONTENT_WIDTH, page_top - (name.size - right.size) * CAP_HEIGHT
    )
    pdf.setFillGray(0)
    _draw_rule(pdf, page_top - 14, 0.6)
    return page_top - _RUNNING_HEADER_HEIGHT


def _fit_one_line(
    text: str, font: str, largest: float, smallest: float, width: float
) -> FittedText:
    """Return text on one line, shrunk down to `smallest`, then cut with '…' where it must be.

    fit_text would wrap first and keep whole words: a long name could shrink to its first word.
    """
    (line,) = fit_text(text, font, largest, largest, math.inf, 1).lines
    width_at_1 = max(text_width(line, font, 1), 1e-6)
    size = max(smallest, min(largest, math.floor(2 * width / width_at_1) / 2))
    if text_width(line, font, size) > width:
        while line and text_width(line + "\u2026", font, size) > width:
            line = line[:-1]
        line = line.rstrip() + "\u2026"
    return FittedText((line,), font, size)


def _draw_footer(pdf: Canvas, labels: SummaryLabels, number: int, pages: int) -> None:
    """Draw the warning that only the verification page proves anything, and the page number."""
    _draw_rule(pdf, FOOTER_RULE, 0.4, RULE_GRAY)
    top = FOOTER_RULE - 8
    footer = fit_text(labels.footer, BOLD, 8.5, 6.5, CONTENT_WIDTH - _PAGE_NUMBER_WIDTH, 2)
    draw_lines(pdf, footer, MARGIN, top)
    page = fit_text(labels.page.format(page=number, pages=pages), REGULAR, 8.5, 6.5, 90, 1)
    draw_lines_right(pdf, page, MARGIN + CONTENT_WIDTH, top)


def _draw_empty(pdf: Canvas, summary: Summary, labels: SummaryLabels, top: float) -> None:
    """Draw a shaded panel saying clearly that the period has no records."""
    dates = labels.dates
    detail = labels.empty_detail.format(
        start=format_short_date(summary.date_from, dates),
        end=format_short_date(summary.date_to, dates),
    )
    headline = fit_text(labels.empty, BOLD, 14, 9, CONTENT_WIDTH - 40, 2)
    explanation = fit_text(detail, REGULAR, 10.5, 8, CONTENT_WIDTH - 40, 2)
    height = headline.height + explanation.height + 44
    pdf.setFillGray(STRIPE_GRAY)
    pdf.setStrokeGray(RULE_GRAY)
    pdf.setLineWidth(0.6)
    pdf.rect(MARGIN, top - height, CONTENT_WIDTH, height, stroke=1, fill=1)
    pdf.setStrokeGray(0)
    pdf.setFillGray(0)
    centre = PAGE_WIDTH / 2
    below = draw_lines(pdf, headline, centre, top - 20, centred=True) - 6
    pdf.setFillGray(LABEL_GRAY)
    draw_lines(pdf, explanation, centre, below, centred=True)
    pdf.setFillGray(0)


# --- Small drawing helpers -----------------------------------------------------------------


def _draw_rule(
    pdf: Canvas, y: float, width: float, gray: float = 0, length: float = CONTENT_WIDTH
) -> None:
    """Draw a horizontal line from the left margin, across the content width unless told."""
    pdf.setStrokeGray(gray)
    pdf.setLineWidth(width)
    pdf.line(MARGIN, y, MARGIN + length, y)
    pdf.setStrokeGray(0)
