"""The attendee's whole path in English and Spanish: check-in, their page, slips and summaries."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from compliance.extensions import db
from compliance.models import Attendee
from tests.app.checkin_steps import END, START, check_in, reveal
from tests.app.web_session import Browser
from tests.support.pdf_tools import pdf_text

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "compliance" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
COMPILED = CATALOG.with_suffix(".mo")


def path_of(url: str) -> str:
    """Keep one cookie jar: the service's links are absolute, the test client's host is not."""
    return urlsplit(url).path


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([a-z]+)"', html).group(1)


def test_the_check_in_page_switches_to_spanish_with_the_language_links(app, clock, codes):
    browser = Browser(app.test_client())
    english = browser.get(f"/checkin/{codes['checkin']}").text
    assert html_lang(english) == "en" and "Your name, as it should be printed" in english
    assert f'href="/checkin/{codes["checkin"]}?lang=es"' in english  # the switcher
    spanish = browser.get(f"/checkin/{codes['checkin']}?lang=es").text
    assert html_lang(spanish) == "es"
    assert "Registrar entrada" in spanish
    assert "Su nombre, tal como debe aparecer en su comprobante" in spanish
    assert "Martes 4 de marzo de 2025" in spanish
    assert "Your name" not in spanish and "Check in" not in spanish
    assert f'href="/checkin/{codes["checkin"]}?lang=en"' in spanish  # and back


def test_the_browsers_language_is_the_default(app, clock, codes):
    client = app.test_client()
    page = client.get("/checkin", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}).text
    assert html_lang(page) == "es" and "Registre su entrada a la reunión" in page
    page = client.get(f"/checkin/{codes['checkin']}", headers={"Accept-Language": "es"}).text
    assert "Registrar entrada" in page
    assert html_lang(client.get("/checkin", headers={"Accept-Language": "fr"}).text) == "en"


def test_the_choice_is_remembered_and_beats_the_browser(app, clock, codes):
    browser = Browser(app.test_client())
    browser.get("/checkin?lang=es")
    assert "Registre su entrada a la reunión" in browser.get("/checkin").text
    assert "Registrar entrada" in browser.get(f"/checkin/{codes['checkin']}").text
    browser.get("/checkin?lang=en")
    page = browser.get("/checkin", headers={"Accept-Language": "es"}).text
    assert html_lang(page) == "en" and "Check in to your meeting" in page
    assert "Check in to your meeting" in browser.get("/checkin?lang=xx").text  # unknown: ignored


def test_messages_and_form_errors_are_in_spanish(app, clock, codes):
    browser = Browser(app.test_client())
    browser.get("/checkin?lang=es")
    wrong = browser.get("/checkin/2222333344445555")
    assert wrong.status_code == 404
    assert "Ninguna reunión tiene este código" in wrong.text
    empty = browser.post(f"/checkin/{codes['checkin']}", {"name": "", "email": "nope"})
    assert empty.status_code == 400
    assert "Escriba el nombre que debe aparecer en su comprobante." in empty.text
    assert "Escriba un correo electrónico como nombre@ejemplo.org." in empty.text
    clock.now = START - timedelta(hours=2)
    early = browser.get(f"/checkin/{codes['checkin']}")
    assert early.status_code == 409
    assert (
        "El registro de entrada abre a las 18:30 del martes 4 de marzo (America/Chicago)."
        in early.text
    )


def test_staff_pages_stay_english_whatever_the_language(app, clock, codes):
    browser = Browser(app.test_client())
    browser.get("/checkin?lang=es")
    page = browser.get("/verify").text
    assert html_lang(page) == "en" and "Verify a slip" in page and "Verificar" not in page


def spanish_attendee_checks_in_and_out(app, clock, codes, sam) -> Browser:
    """Dana picks Español on the check-in page, checks in at the start and out at the end."""
    dana = Browser(app.test_client())
    dana.get(f"/checkin/{codes['checkin']}?lang=es")
    clock.now = START
    checked_in = check_in(dana, codes["checkin"], email="")
    assert checked_in.status_code == 302
    page = dana.get(checked_in.headers["Location"]).text
    assert "Entrada registrada" in page and "Su página de asistencia: guarde este enlace" in page
    # The page link shown to her at check-in: the only way anyone gets it.
    dana.page_path = path_of(re.search(r'value="(https://[^"]+/me/[^"]+)"', page).group(1))
    reveal(sam, codes["id"])
    clock.now = END
    dana.get(f"/checkout/{codes['checkout']}")
    assert dana.post("/checkout", {"code": codes["checkout"]}).status_code == 302
    return dana


def test_a_spanish_check_in_gives_a_spanish_page_and_a_spanish_slip(
    app, clock, codes, sam, facilitator
):
    dana = spanish_attendee_checks_in_and_out(app, clock, codes, sam)
    with app.app_context():
        (attendee,) = db.session.query(Attendee).all()
        assert attendee.language == "es"

    response = facilitator.post(f"/api/v1/sessions/{codes['id']}/finalize")
    assert response.status_code == 200, response.get_json()
    (record,) = response.get_json()["records"]
    verdict = facilitator.client.get(f"/api/v1/verify/{record['token']}").get_json()
    assert verdict["status"] == "valid"
    assert verdict["record"]["language"] == "es"

    slip = dana.client.get(path_of(record["slip_url"]))
    assert slip.mimetype == "application/pdf"
    assert "Se hace constar que" in pdf_text(slip.data)
    mine = dana.get(dana.page_path).text
    assert html_lang(mine) == "es" and "Mi asistencia" in mine and "Válido" in mine
    summary = dana.client.get(
        dana.page_path + "/summary.pdf?from=2025-03-01&to=2025-03-31"
    )
    assert summary.status_code == 200
    text = pdf_text(summary.data)
    assert "RESUMEN DE ASISTENCIA" in text.upper() and "Dana Kowalski" in text


def test_an_english_check_in_keeps_english_slips(app, clock, codes, sam, facilitator):
    dana = Browser(app.test_client())
    clock.now = START
    check_in(dana, codes["checkin"], email="")
    with app.app_context():
        assert db.session.query(Attendee).one().language == "en"


def test_the_attendee_page_switcher_saves_the_language_for_future_slips(
    app, clock, codes, sam, facilitator
):
    dana = spanish_attendee_checks_in_and_out(app, clock, codes, sam)
    (record,) = facilitator.post(f"/api/v1/sessions/{codes['id']}/finalize").get_json()["records"]
    url = dana.page_path
    page = dana.get(url).text
    assert 'name="language" value="en"' in page and "English" in page
    assert dana.post(f"{url}/language", {"language": "en"}).status_code == 302
    assert html_lang(dana.get(url).text) == "en"
    assert "Check in to your meeting" in dana.get("/checkin").text  # and the session follows
    with app.app_context():
        assert db.session.query(Attendee).one().language == "en"


def test_an_expired_check_out_form_shows_check_out_again(app, clock, codes, sam):
    app.config["WTF_CSRF_ENABLED"] = True
    dana = Browser(app.test_client())
    dana.get(f"/checkin/{codes['checkin']}?lang=es")
    check_in(dana, codes["checkin"])
    reveal(sam, codes["id"])
    clock.now = END
    stale = dana.post("/checkout", {"code": codes["checkout"].lower(), "csrf_token": "stale"})
    assert stale.status_code == 400  # nothing done; the same step again, with a fresh form
    assert "Este formulario caducó" in stale.text and "Registrando la salida de" in stale.text
    assert f'value="{codes["checkout"]}"' in stale.text  # the code is still there
    assert dana.post("/checkout", {"code": codes["checkout"]}).status_code == 302


def untranslated(catalog) -> list:
    """Return the msgids with an empty translation (any plural form) or marked fuzzy."""
    forms = lambda m: m.string if isinstance(m.string, tuple) else (m.string,)  # noqa: E731
    return [m.id for m in catalog if m.id and (m.fuzzy or not all(forms(m)))]


def test_the_spanish_catalog_has_no_untranslated_or_fuzzy_entries():
    with CATALOG.open("rb") as file:
        catalog = read_po(file)
    assert untranslated(catalog) == []
    assert len(catalog) > 100
    assert any(isinstance(m.id, tuple) for m in catalog)  # plurals are checked too


def test_the_compiled_catalog_matches_the_po_file():
    def entries(catalog) -> dict:
        both = lambda text: tuple(text) if isinstance(text, list | tuple) else text  # noqa: E731
        return {both(m.id): both(m.string) for m in catalog if m.id}

    with CATALOG.open("rb") as file:
        source = entries(read_po(file))
    with COMPILED.open("rb") as file:
        compiled = entries(read_mo(file))
    assert compiled == source, "run: pybabel compile -d compliance/translations"


def test_every_string_in_the_code_is_in_the_catalog(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "compliance/translations/babel.cfg", "-k", "_l"]
        + ["-o", str(template), "compliance", "templates"]
    )
    with template.open("rb") as file:
        wanted = {m.id for m in read_po(file) if m.id}
    with CATALOG.open("rb") as file:
        have = {m.id for m in read_po(file) if m.id}
    missing = sorted(str(m) for m in wanted - have)
    assert missing == [], "run pybabel extract and update, then translate"


@pytest.mark.parametrize(("language", "other"), [("en", "es"), ("es", "en")])
def test_the_language_links_work_on_a_page_answering_a_form(app, clock, language, other):
    """/checkout takes only POST: its page links to the code page in the other language."""
    browser = Browser(app.test_client())
    browser.get(f"/checkin?lang={language}")
    refused = browser.post("/checkout", {"code": ""})
    assert refused.status_code == 400
    assert f'href="/checkin?lang={other}"' in refused.text


def test_an_expired_form_on_the_attendee_page_shows_it_again_with_a_word_why(
    app, clock, codes, sam, facilitator
):
    dana = spanish_attendee_checks_in_and_out(app, clock, codes, sam)
    (record,) = facilitator.post(f"/api/v1/sessions/{codes['id']}/finalize").get_json()["records"]
    url = dana.page_path
    app.config["WTF_CSRF_ENABLED"] = True
    stale = dana.post(
        f"{url}/shares", {"from": "2025-03-01", "to": "2025-03-31", "csrf_token": "x"}
    )
    assert stale.status_code == 400
    assert "Este formulario caducó" in stale.text and "Crear enlace para compartir" in stale.text
    assert "enlace creado" not in stale.text.lower()
    assert dana.post("/me/not-a-link/shares", {"csrf_token": "x"}).status_code == 400
