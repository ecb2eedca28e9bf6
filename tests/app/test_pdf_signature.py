"""Slips and summaries carry a PAdES signature readers show; an edit after signing is caught."""

import io
import subprocess

import pytest
from asn1crypto import x509 as asn1_x509
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import validation
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko_certvalidator import ValidationContext

from compliance.cli import verify_slip
from compliance.domain.pdf.signature import DocumentSigner, self_signed_bundle
from tests.app.journey import signed_session
from tests.app.pages import page_with
from tests.app.test_attendee import sign_day
from tests.support.pdf_tools import require_tool


def verify_upload(client, data: bytes) -> dict:
    return client.post(
        "/api/v1/verify/pdf",
        data={"file": (io.BytesIO(data), "slip.pdf")},
        content_type="multipart/form-data",
    ).get_json()


def published_roots(client) -> list:
    pem = client.get("/.well-known/document-signing.pem")
    assert pem.status_code == 200
    certificates = x509.load_pem_x509_certificates(pem.data)
    return [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in certificates
    ]


def signature_status(pdf: bytes, roots: list):
    (embedded,) = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    return embedded, validation.validate_pdf_signature(embedded, context)


@pytest.fixture
def record(facilitator):
    _, (dana,) = signed_session(facilitator)
    return dana


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_slip_is_signed_pades_and_unmodified_by_the_published_certificate(
    client, record, paper
):
    pdf = client.get(f"{record['slip_url']}?paper={paper}").data
    embedded, status = signature_status(pdf, published_roots(client))
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert status.intact and status.valid and status.trusted
    assert status.coverage == validation.SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert client.get(f"{record['slip_url']}?paper={paper}").data == pdf  # stored, not re-signed


def test_a_summary_is_signed_too(app, client, facilitator):
    records = sign_day(facilitator, "2025-03-04", [("Dana K", None)])
    pdf = client.get(f"{page_with(app, records)}/summary.pdf?from=2025-03-01&to=2025-03-31").data
    _, status = signature_status(pdf, published_roots(client))
    assert status.bottom_line


def test_the_certificate_is_made_once_and_kept(app, client, record):
    first = client.get("/.well-known/document-signing.pem").data
    assert b"PRIVATE KEY" not in first
    assert client.get("/.well-known/document-signing.pem").data == first
    (certificate, *_) = x509.load_pem_x509_certificates(first)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment


def updated_after_signing(pdf: bytes) -> bytes:
    """Return the file with an incremental update that changes nothing a reader shows."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/PageLabels"] = writer.add_object(generic.DictionaryObject())
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_incremental_update_after_signing_is_altered_even_if_nothing_shows(client, record):
    pdf = client.get(record["slip_url"]).data
    answer = verify_upload(client, updated_after_signing(pdf))
    assert answer["status"] == "altered"
    assert "after it was signed" in answer["reason"]


def test_a_copy_signed_again_by_someone_else_is_altered(client, record):
    pdf = client.get(record["slip_url"]).data
    stranger = DocumentSigner.from_pem(self_signed_bundle("Someone else"))
    resigned = stranger.sign(pdf, "mine now", field_name="Signature2")
    answer = verify_upload(client, resigned)
    assert answer["status"] == "altered"


def test_the_cli_checks_the_signature_offline_with_the_published_certificate(
    app, client, record, tmp_path
):
    pdf = client.get(record["slip_url"]).data
    (tmp_path / "jwks.json").write_bytes(client.get("/.well-known/jwks.json").data)
    (tmp_path / "cert.pem").write_bytes(client.get("/.well-known/document-signing.pem").data)
    genuine, edited = tmp_path / "slip.pdf", tmp_path / "edited.pdf"
    genuine.write_bytes(pdf)
    edited.write_bytes(updated_after_signing(pdf))
    runner = CliRunner()
    args = ["--jwks", str(tmp_path / "jwks.json"), "--certificate", str(tmp_path / "cert.pem")]
    with app.app_context():
        ok = runner.invoke(verify_slip, [str(genuine), *args])
        bad = runner.invoke(verify_slip, [str(edited), *args])
        online = runner.invoke(verify_slip, [str(edited)])
    assert ok.exit_code == 0, ok.output
    assert bad.exit_code == 1 and "ALTERED" in bad.output and "after it was signed" in bad.output
    assert online.exit_code == 1 and "ALTERED" in online.output


def test_an_independent_validator_finds_the_signature_valid_and_whole(client, record, tmp_path):
    pdfsig = require_tool("pdfsig")
    genuine, updated = tmp_path / "slip.pdf", tmp_path / "updated.pdf"
    genuine.write_bytes(client.get(record["slip_url"]).data)
    updated.write_bytes(updated_after_signing(genuine.read_bytes()))

    def report(path):
        return subprocess.run([pdfsig, str(path)], capture_output=True, text=True).stdout

    assert "Signature is Valid" in report(genuine)
    assert "Total document signed" in report(genuine)
    assert "ETSI.CAdES.detached" in report(genuine)
    assert "Total document signed" not in report(updated)


def test_signing_and_checking_work_inside_a_running_event_loop(client, record):
    # An async server, or Playwright's sync API in a test, runs a loop in the thread: pyHanko's
    # own asyncio.run() would fail there.
    import asyncio

    from compliance.domain.pdf.signature import SignatureState, signature_state

    stranger = DocumentSigner.from_pem(self_signed_bundle("Someone else"))
    pdf = client.get(record["slip_url"]).data

    async def inside_a_loop():
        signed = stranger.sign(pdf, "again", field_name="Signature2")
        return signature_state(signed, stranger.certificates)

    assert asyncio.run(inside_a_loop()) is SignatureState.INTACT
