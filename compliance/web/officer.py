"""Officers' pages: the caseload dashboard, one case with its weekly chart, reports, CSV."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from compliance.domain.cases.chart import week_chart
from compliance.models.accounts import Role
from compliance.services import case_notices, case_reports, caseload, cases
from compliance.services.errors import ServiceError
from compliance.web.auth import require_role
from compliance.web.paper import requested_paper

bp = Blueprint("officer", __name__, url_prefix="/officer")
bp.before_request(require_role(Role.OFFICER))


class NewCaseForm(FlaskForm):
    """The API's body as a form; the service checks every field and names the one at fault."""

    label = StringField("Your reference (e.g. docket number)")
    kind = SelectField(
        "Requirement",
        choices=[
            SelectChoice("meetings", "meetings within a number of days"),
            SelectChoice("per_week", "meetings a week, for a number of weeks"),
        ],
    )
    count = IntegerField("Meetings", validators=[Optional()])
    span = IntegerField("Days (or weeks)", validators=[Optional()])
    starts_on = DateField("Starts on", validators=[Optional()])
    min_minutes = IntegerField("At least minutes each (optional)", validators=[Optional()])
    programs = StringField("Only these programs (optional, comma-separated)")

    def as_body(self) -> dict:
        """Return what the form says in the shape POST /api/v1/cases takes."""
        count_key, span_key = ("meetings", "days") if self.kind.data == "meetings" else (
            "per_week", "weeks")  # fmt: skip
        programs = [p.strip() for p in (self.programs.data or "").split(",") if p.strip()]
        return {
            "label": self.label.data or None,
            "requirement": {count_key: self.count.data, span_key: self.span.data},
            "starts_on": self.starts_on.data.isoformat() if self.starts_on.data else None,
            "min_minutes": self.min_minutes.data,
            "programs": programs or None,
        }


# Which form field a refusal of the service is about.
FORM_FIELD = {
    "label": "label",
    "requirement": "kind",
    "requirement.meetings": "count",
    "requirement.per_week": "count",
    "requirement.days": "span",
    "requirement.weeks": "span",
    "starts_on": "starts_on",
    "min_minutes": "min_minutes",
    "programs": "programs",
}


# A page must answer well inside the workers' 30 s limit, whatever is left to compute.
DASHBOARD_COMPUTE_SECONDS = 5.0


def _dashboard(form: NewCaseForm, status: int = 200):
    rows = caseload.caseload_of(current_user, time_budget=DASHBOARD_COMPUTE_SECONDS)
    return render_template("officer/dashboard.html", rows=rows, form=form), status


@bp.get("/")
def dashboard():
    return _dashboard(NewCaseForm(formdata=None, kind="per_week"))


@bp.post("/cases")
def new_case():
    form = NewCaseForm()
    if not form.validate_on_submit():
        return _dashboard(form, 400)
    try:
        case = cases.create_case(current_user, form.as_body())
    except ServiceError as error:
        named = error.details.get("part") or error.details.get("field")
        field = getattr(form, FORM_FIELD.get(named, "label"))
        field.errors = [*field.errors, error.message]
        return _dashboard(form, 422)
    return redirect(url_for("officer.case_page", case_id=case.id))


@bp.post("/digest")
def set_digest():
    """Turn the weekly email of cases behind on or off."""
    on = request.form.get("digest") == "on"
    case_notices.set_digest(current_user, on)
    flash("The weekly email of cases behind is " + ("on." if on else "off."), "ok")
    return redirect(url_for("officer.dashboard"))


@bp.get("/cases.csv")
def caseload_csv():
    return Response(
        caseload.caseload_csv(current_user),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="caseload.csv"'},
    )


@bp.get("/cases/<case_id>")
def case_page(case_id: str):
    view = cases.view_of(cases.case_for(current_user, case_id))
    chart = week_chart(view.terms, view.progress, cases.today()) if view.progress else None
    return render_template("officer/case.html", view=view, chart=chart)


@bp.get("/cases/<case_id>/report.pdf")
def case_report(case_id: str):
    case = cases.case_for(current_user, case_id)
    return Response(
        case_reports.report_pdf(case, requested_paper()),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="compliance-report.pdf"'},
    )
