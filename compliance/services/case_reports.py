"""Officers' compliance reports: a signed summary of the records that count toward a case."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from compliance.domain.cases.report import facts_of, report_claim
from compliance.domain.pdf.paper import LETTER
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.pdf import qr_fits
from compliance.domain.summaries.summary import (
    Summary,
    SummaryLine,
    names_on,
    sign_summary,
    summary_digest,
)
from compliance.extensions import db
from compliance.models import AttendanceRecord, Attendee, Case, SummaryDocument
from compliance.models.types import new_id, utcnow
from compliance.services import audit, cases, keyring, links
from compliance.services.errors import Conflict
from compliance.services.summaries import display_name, download_summary


def _unchanged(case: Case, digest: str, kid: str, claim: dict) -> SummaryDocument | None:
    """Return the last report of the case if it would say the same again (byte-identical
    downloads; a new one only when a record, the outcome or the day changed)."""
    candidates = db.session.scalars(
        sa.select(SummaryDocument)
        .where(
            SummaryDocument.case_id == case.id,
            SummaryDocument.digest == digest,
            SummaryDocument.kid == kid,
        )
        .order_by(SummaryDocument.issued_at.desc())
    )
    for document in candidates:
        if slip_token.read_claims_unverified(document.token).get("case") == claim["case"]:
            return document
    return None


def report_for(case: Case) -> SummaryDocument:
    """Return the signed report of the case as it stands; refuse without the attendee's consent."""
    view = cases.view_of(case)
    if view.progress is None:
        raise Conflict(
            "There is nothing to report: the attendee has not linked this case, or withdrew."
        )
    attendee = db.session.get(Attendee, case.consent.attendee_id)
    counted = [line.record for line in view.progress.lines if line.counts]
    tokens = dict(
        db.session.execute(
            sa.select(AttendanceRecord.code, AttendanceRecord.token).where(
                AttendanceRecord.code.in_([r.code for r in counted])
            )
        ).all()
    )
    digest = summary_digest(tokens.items())
    claim = report_claim(facts_of(view.terms, view.progress, cases.today()))
    kid, private_key = keyring.current_signer(current_app.config["KEYS_DIR"])
    existing = _unchanged(case, digest, kid, claim)
    if existing is not None:
        return existing
    summary = Summary(
        summary_id=new_id(),
        name=names_on((r.name for r in counted), display_name(attendee)),
        date_from=view.terms.starts_on,
        date_to=view.terms.ends_on,
        lines=tuple(SummaryLine(r.code, r.day, r.meeting, r.program, r.minutes, r.name)
                    for r in counted),
        issued_at=utcnow().replace(microsecond=0),
        language="en",
    )  # fmt: skip
    issuer = current_app.config["BASE_URL"]
    token = sign_summary(summary, issuer, private_key, kid, True, claim)
    if not qr_fits(links.verify_url(token)):
        token = sign_summary(summary, issuer, private_key, kid, False, claim)
    document = SummaryDocument(
        id=summary.summary_id,
        attendee_id=attendee.id,
        case_id=case.id,
        date_from=summary.date_from,
        date_to=summary.date_to,
        codes=" ".join(summary.codes),
        digest=digest,
        token=token,
        kid=kid,
        language=summary.language,
        issued_at=summary.issued_at,
    )
    db.session.add(document)
    audit.record_event("case.report_issued", None, f"case:{case.id}", {"summary": document.id})
    db.session.commit()
    return document


def report_pdf(case: Case, paper: str = LETTER) -> bytes:
    """Return the case's compliance report file, kept so that every download is the same
    bytes while nothing changed."""
    return download_summary(report_for(case), paper)
