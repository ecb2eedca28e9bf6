"""Files as handed out: Letter or A4, the same bytes on every download and across renderer
upgrades, re-saved copies recognised, visible edits caught."""

import io
import subprocess
from dataclasses import replace

import pikepdf
import pytest

from compliance.domain.slips.pdf import render_slip
from compliance.models import IssuedFile
from compliance.services import slips
from tests.app.journey import signed_session
from tests.app.pages import page_with
from tests.app.test_attendee import sign_day
from tests.support.pdf_tools import decode_qr_texts, qpdf_check, render_pages, require_tool

LETTER_SIZE, A4_SIZE = [0, 0, 612, 792], [0, 0, 595.2756, 841.8898]


def verify_upload(client, data: bytes):
    return client.post(
        "/api/v1/verify/pdf",
        data={"file": (io.BytesIO(data), "slip.pdf")},
        content_type="multipart/form-data",
    ).get_json()


def media_box(pdf: bytes) -> list[float]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [round(float(v), 4) for v in document.pages[0].MediaBox]


def rewrite(pdf: bytes, tmp_path, *command: str) -> bytes:
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(pdf)
    subprocess.run([require_tool(command[0]), *command[1:], str(source), str(target)], check=True)
    return target.read_bytes()


@pytest.fixture
def record(facilitator):
    _, (dana,) = signed_session(facilitator)
    return dana


def test_a4_on_request_letter_by_default_both_verify(client, record, tmp_path):
    letter = client.get(record["slip_url"]).data
    a4 = client.get(f"{record['slip_url']}?paper=a4").data
    assert media_box(letter) == LETTER_SIZE and media_box(a4) == pytest.approx(A4_SIZE, abs=0.01)
    assert client.get(f"{record['slip_url']}?paper=A4").data == a4
    qpdf_check(a4)
    (page,) = render_pages(a4, dpi=150, directory=tmp_path)
    assert decode_qr_texts(page) == [f"https://verify.example.org/v/{record['token']}"]
    for pdf in (letter, a4):
        answer = verify_upload(client, pdf)
        assert answer["status"] == "valid" and "note" not in answer


def test_the_default_paper_follows_the_browsers_locale(client, record):
    def box(language):
        response = client.get(record["slip_url"], headers={"Accept-Language": language})
        assert response.headers["Vary"] == "Accept-Language"
        return media_box(response.data)

    assert box("en-US,en;q=0.9") == LETTER_SIZE
    assert box("es-MX,es;q=0.8") == LETTER_SIZE
    assert box("es") == LETTER_SIZE
    assert box("es-ES,es;q=0.9") == pytest.approx(A4_SIZE, abs=0.01)
    assert box("en-GB") == pytest.approx(A4_SIZE, abs=0.01)


def test_an_unknown_paper_is_refused(client, record):
    response = client.get(f"{record['slip_url']}?paper=legal")
    assert response.status_code == 400


def test_summary_links_take_the_paper_too(app, client, facilitator):
    records = sign_day(facilitator, "2025-03-04", [("Dana K", None)])
    url = f"{page_with(app, records)}/summary.pdf?from=2025-03-01&to=2025-03-31"
    a4 = client.get(f"{url}&paper=a4").data
    assert media_box(a4) == pytest.approx(A4_SIZE, abs=0.01)
    assert client.get(f"{url}&paper=a4").data == a4
    assert verify_upload(client, a4)["status"] == "valid"
    assert media_box(client.get(url).data) == LETTER_SIZE


def test_every_download_is_the_stored_file_even_after_the_renderer_changes(
    app, client, record, monkeypatch
):
    first = client.get(record["slip_url"]).data
    # A reportlab or zlib upgrade: the same slip would now render to other bytes.
    monkeypatch.setattr(slips, "render_slip", lambda *args: b"%PDF-1.4 other bytes")
    assert client.get(record["slip_url"]).data == first
    with app.app_context():
        stored = IssuedFile.query.filter_by(subject=record["code"].replace("-", "")).one()
        assert stored.paper == "letter" and stored.pdf == first
    answer = verify_upload(client, first)
    assert answer["status"] == "valid" and "note" not in answer


@pytest.mark.parametrize(
    "command",
    [
        ("qpdf",),
        ("qpdf", "--linearize"),
        ("qpdf", "--object-streams=generate"),
        ("qpdf", "--qdf", "--object-streams=disable"),
        ("pdftocairo", "-pdf"),
    ],
    ids=["qpdf", "linearized", "object-streams", "qdf-uncompressed", "printed-by-cairo"],
)
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_resaved_copy_is_valid_with_a_note(client, record, tmp_path, command, paper):
    issued = client.get(f"{record['slip_url']}?paper={paper}").data
    copy = rewrite(issued, tmp_path, *command)
    assert copy != issued
    answer = verify_upload(client, copy)
    assert answer["status"] == "valid", answer
    assert "re-saved copy" in answer["note"]
    assert answer["record"]["code"] == record["code"]


def test_a_visible_edit_under_the_genuine_token_is_altered(app, client, record):
    issued = client.get(record["slip_url"]).data
    with app.app_context():
        slip = slips.slip_of(slips.record_for_download(record["slip_url"].rsplit("/", 1)[1][:-4]))
    url = f"https://verify.example.org/v/{record['token']}"
    # One minute more, drawn by the service's own renderer with the genuine token in the QR.
    forged = render_slip(replace(slip, present_minutes=slip.present_minutes + 1), url)
    assert forged != issued
    answer = verify_upload(client, forged)
    assert answer["status"] == "altered"
    assert answer["record"]["present_minutes"] == slip.present_minutes


def test_an_annotation_drawn_over_the_slip_is_altered(client, record):
    issued = client.get(record["slip_url"]).data
    with pikepdf.open(io.BytesIO(issued)) as document:
        page = document.pages[0]
        stamp = document.make_stream(
            b"1 1 1 rg 0 0 60 14 re f 0 g BT /Helv 10 Tf 2 3 Td (60) Tj ET"
        )
        stamp.Type, stamp.Subtype, stamp.BBox = (
            pikepdf.Name.XObject,
            pikepdf.Name.Form,
            [0, 0, 60, 14],
        )
        annotation = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.FreeText,
            Rect=[190, 430, 250, 444],
            AP=pikepdf.Dictionary(N=stamp),
            DA=pikepdf.String("/Helv 10 Tf 0 g"),
            Contents=pikepdf.String("60"),
        )
        page.Annots = document.make_indirect(pikepdf.Array([annotation]))
        out = io.BytesIO()
        document.save(out)
    assert verify_upload(client, out.getvalue())["status"] == "altered"


def test_another_paper_size_or_a_blank_page_added_is_altered(client, record, tmp_path):
    issued = client.get(record["slip_url"]).data
    with pikepdf.open(io.BytesIO(issued)) as document:
        document.add_blank_page()
        out = io.BytesIO()
        document.save(out)
    assert verify_upload(client, out.getvalue())["status"] == "altered"
    with pikepdf.open(io.BytesIO(issued)) as document:
        document.pages[0].MediaBox = [0, 0, 612, 1008]  # US Legal
        out = io.BytesIO()
        document.save(out)
    assert verify_upload(client, out.getvalue())["status"] == "altered"


def test_the_upload_page_says_a_resaved_copy_is_valid_and_a_copy(app, client, record, tmp_path):
    app.config["WTF_CSRF_ENABLED"] = False
    copy = rewrite(client.get(record["slip_url"]).data, tmp_path, "qpdf", "--linearize")
    page = client.post(
        "/verify/pdf",
        data={"file": (io.BytesIO(copy), "slip.pdf")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Valid" in page and "re-saved copy" in page


def test_a_huge_page_without_a_link_is_refused_without_rendering_it(client):
    out = io.BytesIO()
    with pikepdf.new() as document:
        document.add_blank_page(page_size=(14000, 14000))
        document.save(out)
    response = client.post(
        "/api/v1/verify/pdf",
        data={"file": (io.BytesIO(out.getvalue()), "slip.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422


def test_a_copy_saved_by_pikepdf_is_valid_and_an_edit_saved_by_pikepdf_is_altered(client, record):
    issued = client.get(record["slip_url"]).data
    with pikepdf.open(io.BytesIO(issued)) as document:
        out = io.BytesIO()
        document.save(
            out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
        )
    answer = verify_upload(client, out.getvalue())
    assert answer["status"] == "valid" and "re-saved copy" in answer["note"]
    with pikepdf.open(io.BytesIO(issued)) as document:
        page = document.pages[0]
        # Paint a white box over the code and draw nothing else: a visible change.
        page.contents_add(document.make_stream(b"q 1 g 300 300 200 40 re f Q"))
        out = io.BytesIO()
        document.save(out)
    assert verify_upload(client, out.getvalue())["status"] == "altered"


def test_two_first_downloads_at_once_both_get_the_one_file_stored(app, monkeypatch):
    from compliance.extensions import db
    from compliance.services import issued_files

    with app.app_context():
        assert issued_files.handed_out("RACE", "letter", lambda: b"%PDF first") == b"%PDF first"
        db.session.commit()
    real, calls = issued_files._stored, []

    def looked_too_early(*args):  # the second request looked before the first one stored
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(issued_files, "_stored", looked_too_early)
    with app.app_context():
        assert issued_files.handed_out("RACE", "letter", lambda: b"%PDF second") == b"%PDF first"
        assert len(calls) == 2
        db.session.commit()
        assert IssuedFile.query.filter_by(subject="RACE").count() == 1
