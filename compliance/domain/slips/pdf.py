"""The printable slip: one US Letter or A4 page, byte-identical for the same slip, verify URL
and paper.

The service re-renders a slip to compare it with an uploaded file, so nothing here may depend
on the clock, randomness, the process locale or environment, or on earlier renders; the
building blocks in compliance.domain.pdf keep to that.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from compliance.domain.pdf.document import compress_last_page, deterministic_canvas
from compliance.domain.pdf.fonts import (
    BOLD,
    CAP_HEIGHT,
    MONO,
    REGULAR,
    register_fonts,
    seed_font_subsets,
)
from compliance.domain.pdf.metadata import read_embedded_verify_url, verification_page_url
from compliance.domain.pdf.paper import LETTER, PAGE_SIZES
from compliance.domain.pdf.qr import QR_MAX_VERSION, draw_qr, qr_fits, qr_rows
from compliance.domain.pdf.text import (
    LABEL_GRAY,
    LABEL_SIZE,
    FittedText,
    draw_centred_line,
    draw_label,
    draw_lines,
    fit_text,
)
from compliance.domain.slips.labels import (
    SlipLabels,
    format_issued_at,
    format_long_date,
    format_time_range,
    labels_for,
    printed_characters,
)
from compliance.domain.slips.slip import Slip, format_code

# Other modules import these from here; the slip layout is where they are used.
__all__ = [
    "QR_MAX_VERSION",
    "VERIFICATION_BOX_BOTTOM",
    "VERIFICATION_BOX_TOP",
    "VERIFICATION_TEXT_LEFT",
    "qr_fits",
    "read_embedded_verify_url",
    "render_slip",
    "verification_page_url",
]

# A version-22 code (the largest a slip prints) has 105 modules and a 4-module quiet zone each
# side: at 3.6 inches every module is 0.81 mm, large enough to scan from a phone's photo.
QR_PRINTED_SIZE = 3.6 * inch

MARGIN = 0.75 * inch
FRAME_INSET = 0.5 * inch
LABEL_WIDTH = 1.55 * inch
RULE_GRAY = 0.55

# The verification box: QR code on the left, code and instructions right of it.
_BOX_PADDING = 14
VERIFICATION_BOX_BOTTOM = MARGIN + 44
VERIFICATION_BOX_TOP = VERIFICATION_BOX_BOTTOM + QR_PRINTED_SIZE + 2 * _BOX_PADDING
# The QR code's own quiet zone is white space enough next to the box's edge.
_QR_LEFT = MARGIN + _BOX_PADDING - 6
VERIFICATION_TEXT_LEFT = _QR_LEFT + QR_PRINTED_SIZE + 6


@dataclass(frozen=True)
class _Sheet:
    """The page's size; everything across it is measured from the left margin."""

    width: float
    height: float

    @property
    def content_width(self) -> float:
        return self.width - 2 * MARGIN

    @property
    def value_width(self) -> float:
        return self.content_width - LABEL_WIDTH


PAGE_WIDTH, PAGE_HEIGHT = PAGE_SIZES[LETTER]

# --- The page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Detail:
    """One row of the details table, before fitting."""

    label: str
    value: str
    font: str = REGULAR
    max_lines: int = 1


@dataclass(frozen=True)
class _Density:
    """How large the body may be set; smaller steps are tried until it fits above the QR box."""

    name_size: float
    value_size: float
    row_padding: float


_DENSITIES = (
    _Density(name_size=28, value_size=11.5, row_padding=7),
    _Density(name_size=24, value_size=10.5, row_padding=5),
    _Density(name_size=20, value_size=9.5, row_padding=4),
    _Density(name_size=16, value_size=8.5, row_padding=3),
)


_NAME_GAP = 8  # above and below the name
_TABLE_GAP = 14  # between "attended the following meeting" and the table
# The labels' characters get the first font subset's fixed codes.
_PRINTED = printed_characters()


@dataclass(frozen=True)
class _Body:
    """The attendee's name and the details table, fitted."""

    certifies: FittedText
    name: FittedText
    attended: FittedText
    rows: list[tuple[str, FittedText]]
    row_padding: float

    @property
    def height(self) -> float:
        rows = sum(value.height + 2 * self.row_padding for _, value in self.rows)
        lines = self.certifies.height + self.name.height + self.attended.height
        return lines + 2 * _NAME_GAP + _TABLE_GAP + rows


def _details(slip: Slip, labels: SlipLabels) -> list[_Detail]:
    """Return the rows of the details table for a slip."""
    start, end = slip.local_start, slip.local_end
    return [
        _Detail(labels.meeting, slip.meeting, BOLD, max_lines=3),
        _Detail(labels.program, slip.program, max_lines=2),
        _Detail(labels.date, format_long_date(start, labels)),
        _Detail(labels.time, format_time_range(start, end, slip.timezone, labels), max_lines=2),
        _Detail(
            labels.attendance,
            labels.attendance_value.format(
                present=slip.present_minutes, scheduled=slip.scheduled_minutes
            ),
        ),
        _Detail(
            labels.facilitator,
            labels.facilitator_value.format(name=slip.facilitator, id=slip.facilitator_id),
            max_lines=2,
        ),
        _Detail(labels.issued, format_issued_at(slip.issued_at, labels)),
    ]


def _fit_body(slip: Slip, labels: SlipLabels, height: float, sheet: _Sheet) -> _Body:
    """Return the body at the largest density that fits in `height` (the smallest always does)."""
    details = _details(slip, labels)
    width = sheet.content_width
    for density in _DENSITIES:
        body = _Body(
            certifies=fit_text(labels.certifies, REGULAR, 11, 8, width, 1),
            name=fit_text(slip.name, BOLD, density.name_size, 12, width, 3, 0.7),
            attended=fit_text(labels.attended, REGULAR, 11, 8, width, 1),
            rows=[(detail.label, _fit_value(detail, density, sheet)) for detail in details],
            row_padding=density.row_padding,
        )
        if body.height <= height:
            break
    return body


def _fit_value(detail: _Detail, density: _Density, sheet: _Sheet) -> FittedText:
    """Return a detail's value fitted to the value column at a density."""
    return fit_text(
        detail.value, detail.font, density.value_size, 7.5, sheet.value_width, detail.max_lines
    )


def render_slip(slip: Slip, verify_url: str, paper: str = LETTER) -> bytes:
    """Return the slip as a one-page PDF on `paper` ('letter' or 'a4'); ValueError if the URL
    does not fit the QR code."""
    qr = qr_rows(verify_url)
    labels = labels_for(slip.language)
    sheet = _Sheet(*PAGE_SIZES[paper])
    buffer = io.BytesIO()
    pdf = _new_canvas(buffer, slip, verify_url, labels, sheet)
    _draw_frame(pdf, sheet)
    body_top = _draw_header(pdf, labels, sheet) - 20
    body = _fit_body(slip, labels, body_top - (VERIFICATION_BOX_TOP + 16), sheet)
    _draw_body(pdf, body, body_top, sheet)
    _draw_verification(pdf, slip, verify_url, qr, labels, sheet)
    _draw_footer(pdf, labels, sheet)
    pdf.showPage()
    compress_last_page(pdf)
    pdf.save()
    return buffer.getvalue()


def _new_canvas(
    buffer: io.BytesIO, slip: Slip, verify_url: str, labels: SlipLabels, sheet: _Sheet
) -> Canvas:
    """Return a canvas with fixed metadata, dates, file ID and font subsets for the slip."""
    register_fonts()
    pdf = deterministic_canvas(
        buffer,
        language=labels.language,
        title=f"{labels.document_title}: {slip.name}",
        subject=verify_url,
        keywords=f"{labels.document_title}; {format_code(slip.code)}",
        created=slip.issued_at,
        identity=f"{verify_url} {sheet.width:.2f}x{sheet.height:.2f}",
        font=REGULAR,
        pagesize=(sheet.width, sheet.height),
    )
    seed_font_subsets(pdf, _PRINTED)
    return pdf


def _draw_frame(pdf: Canvas, sheet: _Sheet) -> None:
    """Draw the double border around the page."""
    width, height = sheet.width, sheet.height
    pdf.setLineWidth(1.2)
    pdf.rect(FRAME_INSET, FRAME_INSET, width - 2 * FRAME_INSET, height - 2 * FRAME_INSET)
    pdf.setLineWidth(0.4)
    inner = FRAME_INSET + 3
    pdf.rect(inner, inner, width - 2 * inner, height - 2 * inner)


def _draw_header(pdf: Canvas, labels: SlipLabels, sheet: _Sheet) -> float:
    """Draw title, subtitle and a double rule; return the y below them."""
    centre = sheet.width / 2
    top = sheet.height - MARGIN
    title = fit_text(labels.document_title.upper(), BOLD, 22, 14, sheet.content_width, 1)
    baseline = top - title.size * CAP_HEIGHT
    draw_centred_line(pdf, title.lines[0], BOLD, title.size, centre, baseline, char_space=1.5)
    top -= title.size + 8
    pdf.setFillGray(LABEL_GRAY)
    draw_centred_line(pdf, labels.subtitle, REGULAR, 10.5, centre, top - 8)
    pdf.setFillGray(0)
    top -= 24
    _draw_rule(pdf, sheet, top, 1.5)
    _draw_rule(pdf, sheet, top - 3, 0.5)
    return top - 3


def _draw_rule(pdf: Canvas, sheet: _Sheet, y: float, width: float, gray: float = 0) -> None:
    """Draw a horizontal line across the content width."""
    pdf.setStrokeGray(gray)
    pdf.setLineWidth(width)
    pdf.line(MARGIN, y, sheet.width - MARGIN, y)
    pdf.setStrokeGray(0)


def _draw_body(pdf: Canvas, body: _Body, top: float, sheet: _Sheet) -> None:
    """Draw 'This is to certify that', the name large, 'attended…' and the details table."""
    pdf.setFillGray(LABEL_GRAY)
    top = draw_lines(pdf, body.certifies, MARGIN, top) - _NAME_GAP
    pdf.setFillGray(0)
    top = draw_lines(pdf, body.name, MARGIN, top) - _NAME_GAP
    pdf.setFillGray(LABEL_GRAY)
    top = draw_lines(pdf, body.attended, MARGIN, top) - _TABLE_GAP
    pdf.setFillGray(0)
    _draw_rule(pdf, sheet, top, 0.4, RULE_GRAY)
    for label, value in body.rows:
        top -= body.row_padding
        draw_label(pdf, label, MARGIN, top - (value.size - LABEL_SIZE) * CAP_HEIGHT)
        top = draw_lines(pdf, value, MARGIN + LABEL_WIDTH, top) - body.row_padding
        _draw_rule(pdf, sheet, top, 0.4, RULE_GRAY)


def _draw_verification(
    pdf: Canvas, slip: Slip, verify_url: str, qr: list[bytes], labels: SlipLabels, sheet: _Sheet
) -> None:
    """Draw the box with the QR code on the left and the code and instructions on the right."""
    pdf.setLineWidth(1)
    box_height = VERIFICATION_BOX_TOP - VERIFICATION_BOX_BOTTOM
    pdf.rect(MARGIN, VERIFICATION_BOX_BOTTOM, sheet.content_width, box_height)
    draw_qr(pdf, qr, _QR_LEFT, VERIFICATION_BOX_BOTTOM + _BOX_PADDING, QR_PRINTED_SIZE)
    left = VERIFICATION_TEXT_LEFT
    width = MARGIN + sheet.content_width - _BOX_PADDING - left
    top = VERIFICATION_BOX_TOP - _BOX_PADDING - 6
    draw_label(pdf, labels.code, left, top)
    code = fit_text(format_code(slip.code), MONO, 26, 10, width, 1)
    top = draw_lines(pdf, code, left, top - 14) - 26
    draw_label(pdf, labels.verification, left, top)
    top -= 16
    top = draw_lines(pdf, fit_text(labels.scan_instructions, REGULAR, 10, 8, width, 2), left, top)
    page_url = fit_text(verification_page_url(verify_url), BOLD, 11, 7, width, 2)
    top = draw_lines(pdf, page_url, left, top - 3) - 3
    draw_lines(pdf, fit_text(labels.type_code_instructions, REGULAR, 10, 8, width, 2), left, top)


def _draw_footer(pdf: Canvas, labels: SlipLabels, sheet: _Sheet) -> None:
    """Draw the warning that only the verification page proves anything."""
    footer = fit_text(labels.footer, BOLD, 10, 7, sheet.content_width - 20, 3)
    draw_lines(pdf, footer, sheet.width / 2, VERIFICATION_BOX_BOTTOM - 10, centred=True)
