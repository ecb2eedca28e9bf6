"""Officers' cases: a requirement to meet, and the attendee page that consented to be counted."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from compliance.domain.codes import new_code
from compliance.extensions import db
from compliance.models.types import UTCDateTime, new_id, utcnow


class Case(db.Model):
    """One officer's client and what the order asks of them. Nobody else sees the label."""

    __tablename__ = "cases"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    officer_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    label: so.Mapped[str] = so.mapped_column(sa.String(80))
    # "meetings": `count` meetings within `span` days; "per_week": `count` in each of `span` weeks.
    requirement_kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    requirement_count: so.Mapped[int] = so.mapped_column()
    requirement_span: so.Mapped[int] = so.mapped_column()
    starts_on: so.Mapped[date] = so.mapped_column(sa.Date)
    min_minutes: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    # Newline-separated program names; empty when any program counts.
    programs: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    # Handed to the client, who types it on their attendance page to consent.
    enrolment_code: so.Mapped[str] = so.mapped_column(sa.String(16), unique=True, default=new_code)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # The caseload's copy of the meetings counted in each period (comma-separated), and a
    # digest of everything they depend on (the page's records and their standing): recomputed
    # when the digest differs. The status follows from them and the day.
    progress_key: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    progress_periods: so.Mapped[str | None] = so.mapped_column(sa.Text)

    consent: so.Mapped[CaseConsent | None] = so.relationship(back_populates="case", uselist=False)

    @property
    def program_list(self) -> tuple[str, ...]:
        return tuple(line for line in self.programs.split("\n") if line)


class CaseConsent(db.Model):
    """An attendee page linked to a case with the case's code; withdrawing ends what is shown."""

    __tablename__ = "case_consents"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True, default=new_id)
    # One consent per case: a code links once, and a withdrawn case stays withdrawn.
    case_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("cases.id"), unique=True)
    attendee_id: so.Mapped[str] = so.mapped_column(sa.ForeignKey("attendees.id"), index=True)
    linked_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    case: so.Mapped[Case] = so.relationship(back_populates="consent")
