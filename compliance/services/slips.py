"""Slip PDFs, re-created from the signed token on every download (byte-identical each time)."""

from __future__ import annotations

from compliance.domain import slip_token
from compliance.domain.slip import Slip
from compliance.domain.slip_pdf import render_slip
from compliance.extensions import db
from compliance.models import AttendanceRecord
from compliance.services import links


def slip_of(record: AttendanceRecord) -> Slip:
    """Return the fields signed into a record's token (the service issued it, so it is trusted)."""
    return slip_token.slip_from_claims(slip_token.read_claims_unverified(record.token))


def slip_pdf(record: AttendanceRecord) -> bytes:
    """Return the slip PDF exactly as issued."""
    return render_slip(slip_of(record), links.verify_url(record.token))


def record_for_download(link: str) -> AttendanceRecord | None:
    """Return the record a signed download link points at, or None for a bad link."""
    record_id = links.read_link(links.SLIP_DOWNLOAD, link)
    return db.session.get(AttendanceRecord, record_id) if record_id else None
