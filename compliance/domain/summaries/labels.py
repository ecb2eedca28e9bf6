"""Printed words for attendance summaries in English and Spanish, and their numbers and dates.

Long dates come from the slip's labels in the same language, so both documents write them alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance.domain.slips.labels import ENGLISH, SPANISH, SlipLabels


@dataclass(frozen=True)
class SummaryLabels:
    """Every fixed piece of text a printed summary needs, in one language."""

    language: str
    dates: SlipLabels
    document_title: str
    subtitle: str
    attendee: str
    period: str
    attendance: str
    meetings_one: str
    meetings_many: str
    hours_one: str
    hours_many: str
    decimal_separator: str
    issued: str
    verification: str
    scan_instructions: str
    code_instructions: str
    date: str
    meeting: str
    program: str
    minutes: str
    code: str
    total: str
    empty: str
    empty_detail: str
    page: str
    footer: str
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    row_date_pattern: str


ENGLISH_SUMMARY = SummaryLabels(
    language="en",
    dates=ENGLISH,
    document_title="Attendance summary",
    subtitle="Online mutual-help meetings",
    attendee="Attendee",
    period="Period",
    attendance="Attendance",
    meetings_one="{count} meeting",
    meetings_many="{count} meetings",
    hours_one="{hours} hour",
    hours_many="{hours} hours",
    decimal_separator=".",
    issued="Issued",
    verification="Verification",
    scan_instructions=(
        "Scan the QR code with a phone camera to see the live status of every record listed "
        "in this summary. Records revoked after the summary was issued are flagged there."
    ),
    code_instructions="Any single record can also be checked by typing its code at",
    date="Date",
    meeting="Meeting",
    program="Program",
    minutes="Minutes",
    code="Code",
    total="Total",
    empty="No attendance records in this period.",
    empty_detail="This summary lists no meetings attended from {start} to {end}.",
    page="Page {page} of {pages}",
    footer=(
        "This summary is proof of attendance only if the verification page says VALID. "
        "The printed text alone proves nothing."
    ),
    weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    months=(
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ),
    row_date_pattern="{weekday}, {day} {month} {year}",
)

SPANISH_SUMMARY = SummaryLabels(
    language="es",
    dates=SPANISH,
    document_title="Resumen de asistencia",
    subtitle="Reuniones de ayuda mutua en línea",
    attendee="Participante",
    period="Periodo",
    attendance="Asistencia",
    meetings_one="{count} reunión",
    meetings_many="{count} reuniones",
    hours_one="{hours} hora",
    hours_many="{hours} horas",
    decimal_separator=",",
    issued="Emitido",
    verification="Verificación",
    scan_instructions=(
        "Escanee el código QR con la cámara de un teléfono para ver el estado actual de cada "
        "registro de este resumen. Allí se señalan los registros revocados después de su emisión."
    ),
    code_instructions="Cada registro también puede comprobarse escribiendo su código en",
    date="Fecha",
    meeting="Reunión",
    program="Programa",
    minutes="Minutos",
    code="Código",
    total="Total",
    empty="No hay registros de asistencia en este periodo.",
    empty_detail="Este resumen no incluye ninguna reunión entre el {start} y el {end}.",
    page="Página {page} de {pages}",
    footer=(
        "Este resumen prueba la asistencia solo si la página de verificación dice VALID "
        "(válido). El texto impreso por sí solo no prueba nada."
    ),
    weekdays=("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
    months=(
        "ene",
        "feb",
        "mar",
        "abr",
        "may",
        "jun",
        "jul",
        "ago",
        "sept",
        "oct",
        "nov",
        "dic",
    ),
    row_date_pattern="{weekday}, {day} {month} {year}",
)

SUMMARY_LABELS = {labels.language: labels for labels in (ENGLISH_SUMMARY, SPANISH_SUMMARY)}


def summary_labels_for(language: str) -> SummaryLabels:
    """Return the labels for a summary's language, English when the language is unknown."""
    return SUMMARY_LABELS.get(language, ENGLISH_SUMMARY)


def format_row_date(day: date, labels: SummaryLabels) -> str:
    """Return a table's date: e.g. 'Tue, 4 Mar 2025' or 'mar, 4 mar 2025'."""
    return labels.row_date_pattern.format(
        weekday=labels.weekdays[day.weekday()],
        day=day.day,
        month=labels.months[day.month - 1],
        year=day.year,
    )


def format_hours(minutes: int, labels: SummaryLabels) -> str:
    """Return minutes as hours to one decimal, halves rounded up: e.g. '11.6 hours', '1 hora'."""
    tenths = (minutes * 10 + 30) // 60
    whole, tenth = divmod(tenths, 10)
    number = f"{whole}" if tenth == 0 else f"{whole}{labels.decimal_separator}{tenth}"
    pattern = labels.hours_one if tenths == 10 else labels.hours_many
    return pattern.format(hours=number)


def format_meetings(count: int, labels: SummaryLabels) -> str:
    """Return e.g. '1 meeting', '12 meetings', '12 reuniones'."""
    return (labels.meetings_one if count == 1 else labels.meetings_many).format(count=count)


def format_totals(meetings: int, minutes: int, labels: SummaryLabels) -> str:
    """Return e.g. '12 meetings · 11.6 hours' or '12 reuniones · 11,6 horas'."""
    return f"{format_meetings(meetings, labels)} \u00b7 {format_hours(minutes, labels)}"


def printed_summary_characters() -> str:
    """Return every non-ASCII character the summary label tables can print."""
    texts = []
    for labels in SUMMARY_LABELS.values():
        for value in vars(labels).values():
            if isinstance(value, tuple):
                texts.extend(value)
            elif isinstance(value, str):
                texts.append(value)
    return "".join(sorted({ch for ch in "".join(texts) if ord(ch) > 127}))
