"""An officer's whole caseload: every case with its progress, those falling behind first."""

from __future__ import annotations

from compliance.domain.case_progress import CaseStatus
from compliance.domain.slip import format_code
from compliance.domain.spreadsheet import to_csv
from compliance.models import User
from compliance.services import links
from compliance.services.cases import CaseView, cases_of, view_of

# What needs the officer's attention comes first.
ORDER = {
    CaseStatus.BEHIND: 0,
    CaseStatus.ON_TRACK: 1,
    CaseStatus.AWAITING_CONSENT: 2,
    CaseStatus.MET: 3,
    CaseStatus.WITHDRAWN: 4,
}


def caseload_of(officer: User) -> list[CaseView]:
    views = [view_of(case) for case in cases_of(officer)]
    return sorted(views, key=lambda v: (ORDER[v.status], v.case.label.casefold(), v.case.id))


def caseload_csv(officer: User) -> str:
    """Return the caseload as CSV for a case-management system (cells safe in a spreadsheet)."""
    header = ["id", "label", "status", "counted", "needed", "requirement", "starts_on",
              "ends_on", "min_minutes", "programs", "enrolment_code", "case_url"]  # fmt: skip
    rows = [
        [
            view.case.id,
            view.case.label,
            view.status.value,
            view.counted,
            view.needed,
            view.terms.requirement.describe(),
            view.terms.starts_on.isoformat(),
            view.terms.ends_on.isoformat(),
            view.terms.min_minutes,
            "; ".join(view.terms.programs),
            format_code(view.case.enrolment_code),
            links.absolute(f"/officer/cases/{view.case.id}"),
        ]
        for view in caseload_of(officer)
    ]
    return to_csv(header, rows)
