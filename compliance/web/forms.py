"""Forms for signing in, managing accounts and checking in; each field says what is wrong."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from compliance.domain.printed_text import describe, hidden_character, unprintable
from compliance.models.accounts import Role
from compliance.services.accounts import valid_email
from compliance.services.attendance import MAX_NAME_LENGTH
from compliance.services.passwords import MAX_LENGTH, MIN_LENGTH


class EmailAddress:
    """Refuse text that is not an email address (the same rule the services use)."""

    def __init__(self, message: str = "Enter an email address like name@example.org.") -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data and not valid_email(field.data.strip().lower()):
            raise ValidationError(self.message)


email_address = EmailAddress()
# Check-in pages are in the attendee's language; staff pages stay English.
attendee_email_address = EmailAddress(_l("Enter an email address like name@example.org."))


def printable(form, field) -> None:
    """Refuse characters that print invisibly or reorder a name (the service's own rule)."""
    bad = hidden_character(field.data) if field.data else None
    if bad is not None:
        raise ValidationError(
            _l(
                "The name has an invisible character (%(character)s), perhaps from pasting. "
                "Type it again.",
                character=describe(bad),
            )
        )
    missing = unprintable(field.data) if field.data else None
    if missing is not None:
        raise ValidationError(
            _l(
                "The name has a character the slip cannot print (%(character)s). "
                "Leave it out or write it another way.",
                character=describe(missing),
            )
        )


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""


class SignInForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email."), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password."), Length(max=MAX_LENGTH)]
    )


class RecoverForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter the email address your page was confirmed with.")),
            Length(max=254),
            attendee_email_address,
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired("Enter your email."), Length(max=254), email_address]
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


# The forms attendees fill in: labels, hints and errors in the page's language (lazy_gettext).
TOO_LONG = _l("Use at most %(max)d characters.")


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(_l("Type the code your facilitator shows.")),
            Length(max=64, message=TOO_LONG),
        ],
    )


class CheckInForm(FlaskForm):
    name = StringField(
        _l("Your name, as it should be printed on your slip"),
        description=_l("Usually the name the court or your officer knows you by."),
        validators=[
            DataRequired(_l("Enter the name to print on your slip.")),
            Length(max=MAX_NAME_LENGTH, message=TOO_LONG),
            printable,
        ],
    )
    email = EmailField(
        _l("Email (optional)"),
        description=_l("Lets us keep all your slips on one private page. Never shown to others."),
        validators=[Optional(), Length(max=254, message=TOO_LONG), attendee_email_address],
    )


class CheckOutForm(FlaskForm):
    code = StringField(
        _l("Check-out code"),
        validators=[
            DataRequired(_l("Type the check-out code your facilitator shows.")),
            Length(max=64, message=TOO_LONG),
        ],
    )
    name = StringField(
        _l("The name you checked in with"),
        validators=[Optional(), Length(max=MAX_NAME_LENGTH, message=TOO_LONG), printable],
    )
    email = EmailField(
        _l("Email you checked in with, if any"),
        validators=[Optional(), Length(max=254, message=TOO_LONG), attendee_email_address],
    )
