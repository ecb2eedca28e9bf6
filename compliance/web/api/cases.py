"""Officer calls: cases, their progress, and the compliance report."""

from __future__ import annotations

from flask import Response, g, jsonify

from compliance.domain.slips.slip import format_code
from compliance.services import case_reports, caseload, cases
from compliance.services.caseload import CaseRow
from compliance.services.cases import CaseView
from compliance.web.api.answers import Case, CaseList
from compliance.web.api.auth import officer_required
from compliance.web.api.blueprint import bp
from compliance.web.api.bodies import CaseInput
from compliance.web.api.operations import Answer, documented
from compliance.web.api.reading import json_body, request_body
from compliance.web.paper import requested_paper


def case_summary_json(view: CaseView | CaseRow) -> dict:
    return {
        "id": view.case.id,
        "label": view.case.label,
        "status": view.status.value,
        "counted": view.counted,
        "needed": view.needed,
    }


def case_json(view: CaseView) -> dict:
    """The case as its officer sees it: nothing of the attendee without consent."""
    terms = view.terms
    shown = view.progress
    periods = (
        [(p.date_from, p.date_to, p.counted, p.needed) for p in shown.periods]
        if shown
        else [(start, end, 0, terms.requirement.count) for start, end in
              terms.requirement.periods(terms.starts_on)]
    )  # fmt: skip
    return {
        **case_summary_json(view),
        **terms.as_json(),
        "enrolment_code": format_code(view.case.enrolment_code),
        "periods": [
            {"from": start.isoformat(), "to": end.isoformat(), "counted": counted, "needed": needed}
            for start, end, counted, needed in periods
        ],
        "records": [
            {
                "code": format_code(line.record.code),
                "status": line.record.status,
                "date": line.record.day.isoformat(),
                "meeting": line.record.meeting,
                "program": line.record.program,
                "minutes": line.record.minutes,
                "counts": line.counts,
            }
            for line in (shown.lines if shown else ())
        ],
    }


@bp.post("/cases")
@officer_required
@documented(
    "Open a case (officers): the answer holds the enrolment code",
    {201: Answer("The case", Case)},
    refusals=(400, 422),
    body=CaseInput,
)
def create_case():
    request_body()  # refuses as the service would, naming the first field at fault
    # The service reads the terms itself: the dashboard's form gives it the same shape.
    case = cases.create_case(g.api_user, json_body())
    return jsonify(case_json(cases.view_of(case))), 201


@bp.get("/cases")
@officer_required
@documented("The officer's cases with their status", {200: Answer("The cases", CaseList)})
def list_cases():
    rows = caseload.caseload_of(g.api_user)  # behind first
    return jsonify({"cases": [case_summary_json(row) for row in rows]})


@bp.get("/cases/<case_id>")
@officer_required
@documented(
    "A case's progress: periods and the consenting page's records",
    {200: Answer("The case", Case)},
    refusals=(404,),
)
def show_case(case_id: str):
    return jsonify(case_json(cases.view_of(cases.case_for(g.api_user, case_id))))


@bp.get("/cases/<case_id>/report.pdf")
@officer_required
@documented(
    "Signed compliance report (verifies like a summary)",
    {200: Answer("The report", media="application/pdf")},
    refusals=(404, 409),
)
def case_report(case_id: str):
    case = cases.case_for(g.api_user, case_id)
    return Response(
        case_reports.report_pdf(case, requested_paper()),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="compliance-report.pdf"'},
    )
