"""The attendee's side of a case: consent by the officer's code, what they see, withdrawal."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from compliance.domain.cases.progress import Progress, Terms, progress
from compliance.domain.codes import normalize_code
from compliance.extensions import db
from compliance.models import Attendee, Case, CaseConsent, User
from compliance.models.types import utcnow
from compliance.services import audit
from compliance.services.attendees import records_of
from compliance.services.cases import case_record, terms_of, today
from compliance.services.errors import Conflict, NotFound


class WrongEnrolmentCode(Exception):
    """No case has this code (or it was used already): nothing was linked."""


def link_case(attendee: Attendee, typed: str) -> Case:
    """Link the page to the case whose enrolment code was typed: the attendee's consent."""
    code = normalize_code(typed or "")
    case = db.session.scalar(sa.select(Case).where(Case.enrolment_code == code)) if code else None
    if case is None:
        raise WrongEnrolmentCode()
    if case.consent is not None:
        if case.consent.attendee_id == attendee.id and case.consent.withdrawn_at is None:
            raise Conflict("This page is linked to that case already.")
        raise WrongEnrolmentCode()  # used: a code links once, and only one page
    db.session.add(CaseConsent(case_id=case.id, attendee_id=attendee.id, linked_at=utcnow()))
    audit.record_event("case.linked", f"attendee:{attendee.id}", f"case:{case.id}")
    try:
        db.session.commit()
    except IntegrityError:  # another page linked the same code at the same moment
        db.session.rollback()
        raise WrongEnrolmentCode() from None
    return case


def withdraw_consent(attendee: Attendee, consent_id: str) -> None:
    """Stop the officer seeing anything of this page for that case. Cannot be undone."""
    consent = db.session.get(CaseConsent, consent_id)
    if consent is None or consent.attendee_id != attendee.id:
        raise NotFound("No such case on this page.")
    if consent.withdrawn_at is None:
        consent.withdrawn_at = utcnow()
        audit.record_event("case.withdrawn", f"attendee:{attendee.id}", f"case:{consent.case_id}")
    db.session.commit()


@dataclass(frozen=True)
class SharedCase:
    """A case as its attendee sees it: the officer's name, the period, progress. Never the label."""

    consent: CaseConsent
    officer_name: str
    terms: Terms
    progress: Progress | None  # None once withdrawn


def consents_of(attendee: Attendee) -> list[SharedCase]:
    """Return every case the page was linked to, live ones first, newest first."""
    rows = db.session.execute(
        sa.select(CaseConsent, Case, User.display_name)
        .join(Case, CaseConsent.case_id == Case.id)
        .join(User, Case.officer_id == User.id)
        .where(CaseConsent.attendee_id == attendee.id)
        .order_by(CaseConsent.linked_at.desc())
    ).all()
    records = [case_record(r) for r in records_of(attendee)] if rows else []
    shared = []
    for consent, case, officer_name in rows:
        terms = terms_of(case)
        live = consent.withdrawn_at is None
        shown = progress(terms, records, today()) if live else None
        shared.append(SharedCase(consent, officer_name, terms, shown))
    return sorted(shared, key=lambda s: s.consent.withdrawn_at is not None)
