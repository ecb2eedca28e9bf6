"""Facilitators' forms: meetings, sessions, roster changes by hand, imports, revocations."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from compliance.domain.programs import PLATFORMS, PROGRAMS, is_known_timezone
from compliance.domain.weekly import WEEKDAYS
from compliance.services.attendance import MAX_NAME_LENGTH, MAX_REASON_LENGTH
from compliance.services.meetings import MAX_USUAL_MINUTES
from compliance.web.forms import email_address


def iana_zone(form, field) -> None:
    if field.data and not is_known_timezone(field.data.strip()):
        raise ValidationError("Pick a zone from the list, e.g. America/Chicago or Europe/London.")


def _reason(label: str = "Reason") -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired("Give a reason: it is kept with the change."),
            Length(max=MAX_REASON_LENGTH),
        ],
    )


def _minutes(label: str, required: bool) -> IntegerField:
    presence = InputRequired("Enter the length in minutes.") if required else Optional()
    message = f"Enter 1 to {MAX_USUAL_MINUTES} minutes."
    return IntegerField(label, validators=[presence, NumberRange(1, MAX_USUAL_MINUTES, message)])


class MeetingForm(FlaskForm):
    name = StringField(
        "Meeting name",
        validators=[DataRequired("Give the meeting a name."), Length(max=80)],
    )
    program = SelectField("Program", choices=[SelectChoice(p) for p in PROGRAMS])
    platform = SelectField(
        "Platform",
        choices=[SelectChoice("", "Not said")] + [SelectChoice(p) for p in PLATFORMS],
        default="",
    )
    timezone = StringField(
        "Time zone",
        description="Where the meeting's clock is: times on slips are shown in this zone.",
        validators=[DataRequired("Pick the meeting's time zone."), iana_zone],
    )
    usual_start = TimeField("Usually starts at (optional)", validators=[Optional()])
    usual_minutes = _minutes("Usually lasts, in minutes (optional)", required=False)
    weekly_day = SelectField(
        "Repeats every week on",
        description="Its next sessions then open on their own at the usual time, each with "
        "its own codes. Needs the usual start and length.",
        choices=[SelectChoice("", "Does not repeat")]
        + [SelectChoice(str(number), day) for number, day in enumerate(WEEKDAYS)],
        default="",
        # Forms that leave it out (older pages, scripts) mean "no change to repeating".
        coerce=lambda value: "" if value is None else str(value),
        validate_choice=False,
    )
    min_presence_percent = IntegerField(
        "Minimum presence for a slip, in percent",
        default=80,
        description="Share of the scheduled time a person must be present. 80 is usual.",
        validators=[
            InputRequired("Enter a percentage."),
            NumberRange(1, 100, "Enter a percentage from 1 to 100."),
        ],
    )


class SessionForm(FlaskForm):
    on_date = DateField("Date", validators=[InputRequired("Pick the date.")])
    start = TimeField("Starts at", validators=[InputRequired("Enter the start time.")])
    minutes = _minutes("Length in minutes", required=True)


class CoFacilitatorForm(FlaskForm):
    email = EmailField(
        "Co-facilitator's email",
        description="They must already have a facilitator account.",
        validators=[DataRequired("Enter their email."), Length(max=254), email_address],
    )


class ReasonForm(FlaskForm):
    reason = _reason()


class TimeSpanForm(FlaskForm):
    joined = TimeField("From", validators=[InputRequired("Enter when they joined.")])
    left = TimeField("To", validators=[InputRequired("Enter when they left.")])
    reason = _reason()


class PersonByHandForm(TimeSpanForm):
    name = StringField(
        "Name to print on the slip",
        validators=[DataRequired("Enter their name."), Length(max=MAX_NAME_LENGTH)],
    )
    email = EmailField("Email (optional)", validators=[Optional(), Length(max=254), email_address])


class CloseForm(FlaskForm):
    left = TimeField("Left at", validators=[InputRequired("Enter when they left.")])
    reason = _reason()


class ImportForm(FlaskForm):
    report = FileField(
        "Participant report (Zoom, Teams or Google Meet export)",
        validators=[FileRequired("Choose the report file to import.")],
    )
    timezone = StringField(
        "Time zone of the times in the file (optional)",
        description="Leave empty when the report's times are in the meeting's zone.",
        validators=[Optional(), iana_zone],
    )


class NameForm(FlaskForm):
    name = StringField(
        "Name on the slip",
        validators=[DataRequired("Type the name to print."), Length(max=MAX_NAME_LENGTH)],
    )


class OptionalReasonForm(FlaskForm):
    reason = StringField("Reason (optional, kept in the log)", validators=[Length(max=500)])
