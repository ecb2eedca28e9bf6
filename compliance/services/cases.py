"""Officers' cases: creating them, what an officer may see of one, and the attendee's consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from compliance.domain.case_progress import (
    CaseRecord,
    CaseStatus,
    Progress,
    Requirement,
    Terms,
    latest_day_under_way,
    progress,
)
from compliance.domain.codes import normalize_code
from compliance.extensions import db
from compliance.models import Attendee, Case, CaseConsent, User
from compliance.models.types import utcnow
from compliance.services import audit, clock
from compliance.services.attendees import AttendeeRecord, records_of
from compliance.services.case_terms import read_new_case
from compliance.services.errors import Conflict, NotFound


def terms_of(case: Case) -> Terms:
    requirement = Requirement(case.requirement_kind, case.requirement_count, case.requirement_span)
    return Terms(requirement, case.starts_on, case.min_minutes, case.program_list)


def create_case(officer: User, body: dict) -> Case:
    """Open a case from an API body (or the dashboard form, read into the same shape)."""
    new = read_new_case(body, clock.now().date())
    terms = new.terms
    case = Case(
        officer_id=officer.id,
        label=new.label,
        requirement_kind=terms.requirement.kind,
        requirement_count=terms.requirement.count,
        requirement_span=terms.requirement.span,
        starts_on=terms.starts_on,
        min_minutes=terms.min_minutes,
        programs="\n".join(terms.programs),
    )
    db.session.add(case)
    db.session.flush()
    # The label is the officer's own reference: it stays out of the audit log too.
    audit.record_event("case.created", officer.email, f"case:{case.id}")
    db.session.commit()
    return case


def cases_of(officer: User) -> list[Case]:
    return list(
        db.session.scalars(
            sa.select(Case).where(Case.officer_id == officer.id).order_by(Case.created_at)
        )
    )


def case_for(officer: User, case_id: str) -> Case:
    """Return the officer's own case; anyone else's looks the same as none."""
    case = db.session.get(Case, case_id)
    if case is None or case.officer_id != officer.id:
        raise NotFound("No case with this id.")
    return case


# --- what an officer sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseView:
    """A case as its officer sees it now: nothing of the attendee unless they consented."""

    case: Case
    terms: Terms
    status: CaseStatus
    progress: Progress | None  # None until consent, and after withdrawal

    @property
    def counted(self) -> int:
        return self.progress.counted if self.progress else 0

    @property
    def needed(self) -> int:
        return self.terms.requirement.needed


def case_record(shown: AttendeeRecord) -> CaseRecord:
    slip = shown.slip
    return CaseRecord(
        code=slip.code,
        status=shown.status,
        day=shown.day,
        starts_at=slip.starts_at,
        ends_at=slip.ends_at,
        meeting=slip.meeting,
        program=slip.program,
        minutes=slip.present_minutes,
        name=slip.name,
    )


def today() -> date:
    """Return the day cases are judged on: the latest date still under way somewhere."""
    return latest_day_under_way(clock.now())


def progress_of(terms: Terms, attendee: Attendee) -> Progress:
    """Return progress over the page's own records (each with its standing now)."""
    return progress(terms, [case_record(r) for r in records_of(attendee)], today())


def view_of(case: Case) -> CaseView:
    terms = terms_of(case)
    consent = case.consent
    if consent is None:
        return CaseView(case, terms, CaseStatus.AWAITING_CONSENT, None)
    if consent.withdrawn_at is not None:
        return CaseView(case, terms, CaseStatus.WITHDRAWN, None)
    attendee = db.session.get(Attendee, consent.attendee_id)
    shown = progress_of(terms, attendee)
    return CaseView(case, terms, shown.status, shown)


# --- the attendee's side ----------------------------------------------------------------------


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
