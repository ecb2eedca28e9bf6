"""A facilitator's printable attendance sheet of one session: names as printed on slips,
minutes and outcome, never an email. For their own records, not for officers (no QR)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from compliance.domain.pdf.fonts import BOLD, REGULAR, register_fonts
from compliance.domain.pdf.runs import font_runs


@dataclass(frozen=True)
class SheetLine:
    name: str
    minutes: int
    outcome: str  # "Slip SJCT-…", "Qualifies", "Too short", "Host", "Excluded: …"


@dataclass(frozen=True)
class AttendanceSheet:
    meeting: str
    program: str
    when: str  # e.g. "Tuesday 4 March 2025, 19:00–20:00 (America/Chicago)"
    facilitators: str
    status: str  # "Signed 4 March 2025, 20:05" or "Not signed yet"
    scheduled_minutes: int
    lines: tuple[SheetLine, ...]


HEADER = ("Name as printed on the slip", "Minutes", "Outcome")


def sheet_rows(sheet: AttendanceSheet) -> list[list[object]]:
    """Return the sheet's table, one row per person, for the CSV and the PDF alike."""
    return [[line.name, line.minutes, line.outcome] for line in sheet.lines]


def render_sheet(sheet: AttendanceSheet) -> bytes:
    """Return the sheet as a PDF (Letter; each stretch of a name in a bundled font that has it,
    so names in any script print, though right-to-left and joined scripts are not shaped
    here as they are on slips)."""
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13)
    title = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20)
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=letter,
        title=f"Attendance sheet: {sheet.meeting}",
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.75 * inch,
        bottomMargin=0.75 * inch,
        initialFontName=REGULAR,  # not reportlab's unembedded Helvetica
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12)
    heading = ParagraphStyle("heading", parent=cell, fontName=BOLD)
    table = Table(
        [[Paragraph(text, heading) for text in HEADER]]
        + [
            [
                Paragraph(_in_fonts(line.name, REGULAR), cell),
                str(line.minutes),
                Paragraph(_escape(line.outcome), cell),
            ]
            for line in sheet.lines
        ],
        colWidths=[3.4 * inch, 0.8 * inch, 2.8 * inch],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 9.5),
                ("FONT", (0, 0), (-1, 0), BOLD, 9.5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ]
        )
    )
    story = [
        Paragraph(f"Attendance sheet: {_in_fonts(sheet.meeting, BOLD)}", title),
        Paragraph(f"{_in_fonts(sheet.program, REGULAR)} · {_escape(sheet.when)}", body),
        Paragraph(f"Facilitators: {_in_fonts(sheet.facilitators, REGULAR)} · {sheet.status}", body),
        Paragraph(
            f"{len(sheet.lines)} people · {sheet.scheduled_minutes} scheduled minutes. "
            "For the facilitator's own records: keep it private. Officers verify slips, "
            "not this sheet.",
            body,
        ),
        Spacer(1, 0.2 * inch),
        table,
    ]
    document.build(story)
    return output.getvalue()


def _in_fonts(text: str, style: str) -> str:
    """Return text as paragraph markup, each stretch in the bundled font that has it."""
    return "".join(
        _escape(run) if font == style else f'<font face="{font}">{_escape(run)}</font>'
        for font, run in font_runs(text, style)
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
