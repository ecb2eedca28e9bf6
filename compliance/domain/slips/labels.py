"""Printed words for slips in English and Spanish, and dates written without the process locale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

# U+2212 MINUS SIGN and U+2013 EN DASH read better in print than "-".
MINUS = "\u2212"
EN_DASH = "\u2013"


@dataclass(frozen=True)
class SlipLabels:
    """Every fixed piece of text a printed slip needs, in one language."""

    language: str
    document_title: str
    subtitle: str
    certifies: str
    attended: str
    meeting: str
    program: str
    date: str
    time: str
    attendance: str
    attendance_value: str
    facilitator: str
    facilitator_value: str
    issued: str
    verification: str
    code: str
    scan_instructions: str
    type_code_instructions: str
    footer: str
    next_day: str
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    date_pattern: str
    short_date_pattern: str
    clock_24h: bool


ENGLISH = SlipLabels(
    language="en",
    document_title="Proof of attendance",
    subtitle="Online mutual-help meeting",
    certifies="This is to certify that",
    attended="attended the following online meeting:",
    meeting="Meeting",
    program="Program",
    date="Date",
    time="Time",
    attendance="Attendance",
    attendance_value="Present for {present} of {scheduled} scheduled minutes",
    facilitator="Facilitator",
    facilitator_value="{name} (facilitator ID {id})",
    issued="Issued",
    verification="Verification",
    code="Verification code",
    scan_instructions="Scan the QR code with a phone camera, or go to",
    type_code_instructions="and type the verification code.",
    footer=(
        "This slip is proof of attendance only if the verification page says VALID. "
        "The printed text alone proves nothing."
    ),
    next_day="next day",
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    date_pattern="{weekday}, {day} {month} {year}",
    short_date_pattern="{day} {month} {year}",
    clock_24h=False,
)

SPANISH = SlipLabels(
    language="es",
    document_title="Constancia de asistencia",
    subtitle="Reunión de ayuda mutua en línea",
    certifies="Se hace constar que",
    attended="asistió a la siguiente reunión en línea:",
    meeting="Reunión",
    program="Programa",
    date="Fecha",
    time="Horario",
    attendance="Asistencia",
    attendance_value="Presente durante {present} de {scheduled} minutos programados",
    facilitator="Facilitador/a",
    facilitator_value="{name} (ID de facilitador/a {id})",
    issued="Emitida",
    verification="Verificación",
    code="Código de verificación",
    scan_instructions="Escanee el código QR con la cámara de un teléfono, o vaya a",
    type_code_instructions="y escriba el código de verificación.",
    footer=(
        "Esta constancia prueba la asistencia solo si la página de verificación dice VALID "
        "(válida). El texto impreso por sí solo no prueba nada."
    ),
    next_day="día siguiente",
    weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    months=(
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    date_pattern="{weekday}, {day} de {month} de {year}",
    short_date_pattern="{day} de {month} de {year}",
    clock_24h=True,
)

LABELS = {labels.language: labels for labels in (ENGLISH, SPANISH)}


def labels_for(language: str) -> SlipLabels:
    """Return the labels for a slip's language, English when the language is unknown."""
    return LABELS.get(language, ENGLISH)


def format_long_date(moment: date, labels: SlipLabels, starts_sentence: bool = True) -> str:
    """Return e.g. 'Tuesday, 4 March 2025' or 'Martes, 4 de marzo de 2025'.

    Mid-sentence, Spanish keeps its weekday in lower case: '… – martes, 4 de marzo de 2025'.
    """
    text = labels.date_pattern.format(
        weekday=labels.weekdays[moment.weekday()],
        day=moment.day,
        month=labels.months[moment.month - 1],
        year=moment.year,
    )
    return text[0].upper() + text[1:] if starts_sentence else text


def format_period(start: date, end: date, labels: SlipLabels) -> str:
    """Return e.g. 'Monday, 6 January 2025 – Saturday, 5 April 2025' (one day: just that day)."""
    first = format_long_date(start, labels)
    if end == start:
        return first
    return f"{first} {EN_DASH} {format_long_date(end, labels, starts_sentence=False)}"


def format_short_date(moment: datetime, labels: SlipLabels) -> str:
    """Return e.g. '4 March 2025' or '4 de marzo de 2025'."""
    return labels.short_date_pattern.format(
        day=moment.day, month=labels.months[moment.month - 1], year=moment.year
    )


def format_clock(moment: datetime, labels: SlipLabels) -> str:
    """Return e.g. '7:00 PM' (English) or '19:00' (Spanish)."""
    if labels.clock_24h:
        return f"{moment.hour:02d}:{moment.minute:02d}"
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def format_utc_offset(moment: datetime) -> str:
    """Return e.g. 'UTC−06:00' for an aware moment."""
    offset = moment.utcoffset() or timedelta(0)
    sign = MINUS if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_zone_suffix(moment: datetime) -> str:
    """Return e.g. 'CST (UTC−06:00)', or just '(UTC−03:00)' where the zone has no abbreviation."""
    abbreviation = moment.tzname() or ""
    offset = f"({format_utc_offset(moment)})"
    # zoneinfo names zones without an abbreviation by their offset, e.g. '-03'.
    if not abbreviation or abbreviation[0] in "+-" or abbreviation == "UTC":
        return offset
    return f"{abbreviation} {offset}"


def format_time_range(start: datetime, end: datetime, zone: str, labels: SlipLabels) -> str:
    """Return e.g. '7:00 PM – 8:00 PM CST (UTC−06:00), America/Chicago' for local moments."""
    end_clock = format_clock(end, labels)
    if end.date() != start.date():
        end_clock += f" ({labels.next_day})"
    if start.utcoffset() == end.utcoffset():
        span = f"{format_clock(start, labels)} {EN_DASH} {end_clock} {format_zone_suffix(start)}"
    else:
        # A clock change during the meeting: each end gets its own offset.
        span = (
            f"{format_clock(start, labels)} {format_zone_suffix(start)} {EN_DASH} "
            f"{end_clock} {format_zone_suffix(end)}"
        )
    return f"{span}, {zone}"


def format_issued_at(moment: datetime, labels: SlipLabels) -> str:
    """Return when a slip was issued, in UTC: e.g. '5 March 2025, 2:05 AM UTC'."""
    utc = moment.astimezone(UTC)
    return f"{format_short_date(utc, labels)}, {format_clock(utc, labels)} UTC"


def printed_characters() -> str:
    """Return every non-ASCII character the label tables can print."""
    texts = []
    for labels in LABELS.values():
        for value in vars(labels).values():
            texts.extend(value if isinstance(value, tuple) else [str(value)])
    texts.extend([MINUS, EN_DASH])
    return "".join(sorted({ch for ch in "".join(texts) if ord(ch) > 127}))
