"""An attendee on a phone: check in, keep the link, get the slip, a summary, a share link.

Then their officer opens the share link in another browser and sees that summary, nothing else.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from compliance.services import meetings
from compliance.services.accounts import user_by_email
from compliance.services.checkin import reveal_checkout_code
from tests.browser.conftest import ARTIFACTS, FACILITATOR, PHONE, fits_the_width
from tests.support.pdf_tools import pdf_text, render_pages

pytestmark = pytest.mark.browser

START = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)  # 19:00 in Chicago on Tuesday 4 March


@dataclass(frozen=True)
class Run:
    """Who checks in, to what, and the words they should see (English or Spanish)."""

    key: str
    name: str
    email: str
    meeting: str
    language: str
    words: dict


ENGLISH = {
    "name": "Your name, as it should be printed on your slip",
    "email": "Email (optional)",
    "check in": "Check in",
    "checked in": "You're checked in",
    "keep": "Your attendance page — keep this link",
    "check-out code": "Check-out code",
    "check out": "Check out",
    "checked out": "You're checked out",
    "no records": "No signed records yet",
    "valid": "Valid",
    "slip": "Download slip (PDF)",
    "summary": "Download summary (PDF)",
    "label": "Note for yourself (optional)",
    "create share": "Create share link",
    "share created": "Share link created. Copy it and send it to your officer.",
    "one meeting": "1 valid meeting",
    "opened": "Opened once",
    "slip text": "This is to certify that",
    "summary text": "ATTENDANCE SUMMARY",
}
SPANISH = {
    "name": "Su nombre, tal como debe aparecer en su comprobante",
    "email": "Correo electrónico (opcional)",
    "check in": "Registrar entrada",
    "checked in": "Entrada registrada",
    "keep": "Su página de asistencia: guarde este enlace",
    "check-out code": "Código de salida",
    "check out": "Registrar salida",
    "checked out": "Salida registrada",
    "no records": "Todavía no hay registros firmados",
    "valid": "Válido",
    "slip": "Descargar comprobante (PDF)",
    "summary": "Descargar resumen (PDF)",
    "label": "Nota para usted (opcional)",
    "create share": "Crear enlace para compartir",
    "share created": "Enlace creado. Cópielo y envíelo a su oficial.",
    "one meeting": "1 reunión válida",
    "opened": "Abierto una vez",
    "slip text": "Se hace constar que",
    "summary text": "RESUMEN DE ASISTENCIA",
}
RUNS = [
    Run(
        "en",
        "Олена Коваль-Шевченко",
        "olena.k@example.net",
        "Tuesday Evening Recovery Circle",
        "en",
        ENGLISH,
    ),
    Run(
        "es-long",
        # About as long as fits the slip's QR code next to this long meeting name.
        "Олександра-Вікторія Коваль-Шевченко-Новохатська",
        "oleksandra.kovalshevchenko@example.net",
        "Tuesday Evening SMART Recovery Circle for Parents and Caregivers",
        "es",
        SPANISH,
    ),
]


def open_a_session(app, meeting_name: str) -> dict:
    with app.app_context():
        sam = user_by_email(FACILITATOR[0])
        meeting = meetings.create_meeting(sam, meeting_name, "SMART Recovery", "America/Chicago")
        session = meetings.open_session(sam, meeting.id, START, START + timedelta(hours=1))
        return {"id": session.id, "in": session.checkin_code, "out": session.checkout_code}


def keep_pdf(data: bytes, name: str, tmp_path) -> list:
    """Save a downloaded PDF and its pages at 70 dpi under test-artifacts/, to look at."""
    (ARTIFACTS / f"{name}.pdf").write_bytes(data)
    pages = tmp_path / name
    pages.mkdir()
    kept = []
    for number, png in enumerate(render_pages(data, dpi=70, directory=pages), start=1):
        target = ARTIFACTS / f"{name}-page{number}.png"
        shutil.copy(png, target)
        kept.append(target)
    return kept


@pytest.mark.parametrize("run", RUNS, ids=[run.key for run in RUNS])
def test_an_attendee_gets_slip_summary_and_share_link_on_a_phone(
    live, chromium, shots, facilitator_api, console, tmp_path, run
):
    words = run.words
    codes = open_a_session(live.app, run.meeting)
    # Someone else at the same meeting, who must never show up on this attendee's pages.
    facilitator_api.post(
        f"/api/v1/sessions/{codes['id']}/attendance",
        {
            "name": "Lee Park",
            "email": "lee.park@example.net",
            "joined_at": "2025-03-04T19:00:00-06:00",
            "left_at": "2025-03-04T20:00:00-06:00",
        },
        status=201,
    )

    phone = console.watch(chromium.new_context(**PHONE))
    page = phone.new_page()
    live.clock.set(START - timedelta(minutes=3))
    page.goto(f"{live.url}/checkin/{codes['in']}")
    if run.language == "es":
        page.get_by_role("link", name="Español").click()
        expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label(words["name"]).fill(run.name)
    page.get_by_label(words["email"]).fill(run.email)
    assert fits_the_width(page)
    shots(page, f"30-{run.key}-attendee-checkin-form")
    page.get_by_role("button", name=words["check in"], exact=True).click()
    expect(page.get_by_text(words["checked in"])).to_be_visible()
    expect(page.get_by_role("heading", name=words["keep"])).to_be_visible()
    my_page = page.locator("input.share-url").input_value()
    assert my_page.startswith(f"{live.url}/me/")
    assert fits_the_width(page)
    shots(page, f"31-{run.key}-attendee-checked-in-keep-this-link")

    # Near the end: the facilitator shows the check-out code; the attendee types it.
    with live.app.app_context():
        reveal_checkout_code(user_by_email(FACILITATOR[0]), codes["id"])
    live.clock.set(START + timedelta(minutes=59))
    page.get_by_label(words["check-out code"]).fill(codes["out"])
    page.get_by_role("button", name=words["check out"], exact=True).click()
    expect(page.get_by_text(words["checked out"])).to_be_visible()
    page.close()

    # Later, from the saved link: nothing signed yet.
    page = phone.new_page()
    page.goto(my_page)
    expect(page.locator("html")).to_have_attribute("lang", run.language)
    expect(page.get_by_text(words["no records"])).to_be_visible()

    # The facilitator signs the session after the meeting.
    live.clock.set(START + timedelta(minutes=70))
    records = facilitator_api.post(f"/api/v1/sessions/{codes['id']}/finalize")["records"]
    assert sorted(r["name"] for r in records) == sorted([run.name, "Lee Park"])

    page.reload()
    row = page.locator("li.record-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(run.meeting)
    expect(row.locator(".badge-valid")).to_have_text(words["valid"])
    expect(page.get_by_text("Lee Park")).to_have_count(0)
    assert fits_the_width(page)
    shots(page, f"32-{run.key}-attendee-page-with-slip")

    # The slip, fetched as the page links it (same cookies as the phone).
    slip_link = page.get_by_role("link", name=words["slip"]).get_attribute("href")
    slip = page.request.get(slip_link)
    assert slip.ok and slip.headers["content-type"] == "application/pdf"
    assert slip.body().startswith(b"%PDF")
    slip_text = pdf_text(slip.body())
    assert words["slip text"] in slip_text and run.name in slip_text.replace("\n", " ")
    keep_pdf(slip.body(), f"33-{run.key}-slip", tmp_path)

    # A summary over March: the browser downloads the PDF.
    summary_form = page.locator("#summary")
    summary_form.locator("#summary-from").fill("2025-03-01")
    summary_form.locator("#summary-to").fill("2025-03-31")
    # Chromium opens the PDF in its viewer, as a phone would; the bytes come from the same URL.
    with page.expect_response(lambda response: "/summary.pdf?" in response.url) as answer:
        summary_form.get_by_role("button", name=words["summary"]).click()
    assert answer.value.ok and answer.value.headers["content-type"] == "application/pdf"
    assert "from=2025-03-01&to=2025-03-31" in answer.value.url
    summary_pdf = page.request.get(answer.value.url).body()
    assert summary_pdf.startswith(b"%PDF")
    page.goto(my_page)
    summary_text = pdf_text(summary_pdf)
    assert words["summary text"] in summary_text.upper()
    assert "Lee Park" not in summary_text
    keep_pdf(summary_pdf, f"34-{run.key}-summary", tmp_path)

    # A share link for the officer.
    share = page.locator("#share")
    share.locator("#share-from").fill("2025-03-01")
    share.locator("#share-to").fill("2025-03-31")
    share.get_by_label(words["label"]).fill("Officer Ramirez")
    share.get_by_role("button", name=words["create share"]).click()
    # The page opens at the share section: the confirmation is right there, on screen.
    created = page.locator(".share-row.new")
    expect(created.get_by_text(words["share created"])).to_be_in_viewport()
    share_url = created.locator("input.share-url").input_value()
    assert share_url.startswith(f"{live.url}/share/")
    assert fits_the_width(page)
    page.screenshot(path=str(ARTIFACTS / f"35-{run.key}-attendee-share-created-screen.png"))
    shots(page, f"35-{run.key}-attendee-share-link-created")

    # The officer, in a browser of their own.
    desk = console.watch(chromium.new_context(viewport={"width": 1024, "height": 768}))
    officer = desk.new_page()
    officer.goto(share_url)
    expect(officer.get_by_role("heading", name=run.name)).to_be_visible()
    expect(officer.locator("table.summary tbody tr")).to_have_count(1)
    expect(officer.locator("table.summary")).to_contain_text(run.meeting)
    body = officer.locator("body").inner_text()
    for private in (run.email, "Lee Park", "lee.park@example.net", "Officer Ramirez", "/me/"):
        assert private not in body and private not in officer.content()
    shots(officer, f"36-{run.key}-officer-share-view")
    officer.set_viewport_size(PHONE["viewport"])
    shots(officer, f"36-{run.key}-officer-share-view-phone")
    assert fits_the_width(officer), officer.evaluate(
        "[...document.querySelectorAll('table.summary tr:nth-child(1) > *')]"
        ".map(c => c.textContent.trim().slice(0, 12) + ':' + c.offsetWidth)"
        " + ' doc ' + document.documentElement.scrollWidth"
    )
    desk.close()

    # Back on the phone, the attendee sees that the link was opened.
    page.reload()
    expect(page.locator("#share")).to_contain_text(words["opened"])
    shots(page, f"37-{run.key}-attendee-share-opened")

    assert console.csp_violations == []
    phone.close()
