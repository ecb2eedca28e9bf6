"""Case mail as composed: an officer's own labels are text (never placeholders or markup)."""

from compliance.domain.mail_messages import (
    BehindCase,
    CaseDigestMail,
    CaseReminderMail,
    digest_message,
    reminder_message,
)

ORIGIN = "https://verify.example.org"


def test_a_label_with_braces_and_markup_is_printed_as_written():
    label = "{name} <b>24-CR-1</b>"
    mail = CaseDigestMail("Olive O.", (BehindCase(label, 1, 4, f"{ORIGIN}/officer/cases/x"),),
                          f"{ORIGIN}/officer/")  # fmt: skip
    message = digest_message("no-reply@verify.example.org", "olive@example.org", mail, ORIGIN)
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"{label}: 1 of 4" in plain and "Hello Olive O.," in plain
    assert "&lt;b&gt;24-CR-1&lt;/b&gt;" in html and "<b>24-CR-1</b>" not in html
    assert message["Subject"] == "1 of your cases is behind"


def test_the_reminder_speaks_the_attendees_language():
    mail = CaseReminderMail("Olive O.", 1, 3, "2025-03-09", f"{ORIGIN}/me/abc")
    english = reminder_message("n@x.org", "d@x.org", "en", mail, ORIGIN)
    spanish = reminder_message("n@x.org", "d@x.org", "es", mail, ORIGIN)
    assert english["Subject"] == "This week's meetings: 1 of 3 so far"
    assert spanish["Subject"] == "Reuniones de esta semana: 1 de 3 por ahora"
    assert spanish["Content-Language"] == "es"
