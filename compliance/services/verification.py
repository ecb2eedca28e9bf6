"""Turning a token or a typed code into a verdict an officer can rely on."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app

from compliance.domain import issued_copy
from compliance.domain.codes import normalize_code
from compliance.domain.pdf import signature
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.input import token_in_pdf
from compliance.domain.slips.pdf import render_slip
from compliance.domain.slips.token import TokenError, TokenProblem
from compliance.domain.summaries.summary import carries_other_records
from compliance.domain.verdict import Status, Verdict, standing_of
from compliance.extensions import db
from compliance.models import AttendanceRecord
from compliance.services import document_signing, issued_files, keyring, links, summaries
from compliance.services.errors import Unprocessable
from compliance.storage.driver_select import DriverSelect

_RECORDS = AttendanceRecord.__table__
_RECORD_BY_CODE = DriverSelect(
    sa.select(_RECORDS.c.token, _RECORDS.c.revoked_at, _RECORDS.c.revoked_reason).where(
        _RECORDS.c.code == sa.bindparam("code")
    )
)


class _Record(NamedTuple):
    token: str
    revoked_at: datetime | None
    revoked_reason: str | None


def _record_by_code(code: str) -> _Record | None:
    """Return what verifying needs of the record with this code, or None."""
    # Verify needs no unit of work: one read on a pooled connection, outside the ORM session.
    row = _RECORD_BY_CODE.first(db.engine, code=code)
    return None if row is None else _Record(*row)


def _verified(token: str, keys: dict[str, keyring.VerificationKey]) -> slip_token.VerifiedToken:
    trusted = {kid: key.trusted for kid, key in keys.items()}
    return slip_token.verify(token, trusted, current_app.config["BASE_URL"])


def verify_token(token: str) -> Verdict:
    """Check a slip token's signature, then what the service knows about its record."""
    return _verify_token(token)


def _verify_token(token: str, looked_up: tuple[str, _Record] | None = None) -> Verdict:
    """verify_token, given the record row already read for a code (verify_code)."""
    keys = keyring.verification_keys()
    try:
        try:
            verified = _verified(token, keys)
        except TokenError as error:
            if error.problem is not TokenProblem.UNKNOWN_KEY:
                raise
            keys = keyring.verification_keys(refresh=True)  # a key added elsewhere just now?
            verified = _verified(token, keys)
        if verified.typ == slip_token.SUMMARY_TYP:
            return summaries.verify_summary(verified, token, keys)
        slip = slip_token.slip_from_claims(verified.claims)
    except TokenError as error:
        return Verdict(Status.INVALID, reason=str(error).capitalize() + ".")
    if looked_up is not None and looked_up[0] == slip.code:
        record = looked_up[1]
    else:
        record = _record_by_code(slip.code)
    if record is None:
        return Verdict(Status.NOT_FOUND, reason="This service has no record with this code.")
    if record.token != token:
        return Verdict(Status.INVALID, reason="This is not the slip issued under this code.")
    standing = standing_of(keys[verified.kid], record)
    return Verdict(standing.status, slip, verified.kid, standing.reason, standing.since)


def verify_code(text: str) -> Verdict:
    """Look a typed short code up and verify the slip it was issued with."""
    code = normalize_code(text)
    record = _record_by_code(code) if code is not None else None
    if record is None:
        return Verdict(Status.NOT_FOUND, reason="No slip with this code was issued here.")
    return _verify_token(record.token, looked_up=(code, record))


def verify_code_or_token(text: str) -> Verdict:
    """Verify whatever was given: a token has dots, a code does not."""
    return verify_token(text) if "." in text else verify_code(text)


def verify_pdf(data: bytes) -> Verdict:
    """Verify the slip or summary a PDF carries, and whether the file is the one issued."""
    token = token_in_pdf(data)
    if token is None:
        raise Unprocessable(
            "No slip could be read from this file: it is not a PDF issued by this service. "
            "Type the code printed on the slip instead."
        )
    verdict = verify_token(token)
    if verdict.status is not Status.VALID:
        return verdict
    return check_uploaded_file(verdict, token, data)


def check_uploaded_file(verdict: Verdict, token: str, data: bytes) -> Verdict:
    """Return the verdict for the file itself: valid if it is a file handed out for this token
    (by its SHA-256, whatever the renderer does today), valid with a note if its pages look
    exactly like the issued file's on the same paper, altered otherwise.

    The file to compare with comes from this service's own records and token (its own origin,
    never the upload's), so nothing in the upload but its look is trusted.
    """
    claims = slip_token.read_claims_unverified(token)
    subject = str(claims.get("jti", ""))
    if issued_files.was_handed_out(subject, data):
        return verdict
    if verdict.summary is not None and carries_other_records(claims, data):
        return issued_copy.altered(verdict)  # what a machine reading the file would be told
    state = signature.signature_state(data, document_signing.trusted_certificates())
    edited, intact = issued_copy.signature_says(state, signer_known=True)
    if edited is not None:
        return issued_copy.altered(verdict, edited)
    return issued_copy.compare_with_issued(
        verdict,
        data,
        lambda paper: _issued_file(verdict, token, subject, paper),
        signed_intact=intact,
    )


def _issued_file(verdict: Verdict, token: str, subject: str, paper: str) -> bytes:
    """Return the file handed out for `subject` on `paper`, or the file as issued today."""
    stored = issued_files.stored_file(subject, paper)
    if stored is not None:
        return stored
    # Unsigned: a signature adds nothing a reader sees, and the pages are what is compared.
    if verdict.summary is not None:
        document = summaries.document_for_token(token)
        return summaries.render_summary_file(document, paper, signed=False)
    return render_slip(verdict.slip, links.verify_url(token), paper)
