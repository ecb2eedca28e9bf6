"""Officers' cases: creating them, and what an officer may see of one (see case_consents for
the attendee's side)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from compliance.domain.cases.progress import (
    CaseRecord,
    CaseStatus,
    Progress,
    Requirement,
    Terms,
    latest_day_under_way,
    progress,
)
from compliance.extensions import db
from compliance.models import Attendee, Case, User
from compliance.services import audit, clock
from compliance.services.attendees import AttendeeRecord, records_of
from compliance.services.case_terms import read_new_case
from compliance.services.errors import NotFound


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
