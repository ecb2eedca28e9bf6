"""An officer's whole caseload: every case with its progress, those falling behind first.

A thousand cases of two hundred records each are too many slips to read on every visit, so
each case keeps the meetings counted in each of its periods with a digest of everything that
decides them: the terms, the consent, and an aggregate of the page's records (how many, how
many revoked, the latest issued and revoked, total minutes) with the revoked keys. One grouped
query, answered from an index, gives every page's aggregate; only cases whose digest changed
are recomputed from their slips. The status follows from the stored counts and today's date.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from compliance.domain.cases.progress import CaseStatus, Period, Terms, status_of
from compliance.domain.slips.slip import format_code
from compliance.domain.spreadsheet import to_csv
from compliance.extensions import db
from compliance.models import AttendanceRecord, Attendee, Case, CaseConsent, User
from compliance.models.accounts import Role
from compliance.services import keyring, links
from compliance.services.cases import cases_of, progress_of, terms_of, today
from compliance.services.progress import SILENT, Progress

# What needs the officer's attention comes first.
ORDER = {
    CaseStatus.BEHIND: 0,
    CaseStatus.ON_TRACK: 1,
    CaseStatus.AWAITING_CONSENT: 2,
    CaseStatus.MET: 3,
    CaseStatus.WITHDRAWN: 4,
}


@dataclass(frozen=True)
class CaseRow:
    """One line of the caseload; `status` None while its progress is still being computed."""

    case: Case
    terms: Terms
    status: CaseStatus | None
    counted: int  # records that count
    credited: int  # toward the need (a week's extras do not make up for another week)

    @property
    def needed(self) -> int:
        return self.terms.requirement.needed


def _record_aggregates(attendee_ids: list[str]) -> dict[str, tuple]:
    """Return, per page, an aggregate that changes whenever its records or their standing do:
    a record issued, revoked, or joining or leaving the page (counts and minutes move)."""
    if not attendee_ids:
        return {}
    r = AttendanceRecord
    rows = db.session.execute(
        sa.select(
            r.attendee_id,
            sa.func.count(),
            sa.func.count(r.revoked_at),
            sa.func.max(r.created_at),
            sa.func.max(r.revoked_at),
            sa.func.sum(r.present_minutes),
        )
        .where(r.attendee_id.in_(attendee_ids))
        .group_by(r.attendee_id)
    )
    return {row[0]: tuple(str(value) for value in row[1:]) for row in rows}


def _digest(case: Case, consent: CaseConsent, records: tuple, revoked: str) -> str:
    terms = (case.requirement_kind, case.requirement_count, case.requirement_span,
             case.starts_on, case.min_minutes, case.programs)  # fmt: skip
    parts = (terms, consent.id, records, revoked)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _refreshed(case: Case, terms: Terms, consent: CaseConsent, key: str) -> None:
    """Recompute a case's stored counts from the page's slips."""
    shown = progress_of(terms, db.session.get(Attendee, consent.attendee_id))
    case.progress_key = key
    case.progress_periods = ",".join(str(period.counted) for period in shown.periods)


def _row(case: Case, terms: Terms, day: date) -> CaseRow:
    """Return the case's line from its stored counts, with its status on `day`."""
    counts = [int(n) for n in case.progress_periods.split(",")]
    needed = terms.requirement.count
    periods = [
        Period(start, end, counted, needed)
        for (start, end), counted in zip(terms.requirement.periods(terms.starts_on), counts,
                                         strict=True)
    ]  # fmt: skip
    credited = sum(min(counted, needed) for counted in counts)
    return CaseRow(case, terms, status_of(periods, day), sum(counts), credited)


def caseload_of(officer: User, time_budget: float | None = None) -> list[CaseRow]:
    """Return the officer's cases with their progress now, behind first.

    With `time_budget` (seconds), cases still stale when it is spent are returned with no
    status rather than a stale one: a page answers in time even when every case must be
    computed afresh (the first visit after an upgrade or a key revocation), and the next
    visit carries on. The rows come first, so that nobody overlooks them.
    """
    started = time.monotonic()
    cases = cases_of(officer)
    consents = {
        consent.case_id: consent
        for consent in db.session.scalars(
            sa.select(CaseConsent).where(CaseConsent.case_id.in_([c.id for c in cases]))
        )
    }
    live = {case_id: c for case_id, c in consents.items() if c.withdrawn_at is None}
    aggregates = _record_aggregates(sorted({c.attendee_id for c in live.values()}))
    day = today()
    revoked = repr(sorted(kid for kid, key in keyring.verification_keys().items() if key.revoked))
    rows, changed = [], False
    for case in cases:
        terms = terms_of(case)
        consent = consents.get(case.id)
        if consent is None or consent.withdrawn_at is not None:
            status = CaseStatus.WITHDRAWN if consent else CaseStatus.AWAITING_CONSENT
            rows.append(CaseRow(case, terms, status, 0, 0))
            continue
        key = _digest(case, consent, aggregates.get(consent.attendee_id, ()), revoked)
        if case.progress_key != key:
            if time_budget is not None and time.monotonic() - started > time_budget:
                rows.append(CaseRow(case, terms, None, 0, 0))
                continue
            _refreshed(case, terms, consent, key)
            changed = True
        rows.append(_row(case, terms, day))
    if changed:
        db.session.commit()  # only the stored copies of progress: nothing anyone sees changes
    return sorted(rows, key=_attention_first)


def officers() -> list[User]:
    """Return every active officer."""
    query = sa.select(User).where(User.role == Role.OFFICER, User.active).order_by(User.email)
    return list(db.session.scalars(query))


def refresh_every_caseload(progress: Progress = SILENT) -> tuple[int, int]:
    """Bring every officer's caseload up to date now, so that no first visit waits (after an
    upgrade or a key revocation); return how many cases of how many officers."""
    everyone = officers()
    progress.begin("Computing caseloads", len(everyone))
    cases = 0
    for officer in everyone:
        cases += len(caseload_of(officer))
        progress.advance()
    return cases, len(everyone)


def _attention_first(row: CaseRow) -> tuple:
    rank = -1 if row.status is None else ORDER[row.status]
    return (rank, row.case.label.casefold(), row.case.id)


def caseload_csv(officer: User) -> str:
    """Return the caseload as CSV for a case-management system (cells safe in a spreadsheet)."""
    header = ["id", "label", "status", "counted", "needed", "requirement", "starts_on",
              "ends_on", "min_minutes", "programs", "enrolment_code", "case_url"]  # fmt: skip
    rows = [
        [
            row.case.id,
            row.case.label,
            row.status.value,
            row.counted,
            row.needed,
            row.terms.requirement.describe(),
            row.terms.starts_on.isoformat(),
            row.terms.ends_on.isoformat(),
            row.terms.min_minutes,
            "; ".join(row.terms.programs),
            format_code(row.case.enrolment_code),
            links.absolute(f"/officer/cases/{row.case.id}"),
        ]
        for row in caseload_of(officer)
    ]
    return to_csv(header, rows)
