"""`flask slips verify`: online with the database, offline with only the JWKS (and CRL)."""

import io
import json
import re

import pikepdf
import pytest
import sqlalchemy as sa

from compliance.domain.offline import revocation_id
from tests.app.journey import signed_session


@pytest.fixture
def published(client, facilitator, tmp_path):
    _, (record,) = signed_session(facilitator)
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(client.get(record["slip_url"]).data)
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(client.get("/.well-known/jwks.json").get_json()))
    return record, pdf, jwks


def run(runner, *args):
    return runner.invoke(args=["slips", "verify", *map(str, args)])


def test_online_pdf_token_and_link_are_valid(runner, published):
    record, pdf, _ = published
    for given in (pdf, record["token"], record["verify_url"]):
        result = run(runner, given)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("VALID")


def test_offline_with_the_jwks_alone(app, runner, published, tmp_path):
    record, pdf, jwks = published
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:////nonexistent/dir/db.sqlite3"
    result = run(runner, pdf, "--jwks", jwks)
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output and "Valid as of" in result.output
    assert "Dana Kowalski" in result.output


def test_offline_edited_pdf_is_altered(runner, published, tmp_path):
    _, pdf, jwks = published
    data = pdf.read_bytes()
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(data + b"\n% appended\n")
    result = run(runner, edited, "--jwks", jwks)
    assert result.exit_code == 1 and result.output.startswith("ALTERED")


def test_offline_crl_marks_revoked(client, runner, facilitator, published, tmp_path):
    record, pdf, jwks = published
    facilitator.post(f"/api/v1/records/{record['id']}/revoke", json={"reason": "duplicate"})
    kid = json.loads(jwks.read_text())["keys"][0]["kid"]
    crl = tmp_path / "crl.json"
    crl.write_text(json.dumps(client.get(f"/.well-known/crl/{kid}.json").get_json()))
    result = run(runner, record["token"], "--jwks", jwks, "--crl", crl)
    assert result.exit_code == 1 and result.output.startswith("REVOKED")
    # The published list carries no reasons: only the online check, by whoever holds the slip.
    assert "duplicate" not in result.output and "checked online" in result.output


def test_offline_with_another_services_keys_is_invalid(runner, published, tmp_path):
    record, _, _ = published
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"keys": []}))
    result = run(runner, record["token"], "--jwks", other)
    assert result.exit_code == 1 and result.output.startswith("INVALID")


@pytest.mark.parametrize("given", ["nonsense", "a.b", "https://x.example/v/"])
def test_unreadable_input_fails_with_a_message(runner, given):
    result = run(runner, given)
    assert result.exit_code != 0 and "Error" in result.output


def test_crl_counter_grows_with_each_revocation(client, facilitator, published):
    record, _, jwks = published
    kid = json.loads(jwks.read_text())["keys"][0]["kid"]
    before = client.get(f"/.well-known/crl/{kid}.json").get_json()
    facilitator.post(f"/api/v1/records/{record['id']}/revoke", json={"reason": "duplicate"})
    after = client.get(f"/.well-known/crl/{kid}.json").get_json()
    assert before["ctr"] == 0 and before["rids"] == []
    assert after["ctr"] == 1
    code = record["code"].replace("-", "")
    assert after["rids"] == [revocation_id(kid, code)]
    # Nothing in the list names the record, the person or why: only who holds the slip can
    # tell it is listed.
    published = json.dumps(after)
    assert code not in published and "duplicate" not in published
    assert client.get("/.well-known/crl/unknown-kid.json").status_code == 404


def test_offline_a_summary_whose_records_are_all_withdrawn_is_revoked(
    app, client, runner, facilitator, published, tmp_path
):
    from tests.app.pages import page_with

    record, _, jwks = published
    page = page_with(app, [record])
    summary = tmp_path / "summary.pdf"
    summary.write_bytes(client.get(f"{page}/summary.pdf?from=2025-03-01&to=2025-03-31").data)
    kid = json.loads(jwks.read_text())["keys"][0]["kid"]
    crl = tmp_path / "crl.json"
    crl.write_text(json.dumps(client.get(f"/.well-known/crl/{kid}.json").get_json()))
    before = run(runner, summary, "--jwks", jwks, "--crl", crl)
    assert before.exit_code == 0 and before.output.startswith("VALID")
    facilitator.post(f"/api/v1/records/{record['id']}/revoke", json={"reason": "duplicate"})
    crl.write_text(json.dumps(client.get(f"/.well-known/crl/{kid}.json").get_json()))
    after = run(runner, summary, "--jwks", jwks, "--crl", crl)
    assert after.exit_code == 1 and after.output.startswith("REVOKED")


@pytest.fixture
def summary_file(app, client, published, tmp_path):
    from tests.app.pages import page_with

    record, _, jwks = published
    page = page_with(app, [record])
    data = client.get(f"{page}/summary.pdf?from=2025-03-01&to=2025-03-31").data
    return data, jwks


def _offline_verdict(app, runner, tmp_path, data: bytes, jwks) -> str:
    path = tmp_path / "given.pdf"
    path.write_bytes(data)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:////nonexistent/dir/db.sqlite3"
    return run(runner, path, "--jwks", jwks).output


def _online_status(client, data: bytes) -> str:
    upload = {"file": (io.BytesIO(data), "summary.pdf")}
    answer = client.post("/api/v1/verify/pdf", data=upload, content_type="multipart/form-data")
    return answer.get_json()["status"]


def _edited_with_pikepdf(data: bytes, edit) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        edit(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_offline_a_genuine_summary_file_is_valid_and_lists_its_records(
    app, runner, summary_file, tmp_path
):
    data, jwks = summary_file
    output = _offline_verdict(app, runner, tmp_path, data, jwks)
    assert output.startswith("VALID"), output
    with pikepdf.open(io.BytesIO(data)) as pdf:
        attached = pdf.attachments["summary-records.json"].get_file().read_bytes()
    assert json.loads(attached)["summary_records"][0][4] == 58  # minutes, as printed


def _more_minutes(pdf):
    page = pdf.pages[0]
    content = page.Contents.read_bytes() if not isinstance(page.Contents, pikepdf.Array) else b""
    assert b"58" in content
    page.Contents = pdf.make_stream(content.replace(b"58", b"88"))


def _other_attachment(pdf):
    spec = pdf.attachments["summary-records.json"]
    stream = spec.obj.EF.F
    stream.write(stream.read_bytes().replace(b"58", b"88"))


@pytest.mark.parametrize("edit", [_more_minutes, _other_attachment])
def test_offline_an_edited_summary_file_is_altered_as_online(
    app, client, runner, summary_file, tmp_path, edit
):
    data, jwks = summary_file
    edited = _edited_with_pikepdf(data, edit)
    assert _online_status(client, edited) == "altered"
    output = _offline_verdict(app, runner, tmp_path, edited, jwks)
    assert output.startswith("ALTERED"), output


def test_offline_a_summary_file_with_an_appended_page_is_altered(
    app, runner, summary_file, tmp_path
):
    data, jwks = summary_file
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    update = b"\n%% appended\nstartxref\n%d\n%%%%EOF\n" % startxref
    output = _offline_verdict(app, runner, tmp_path, data + update, jwks)
    assert output.startswith("ALTERED"), output


def test_a_summary_signed_before_records_travelled_with_it_is_checked_online_only(
    app, client, runner, summary_file, tmp_path
):
    from compliance.domain.slips import token as slip_token
    from compliance.domain.summaries.summary import summary_digest
    from compliance.extensions import db
    from compliance.models import AttendanceRecord, IssuedFile, SummaryDocument
    from compliance.services import keyring, summaries

    _, jwks = summary_file
    with app.app_context():  # sign it as summaries were signed before: `dig`, no `ld`
        document = db.session.scalars(sa.select(SummaryDocument)).one()
        records = db.session.scalars(
            sa.select(AttendanceRecord).where(AttendanceRecord.code.in_(document.code_list))
        )
        claims = slip_token.read_claims_unverified(document.token)
        del claims["ld"]
        claims["dig"] = summary_digest((r.code, r.token) for r in records)
        kid, key = keyring.current_signer(app.config["KEYS_DIR"])
        document.token = slip_token.sign(claims, key, kid, slip_token.SUMMARY_TYP)
        db.session.commit()
        # Files from before were never kept (issued_files is newer than them too).
        db.session.execute(sa.delete(IssuedFile).where(IssuedFile.subject == document.id))
        db.session.commit()
        old_file = summaries.render_summary_file(document, "letter")
    assert b"summary-records.json" not in old_file
    assert _online_status(client, old_file) == "valid"
    output = _offline_verdict(app, runner, tmp_path, old_file, jwks)
    assert output.startswith("INVALID") and "only online" in output


def test_offline_a_summary_copy_without_its_records_is_checked_only_online(
    app, runner, summary_file, tmp_path
):
    data, jwks = summary_file
    stripped = _edited_with_pikepdf(data, lambda pdf: pdf.attachments.clear())
    output = _offline_verdict(app, runner, tmp_path, stripped, jwks)
    assert output.startswith("INVALID") and "only online" in output
