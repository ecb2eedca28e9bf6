"""Officers upload a slip PDF: genuine, edited, appended to, QR swapped, or not a slip at all."""

import io
import re

import pikepdf
import pytest
from reportlab.pdfgen.canvas import Canvas

from tests.app.journey import signed_session


def verify_upload(client, data: bytes, filename="slip.pdf"):
    return client.post(
        "/api/v1/verify/pdf",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def issued(client, facilitator):
    _, (record,) = signed_session(facilitator)
    return record, client.get(record["slip_url"]).data


def test_the_issued_file_is_valid(client, issued):
    record, pdf = issued
    answer = verify_upload(client, pdf).get_json()
    assert answer["status"] == "valid"
    assert answer["record"]["code"] == record["code"]


def _page_content_offset(pdf: bytes) -> int:
    """Return the offset of the first byte of the page's drawing (its content stream's data)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        number = document.pages[0].obj.Contents.objgen[0]
    start = re.search(rb"(?<![0-9])%d 0 obj" % number, pdf).start()
    return pdf.index(b"stream", start) + len(b"stream\n")


def test_one_byte_changed_in_the_page_drawing_is_altered_and_shows_the_genuine_record(
    client, issued
):
    record, pdf = issued
    position = _page_content_offset(pdf) + 20
    edited = pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1 :]
    answer = verify_upload(client, edited).get_json()
    assert answer["status"] == "altered"
    assert answer["record"]["name"] == "Dana Kowalski"
    assert "changed after issue" in answer["reason"]


def test_an_appended_incremental_update_is_altered(client, issued):
    record, pdf = issued
    startxref = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    root = re.search(rb"/Root (\d+ \d+ R)", pdf).group(1)
    size = int(re.findall(rb"/Size (\d+)", pdf)[-1])
    text = b"BT /F1 30 Tf 72 72 Td (Present for 60 of 60 minutes) Tj ET"
    body = b"\n%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        size,
        len(text),
        text,
    )
    xref_at = len(pdf) + len(body)
    update = body + (
        b"xref\n%d 1\n%010d 00000 n \n" % (size, len(pdf) + 1)
        + b"trailer\n<< /Size %d /Root %s /Prev %d >>\n" % (size + 1, root, startxref)
        + b"startxref\n%d\n%%%%EOF\n" % xref_at
    )
    answer = verify_upload(client, pdf + update).get_json()
    assert answer["status"] == "altered"
    assert answer["record"]["code"] == record["code"]


def test_another_slips_page_under_this_slips_metadata_is_altered(client, facilitator, issued):
    record, pdf = issued
    _, (other,) = signed_session(facilitator)
    other_pdf = client.get(other["slip_url"]).data
    with pikepdf.open(io.BytesIO(pdf)) as mine, pikepdf.open(io.BytesIO(other_pdf)) as theirs:
        mine.pages[0].Contents = mine.copy_foreign(theirs.pages[0].Contents)
        resources = theirs.make_indirect(theirs.pages[0].Resources)
        mine.pages[0].Resources = mine.copy_foreign(resources)
        out = io.BytesIO()
        mine.save(out)
    answer = verify_upload(client, out.getvalue()).get_json()
    assert answer["status"] == "altered"
    assert answer["record"]["code"] == record["code"]


def test_a_revoked_slips_file_says_revoked(client, facilitator, issued):
    record, pdf = issued
    facilitator.post(f"/api/v1/records/{record['id']}/revoke", json={"reason": "duplicate"})
    answer = verify_upload(client, pdf).get_json()
    assert answer["status"] == "revoked" and answer["reason"] == "duplicate"


def plain_pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "Proof of attendance, honest")
    canvas.save()
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [plain_pdf(), b"just text, renamed to .pdf", b"", b"%PDF-1.7\n" + b"\x00" * 5000, b"%PDF-"],
    ids=["random-pdf", "not-a-pdf", "empty", "broken-pdf", "header-only"],
)
def test_files_without_a_slip_are_422(client, facilitator, data):
    response = verify_upload(client, data)
    assert response.status_code == 422
    assert "No slip could be read" in response.get_json()["error"]


def test_a_huge_upload_is_413(client):
    response = verify_upload(client, b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024))
    assert response.status_code == 413


def test_no_file_is_400(client):
    response = client.post("/api/v1/verify/pdf", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json()["field"] == "file"


def test_the_upload_page_gives_the_same_verdicts(app, client, issued):
    record, pdf = issued
    app.config["WTF_CSRF_ENABLED"] = False
    page = client.post(
        "/verify/pdf",
        data={"file": (io.BytesIO(pdf), "slip.pdf")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200 and "Valid" in page.get_data(as_text=True)
    edited = client.post(
        "/verify/pdf",
        data={"file": (io.BytesIO(pdf + b"\n%x\n"), "slip.pdf")},
        content_type="multipart/form-data",
    )
    assert "Edited after issue" in edited.get_data(as_text=True)
    junk = client.post(
        "/verify/pdf",
        data={"file": (io.BytesIO(b"junk"), "slip.pdf")},
        content_type="multipart/form-data",
    )
    assert junk.status_code == 422 and "No slip could be read" in junk.get_data(as_text=True)


def test_the_upload_form_refuses_a_post_without_csrf(app, client, issued):
    _, pdf = issued
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(
        "/verify/pdf",
        data={"file": (io.BytesIO(pdf), "slip.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
