"""Signed summaries over a period: made on request, re-created byte-identical, verified live."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from compliance.domain.cases.report import report_answer, report_layout
from compliance.domain.pdf.paper import LETTER
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.pdf import qr_fits
from compliance.domain.spreadsheet import to_csv
from compliance.domain.summaries.summary import (
    Summary,
    SummaryLine,
    distinct_meetings,
    names_on,
    records_attachment,
    records_digest,
    sign_summary,
    summary_digest,
)
from compliance.domain.verdict import (
    ListedRecord,
    Status,
    SummaryStanding,
    Verdict,
    standing_of,
)
from compliance.extensions import db
from compliance.models import AttendanceRecord, Attendee, SummaryDocument
from compliance.models.types import new_id, utcnow
from compliance.services import document_signing, issued_files, keyring, links
from compliance.services.attendees import AttendeeRecord, records_between
from compliance.services.errors import TooMany
from compliance.services.slips import slip_of


def display_name(attendee: Attendee) -> str:
    return attendee.slip_name or attendee.name


def _line(shown: AttendeeRecord) -> SummaryLine:
    slip = shown.slip
    return SummaryLine(
        slip.code, shown.day, slip.meeting, slip.program, slip.present_minutes, slip.name
    )


def _existing(attendee: Attendee, date_from: date, date_to: date, digest: str, kid: str):
    return db.session.scalar(
        sa.select(SummaryDocument).where(
            SummaryDocument.attendee_id == attendee.id,
            SummaryDocument.date_from == date_from,
            SummaryDocument.date_to == date_to,
            SummaryDocument.digest == digest,
            SummaryDocument.kid == kid,
            SummaryDocument.language == attendee.language,
            SummaryDocument.case_id.is_(None),
        )
    )


NEW_SUMMARIES_PER_DAY = 20


def _require_room_for_a_new_summary(attendee: Attendee) -> None:
    """Bound the summaries a page can have signed in a day: each is a signature and a stored
    row, and whoever holds a page link could otherwise ask for one per date range, forever.
    The same range again re-uses its summary and costs nothing."""
    since = utcnow() - timedelta(days=1)
    made = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SummaryDocument)
        .where(
            SummaryDocument.attendee_id == attendee.id,
            SummaryDocument.issued_at >= since,
            SummaryDocument.case_id.is_(None),  # an officer's reports cost the page nothing
        )
    )
    if made >= NEW_SUMMARIES_PER_DAY:
        raise TooMany(
            f"This page has made {NEW_SUMMARIES_PER_DAY} new summaries in the last day. "
            "Summaries already made still download; try a new period tomorrow."
        )


def summary_for(
    attendee: Attendee, date_from: date, date_to: date, *, bounded: bool = True
) -> SummaryDocument:
    """Return the signed summary of the range, re-using the last one while nothing changed."""
    shown = records_between(attendee, date_from, date_to)
    digest = summary_digest((r.record.code, r.record.token) for r in shown)
    kid, private_key = keyring.current_signer(current_app.config["KEYS_DIR"])
    existing = _existing(attendee, date_from, date_to, digest, kid)
    if existing is not None:
        return existing
    if bounded:  # an operator re-signing after a key rotation is not bounded
        _require_room_for_a_new_summary(attendee)
    summary = Summary(
        summary_id=new_id(),
        # The names on the slips it lists, never the page's current name.
        name=names_on((r.slip.name for r in shown), display_name(attendee)),
        date_from=date_from,
        date_to=date_to,
        lines=tuple(_line(r) for r in shown),
        issued_at=utcnow().replace(microsecond=0),
        language=attendee.language,
    )
    issuer = current_app.config["BASE_URL"]
    token = sign_summary(summary, issuer, private_key, kid, with_codes=True)
    if not qr_fits(links.verify_url(token)):
        token = sign_summary(summary, issuer, private_key, kid, with_codes=False)
    document = SummaryDocument(
        id=summary.summary_id,
        attendee_id=attendee.id,
        date_from=date_from,
        date_to=date_to,
        codes=" ".join(summary.codes),
        digest=digest,
        token=token,
        kid=kid,
        language=summary.language,
        issued_at=summary.issued_at,
    )
    db.session.add(document)
    db.session.commit()
    return document


def _records_by_code(codes: list[str]) -> dict[str, AttendanceRecord]:
    if not codes:
        return {}
    rows = db.session.scalars(sa.select(AttendanceRecord).where(AttendanceRecord.code.in_(codes)))
    return {row.code: row for row in rows}


def summary_of(
    document: SummaryDocument, records: dict[str, AttendanceRecord] | None = None
) -> Summary:
    """Return the summary a stored document signed, lines in their signed order (from
    `records` by code, when already read)."""
    if records is None:
        records = _records_by_code(document.code_list)
    claims = slip_token.read_claims_unverified(document.token)
    lines = []
    for code in document.code_list:
        slip = slip_of(records[code])
        lines.append(
            SummaryLine(
                code,
                slip.local_start.date(),
                slip.meeting,
                slip.program,
                slip.present_minutes,
                slip.name,
            )
        )
    return Summary(
        summary_id=document.id,
        name=claims["name"],
        date_from=document.date_from,
        date_to=document.date_to,
        lines=tuple(lines),
        issued_at=document.issued_at,
        language=document.language,
        carries_records="ld" in claims,
    )


def document_for_token(token: str) -> SummaryDocument:
    """Return the stored summary a verified summary token names."""
    claims = slip_token.read_claims_unverified(token)
    return db.session.get(SummaryDocument, str(claims.get("jti", "")))


def summary_pdf(document: SummaryDocument, paper: str = LETTER) -> bytes:
    """Return the summary's (or compliance report's) PDF on `paper` as handed out before, or as
    handed out now (kept; the caller commits)."""
    return issued_files.handed_out(document.id, paper, lambda: render_summary_file(document, paper))


def render_summary_file(document: SummaryDocument, paper: str, signed: bool = True) -> bytes:
    """Return a fresh rendering of the summary on `paper`, signed (PAdES) unless told."""
    from compliance.domain.summaries.pdf import render_summary

    layout = report_layout(slip_token.read_claims_unverified(document.token))
    url = links.verify_url(document.token)
    pdf = render_summary(summary_of(document), url, paper=paper, **layout)
    return document_signing.sign(pdf, document_signing.reason()) if signed else pdf


def download_summary(document: SummaryDocument, paper: str) -> bytes:
    """Return the summary file for a download, kept so that every download is the same bytes."""
    pdf = summary_pdf(document, paper)
    db.session.commit()
    return pdf


def summary_csv(attendee: Attendee, date_from: date, date_to: date) -> str:
    """Return the same summary as CSV, one row per record, safe to open in a spreadsheet."""
    document = summary_for(attendee, date_from, date_to)
    summary = summary_of(document)
    header = ["name", "from", "to", "date", "meeting", "program", "minutes", "code", "verify"]
    rows = [
        [
            line.name,
            summary.date_from.isoformat(),
            summary.date_to.isoformat(),
            line.day.isoformat(),
            line.meeting,
            line.program,
            line.minutes,
            line.code,
            links.absolute(f"/verify?code={line.code}"),
        ]
        for line in summary.lines
    ]
    return to_csv(header, rows)


def _lists_what_was_signed(
    summary: Summary, records: dict[str, AttendanceRecord], claims: dict
) -> bool:
    """Whether the records as stored now are the ones the summary signed."""
    if "ld" in claims:
        return records_digest(records_attachment(summary)) == claims["ld"]
    return summary_digest((code, r.token) for code, r in records.items()) == claims.get("dig")


def verify_summary(verified: slip_token.VerifiedToken, token: str, keys: dict) -> Verdict:
    """Check a summary token against what was stored, then each record's standing now."""
    document = db.session.get(SummaryDocument, str(verified.claims.get("jti", "")))
    if document is None:
        return Verdict(Status.NOT_FOUND, reason="This service has no summary with this id.")
    if document.token != token:
        return Verdict(Status.INVALID, reason="This is not the summary issued under this id.")
    records = _records_by_code(document.code_list)
    if len(records) != len(document.code_list):
        return Verdict(Status.INVALID, reason="The records this summary lists have changed.")
    summary = summary_of(document, records)
    if not _lists_what_was_signed(summary, records, verified.claims):
        return Verdict(Status.INVALID, reason="The records this summary lists have changed.")
    key = keys[verified.kid]
    if key.revoked:
        return Verdict(Status.KEY_REVOKED, kid=key.kid, reason=key.revoked_reason)
    shown = _standing_now(summary, records, keys, verified.claims)
    if shown.proves_nothing_now:
        return Verdict(
            Status.REVOKED,
            kid=key.kid,
            reason="Every record this summary lists has been withdrawn since it was made: "
            "it proves no attendance now.",
            summary=shown,
        )
    return Verdict(Status.VALID, kid=key.kid, summary=shown)


def _standing_now(
    summary: Summary, records: dict[str, AttendanceRecord], keys: dict, claims: dict
) -> SummaryStanding:
    """Return the summary with each record's standing now, and what still counts."""
    listed, still_valid = [], []
    for line in summary.lines:
        record = records[line.code]  # every listed record was read (checked by the caller)
        standing = standing_of(keys.get(record.kid), record)
        listed.append(ListedRecord(line, standing))
        if standing.counts:
            slip = slip_of(record)
            still_valid.append((slip.starts_at, slip.ends_at, line.minutes))
    meetings, minutes = distinct_meetings(still_valid)
    return SummaryStanding(
        name=summary.name,
        date_from=summary.date_from,
        date_to=summary.date_to,
        issued_at=summary.issued_at,
        listed=len(summary.lines),
        listed_minutes=summary.total_minutes,
        codes=tuple(summary.codes),
        revoked_codes=tuple(e.line.code for e in listed if not e.standing.counts),
        records=tuple(listed),
        meetings=meetings,
        total_minutes=minutes,
        report=report_answer(claims),
    )
