"""An officer's compliance report: a signed summary of the records that count toward a case.

The report is a summary (same token type, digest and verification) listing only the counted
records, with the case's terms and outcome signed in one more claim. Everything it prints
comes from that claim and the listed slips, so the PDF is re-created byte for byte to check
an upload. The officer's label for the case is never part of it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from compliance.domain.cases.progress import Progress, Requirement, Terms
from compliance.domain.summaries.labels import ENGLISH_SUMMARY, SummaryLabels

REPORT_CLAIM = "case"


@dataclass(frozen=True)
class ReportFacts:
    """The case's terms and where it stood when the report was signed."""

    terms: Terms
    status: str
    counted: int  # meetings toward the need (a week's extras do not make up for another week)
    needed: int
    as_of: date

    @property
    def met(self) -> bool:
        return self.status == "met"


def facts_of(terms: Terms, shown: Progress, as_of: date) -> ReportFacts:
    return ReportFacts(terms, shown.status.value, shown.credited, shown.needed, as_of)


def report_claim(facts: ReportFacts) -> dict:
    """Return the claim signed into a report's token beside the summary's."""
    terms = facts.terms
    return {
        REPORT_CLAIM: {
            "req": terms.requirement.as_dict(),
            "start": terms.starts_on.isoformat(),
            "min": terms.min_minutes,
            "prog": list(terms.programs),
            "st": facts.status,
            "cnt": facts.counted,
            "need": facts.needed,
            "asof": facts.as_of.isoformat(),
        }
    }


def facts_from_claims(claims: Mapping) -> ReportFacts | None:
    """Return the facts a signed report states, or None for a plain summary's claims."""
    case = claims.get(REPORT_CLAIM)
    if not isinstance(case, dict):
        return None
    requirement = case["req"]
    if "meetings" in requirement:
        kind = Requirement("meetings", requirement["meetings"], requirement["days"])
    else:
        kind = Requirement("per_week", requirement["per_week"], requirement["weeks"])
    terms = Terms(kind, date.fromisoformat(case["start"]), case["min"], tuple(case["prog"]))
    return ReportFacts(
        terms, case["st"], case["cnt"], case["need"], date.fromisoformat(case["asof"])
    )


def report_answer(claims: Mapping) -> dict | None:
    """Return what verifying a report adds to its summary (report_json), None for a summary."""
    facts = facts_from_claims(claims)
    return None if facts is None else report_json(facts)


def report_json(facts: ReportFacts) -> dict:
    """What verifying a report adds to the summary's answer."""
    return {
        **facts.terms.as_json(),
        "status": facts.status,
        "met": facts.met,
        "counted": facts.counted,
        "needed": facts.needed,
        "as_of": facts.as_of.isoformat(),
    }


REPORT_LABELS = dataclasses.replace(
    ENGLISH_SUMMARY,
    document_title="Compliance report",
    subtitle="Court-ordered attendance at online mutual-help meetings",
    attendance="Counted",
    scan_instructions=(
        "Scan the QR code with a phone camera to see the live status of every record this "
        "report counts. Records revoked after the report was issued are flagged there."
    ),
    empty="No meeting counts toward this requirement yet.",
    empty_detail="No meeting from {start} to {end} counts toward this requirement.",
    footer=(
        "This report is proof of attendance only if the verification page says VALID. "
        "The printed text alone proves nothing."
    ),
)

_OUTCOME = {
    "met": "MET",
    "on_track": "NOT MET YET - on track",
    "behind": "NOT MET - behind",
}


def report_labels() -> SummaryLabels:
    """Reports are read by courts and officers: English."""
    return REPORT_LABELS


def report_layout(claims: Mapping) -> dict:
    """Return how render_summary draws a document with these claims: a report's labels and
    rows, or nothing for a plain summary (online and offline checks re-create the same file)."""
    facts = facts_from_claims(claims)
    if facts is None:
        return {}
    return {"labels": report_labels(), "extra_details": report_details(facts)}


def report_details(facts: ReportFacts) -> tuple[tuple[str, str], ...]:
    """Return the rows the report adds under the period: requirement, result."""
    terms = facts.terms
    requirement = terms.requirement.describe()
    if terms.min_minutes:
        requirement += f"; at least {terms.min_minutes} minutes each"
    if terms.programs:
        requirement += "; programs: " + ", ".join(terms.programs)
    outcome = _OUTCOME.get(facts.status, facts.status)
    result = (
        f"{outcome}: {facts.counted} of {facts.needed} meetings counted "
        f"as of {facts.as_of.isoformat()}"
    )
    return (("Requirement", requirement), ("Result", result))
