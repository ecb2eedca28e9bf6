"""Forms for signing in, managing accounts and checking in; each field says what is wrong."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from compliance.models.accounts import Role
from compliance.services.accounts import valid_email
from compliance.services.attendance import MAX_NAME_LENGTH
from compliance.services.passwords import MAX_LENGTH, MIN_LENGTH


def email_address(form, field) -> None:
    """Refuse text that is not an email address (the same rule the services use)."""
    if field.data and not valid_email(field.data.strip().lower()):
        raise ValidationError("Enter an email address like name@example.org.")


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email."), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=MAX_LENGTH)]
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[
            DataRequired("Choose a password."),
            Length(MIN_LENGTH, MAX_LENGTH, f"Use {MIN_LENGTH} to {MAX_LENGTH} characters."),
        ],
    )
    confirm = PasswordField(
        "The same password again",
        validators=[
            DataRequired("Type the password a second time."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )


class InviteForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter their email."), Length(max=254), email_address],
    )
    display_name = StringField(
        "Name printed on slips",
        description='A first name and initial is usual, e.g. "Sam R."',
        validators=[DataRequired("Enter a display name."), Length(max=40)],
    )
    role = SelectField(
        "Role",
        choices=[
            SelectChoice(Role.FACILITATOR.value, "Facilitator: runs meetings and signs sessions"),
            SelectChoice(Role.OFFICER.value, "Officer: verifies slips"),
            SelectChoice(Role.ADMIN.value, "Admin: manages accounts"),
        ],
    )


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        validators=[DataRequired("Type the code your facilitator shows."), Length(max=64)],
    )


class CheckInForm(FlaskForm):
    name = StringField(
        "Your name, as it should be printed on your slip",
        description="Usually the name the court or your officer knows you by.",
        validators=[
            DataRequired("Enter the name to print on your slip."),
            Length(max=MAX_NAME_LENGTH, message=f"Use at most {MAX_NAME_LENGTH} characters."),
        ],
    )
    email = EmailField(
        "Email (optional)",
        description="Lets us keep all your slips on one private page. Never shown to others.",
        validators=[Optional(), Length(max=254), email_address],
    )


class CheckOutForm(FlaskForm):
    code = StringField(
        "Check-out code",
        validators=[
            DataRequired("Type the check-out code your facilitator shows."),
            Length(max=64),
        ],
    )
    name = StringField(
        "The name you checked in with", validators=[Optional(), Length(max=MAX_NAME_LENGTH)]
    )
    email = EmailField(
        "Email you checked in with, if any", validators=[Optional(), Length(max=254)]
    )
