"""The emails the service sends, in English and Spanish, as plain text and HTML.

Pure: given what a message is about, return the message. No tracking (no images, no
redirecting links), and nothing about anyone but the person it is addressed to.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from html import escape


@dataclass(frozen=True)
class CheckInMail:
    name: str
    meeting: str
    when: str  # e.g. "Tuesday 4 March 2025, 19:00 (America/Chicago)"
    confirm_url: str


@dataclass(frozen=True)
class SlipMail:
    name: str
    meeting: str
    day: str
    code: str
    minutes: int
    page_url: str
    pdf: bytes
    filename: str


@dataclass(frozen=True)
class RecoverMail:
    page_url: str


@dataclass(frozen=True)
class BehindCase:
    """One line of an officer's digest: their own reference, where the case stands, its page."""

    label: str
    counted: int
    needed: int
    url: str


@dataclass(frozen=True)
class CaseDigestMail:
    name: str
    cases: tuple[BehindCase, ...]
    dashboard_url: str


@dataclass(frozen=True)
class CaseReminderMail:
    officer: str
    counted: int
    needed: int
    last_day: str
    page_url: str


TEXTS = {
    "en": {
        "checkin.subject": "Your attendance page: {meeting}",
        "checkin.lines": [
            "Hello {name},",
            "You checked in to {meeting} ({when}) with this email address.",
            "Open your attendance page here:",
            "{link}",
            "Following this link confirms that this address is yours. Your slip appears on that "
            "page once the facilitator signs the meeting, and we email it to you.",
            "If you did not check in, ignore this message: nothing is linked to your address "
            "unless you follow the link.",
        ],
        "slip.subject": "Your attendance slip: {meeting}, {day}",
        "slip.lines": [
            "Hello {name},",
            "The facilitator signed {meeting} on {day}. Your slip is attached: code {code}, "
            "{minutes} minutes present.",
            "All your slips, summaries and share links are on your attendance page:",
            "{link}",
            "An officer checks the slip by scanning its QR code or typing its code at {verify}.",
        ],
        "recover.subject": "The link to your attendance page",
        "recover.lines": [
            "Hello,",
            "Someone, hopefully you, asked for the link to the attendance page of this address:",
            "{link}",
            "Keep it private: anyone with it can see your attendance. If you think someone else "
            "has it, open the page and choose \u201cNew link\u201d: older links then stop working.",
            "If you did not ask, ignore this message.",
        ],
        "reminder.subject": "This week's meetings: {counted} of {needed} so far",
        "reminder.lines": [
            "Hello,",
            "You share your progress with {officer}. This week, which ends on {last_day}, "
            "{counted} of the {needed} meetings needed count so far.",
            "Your attendance page shows your progress and today's meetings:",
            "{link}",
            "You can turn these reminders off on that page.",
        ],
        "footer": "Attendance verification \u00b7 {origin}",
    },
    "es": {
        "checkin.subject": "Su página de asistencia: {meeting}",
        "checkin.lines": [
            "Hola, {name}:",
            "Registró su entrada en {meeting} ({when}) con esta dirección de correo.",
            "Abra aquí su página de asistencia:",
            "{link}",
            "Al seguir este enlace confirma que esta dirección es suya. Su comprobante aparece en "
            "esa página cuando el facilitador firme la reunión, y se lo enviamos por correo.",
            "Si usted no registró su entrada, ignore este mensaje: nada queda vinculado a su "
            "dirección si no sigue el enlace.",
        ],
        "slip.subject": "Su comprobante de asistencia: {meeting}, {day}",
        "slip.lines": [
            "Hola, {name}:",
            "El facilitador firmó {meeting} del {day}. Adjuntamos su comprobante: código {code}, "
            "{minutes} minutos de presencia.",
            "Todos sus comprobantes, resúmenes y enlaces para compartir están en su página de "
            "asistencia:",
            "{link}",
            "Un oficial verifica el comprobante escaneando su código QR o escribiendo su código "
            "en {verify}.",
        ],
        "recover.subject": "El enlace a su página de asistencia",
        "recover.lines": [
            "Hola:",
            "Alguien, esperamos que usted, pidió el enlace a la página de asistencia de esta "
            "dirección:",
            "{link}",
            "Manténgalo en privado: cualquiera que lo tenga puede ver su asistencia. Si cree que "
            "otra persona lo tiene, abra la página y elija \u201cEnlace nuevo\u201d: los enlaces "
            "anteriores dejan de funcionar.",
            "Si usted no lo pidió, ignore este mensaje.",
        ],
        "reminder.subject": "Reuniones de esta semana: {counted} de {needed} por ahora",
        "reminder.lines": [
            "Hola:",
            "Usted comparte su progreso con {officer}. Esta semana, que termina el {last_day}, "
            "cuentan por ahora {counted} de las {needed} reuniones necesarias.",
            "Su página de asistencia muestra su progreso:",
            "{link}",
            "Puede desactivar estos recordatorios en esa página.",
        ],
        "footer": "Verificación de asistencia \u00b7 {origin}",
    },
}

# Officers read the service in English (staff pages are English only).
DIGEST_TEXTS = {
    "subject": "{count} of your cases are behind",
    "subject_one": "1 of your cases is behind",
    "intro": "Hello {name},",
    "lead": "These cases fell behind their requirement (meetings counted of those needed):",
    "line": "{label}: {counted} of {needed} \u2014 {url}",
    "dashboard": "All your cases, behind first:",
    "off": "To stop this weekly email, turn it off on your cases page.",
}


def _texts(language: str) -> dict:
    return TEXTS.get(language, TEXTS["en"])


def _compose(
    sender: str, to: str, language: str, subject: str, lines: list[str], values: dict, origin: str
) -> EmailMessage:
    """Return a text + HTML message; {link} lines become the one link of the HTML part."""
    texts = _texts(language)
    footer = texts["footer"].format(origin=origin)
    plain = "\n\n".join(line.format(**values) for line in lines) + f"\n\n-- \n{footer}\n"
    paragraphs = []
    for line in lines:
        if line == "{link}":
            url = escape(values["link"])
            paragraphs.append(f'<p><a href="{url}">{url}</a></p>')
        else:
            safe = {key: escape(str(value)) for key, value in values.items()}
            paragraphs.append(f"<p>{line.format(**safe)}</p>")
    html = (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head>"
        f'<body style="font-family: sans-serif; line-height: 1.5">{"".join(paragraphs)}'
        f'<p style="color: #555">{escape(footer)}</p></body></html>'
    )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(plain)
    message.add_alternative(html, subtype="html")
    _say_language(message, language)
    return message


def _say_language(message: EmailMessage, language: str) -> None:
    """Label the whole message with its language (after the parts are made: making a message
    multipart moves its Content- headers into the first part)."""
    del message["Content-Language"]
    message["Content-Language"] = language


def checkin_message(sender: str, to: str, language: str, mail: CheckInMail, origin: str):
    texts = _texts(language)
    values = {"name": mail.name, "meeting": mail.meeting, "when": mail.when}
    values["link"] = mail.confirm_url
    subject = texts["checkin.subject"].format(**values)
    return _compose(sender, to, language, subject, texts["checkin.lines"], values, origin)


def slip_message(sender: str, to: str, language: str, mail: SlipMail, origin: str):
    texts = _texts(language)
    values = {
        "name": mail.name,
        "meeting": mail.meeting,
        "day": mail.day,
        "code": mail.code,
        "minutes": mail.minutes,
        "link": mail.page_url,
        "verify": f"{origin}/verify",
    }
    subject = texts["slip.subject"].format(**values)
    message = _compose(sender, to, language, subject, texts["slip.lines"], values, origin)
    message.add_attachment(mail.pdf, maintype="application", subtype="pdf", filename=mail.filename)
    _say_language(message, language)
    return message


def recover_message(sender: str, to: str, language: str, mail: RecoverMail, origin: str):
    texts = _texts(language)
    values = {"link": mail.page_url}
    subject = texts["recover.subject"]
    return _compose(sender, to, language, subject, texts["recover.lines"], values, origin)


def reminder_message(sender: str, to: str, language: str, mail: CaseReminderMail, origin: str):
    texts = _texts(language)
    values = {"officer": mail.officer, "counted": mail.counted, "needed": mail.needed,
              "last_day": mail.last_day, "link": mail.page_url}  # fmt: skip
    subject = texts["reminder.subject"].format(**values)
    return _compose(sender, to, language, subject, texts["reminder.lines"], values, origin)


def digest_message(sender: str, to: str, mail: CaseDigestMail, origin: str):
    """The officer's weekly list of cases behind; each line is that officer's own reference."""
    count = len(mail.cases)
    subject = (DIGEST_TEXTS["subject_one"] if count == 1 else DIGEST_TEXTS["subject"]).format(
        count=count
    )
    # Each case is a value of its own line: a brace in a label is text, never a placeholder.
    values = {"name": mail.name, "link": mail.dashboard_url}
    values.update(
        (f"case{i}", DIGEST_TEXTS["line"].format(**vars(case))) for i, case in enumerate(mail.cases)
    )
    case_lines = [f"{{case{i}}}" for i in range(count)]
    lines = [DIGEST_TEXTS["intro"], DIGEST_TEXTS["lead"], *case_lines, DIGEST_TEXTS["dashboard"],
             "{link}", DIGEST_TEXTS["off"]]  # fmt: skip
    return _compose(sender, to, "en", subject, lines, values, origin)
