"""Slip PDFs: rendered from the signed token the first time, the stored file every time after."""

from __future__ import annotations

from compliance.domain.pdf.paper import LETTER
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.pdf import render_slip
from compliance.domain.slips.slip import Slip
from compliance.extensions import db
from compliance.models import AttendanceRecord
from compliance.services import document_signing, issued_files, links


def slip_of(record: AttendanceRecord) -> Slip:
    """Return the fields signed into a record's token (the service issued it, so it is trusted)."""
    return slip_token.slip_from_claims(slip_token.read_claims_unverified(record.token))


def slip_pdf(record: AttendanceRecord, paper: str = LETTER) -> bytes:
    """Return the slip PDF on `paper` exactly as handed out before, or as handed out now (kept;
    the caller commits)."""
    return issued_files.handed_out(record.code, paper, lambda: render_slip_file(record, paper))


def render_slip_file(record: AttendanceRecord, paper: str) -> bytes:
    """Return a fresh rendering of the record's slip on `paper`, signed (PAdES)."""
    pdf = render_slip(slip_of(record), links.verify_url(record.token), paper)
    return document_signing.sign(pdf, document_signing.reason())


def download_slip(record: AttendanceRecord, paper: str) -> bytes:
    """Return the slip file for a download, kept so that every download is the same bytes."""
    pdf = slip_pdf(record, paper)
    db.session.commit()
    return pdf


def record_for_download(link: str) -> AttendanceRecord | None:
    """Return the record a signed download link points at, or None for a bad link."""
    record_id = links.read_link(links.SLIP_DOWNLOAD, link)
    return db.session.get(AttendanceRecord, record_id) if record_id else None
