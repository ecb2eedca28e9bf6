"""Share links: an officer's read-only, live view of one attendee's summary over a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from compliance.domain.summaries.summary import names_on
from compliance.domain.verdict import Status
from compliance.extensions import db
from compliance.models import Attendee, ShareLink
from compliance.models.types import utcnow
from compliance.services import audit, links
from compliance.services.attendees import AttendeeRecord, check_range, records_of
from compliance.services.errors import Gone, InvalidInput, NotFound

MAX_EXPIRY_DAYS = 366


@dataclass(frozen=True)
class SharedSummary:
    """What the officer sees: the name, the range and each record's standing now."""

    share: ShareLink
    name: str
    records: list[AttendeeRecord]

    @property
    def valid_records(self) -> list[AttendeeRecord]:
        return [r for r in self.records if r.status is Status.VALID]

    @property
    def total_minutes(self) -> int:
        return sum(r.slip.present_minutes for r in self.valid_records)


def create_share_link(
    attendee: Attendee,
    date_from: date | None,
    date_to: date | None,
    expires_in_days: int | None = None,
    label: str | None = None,
) -> ShareLink:
    """Make a revocable link to the summary of a period, optionally expiring."""
    date_from, date_to = check_range(date_from, date_to)
    expires_at = None
    if expires_in_days is not None:
        if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
            raise InvalidInput("expires_in_days", f"expiry must be 1 to {MAX_EXPIRY_DAYS} days")
        expires_at = utcnow() + timedelta(days=expires_in_days)
    label = " ".join((label or "").split())[:80] or None
    share = ShareLink(
        attendee_id=attendee.id,
        date_from=date_from,
        date_to=date_to,
        expires_at=expires_at,
        label=label,
    )
    db.session.add(share)
    db.session.flush()
    audit.record_event(
        "share.created",
        f"attendee:{attendee.id}",
        share.id,
        {"from": date_from.isoformat(), "to": date_to.isoformat()},
    )
    db.session.commit()
    return share


def share_links_of(attendee: Attendee) -> list[ShareLink]:
    return sorted(
        db.session.query(ShareLink).filter_by(attendee_id=attendee.id),
        key=lambda s: s.created_at,
        reverse=True,
    )


def revoke_share_link(attendee: Attendee, share_id: str) -> None:
    """Stop a share link from working; the officer then sees that it was withdrawn."""
    share = db.session.get(ShareLink, share_id)
    if share is None or share.attendee_id != attendee.id:
        raise NotFound("no share link with this id")
    if share.revoked_at is None:
        share.revoked_at = utcnow()
        audit.record_event("share.revoked", f"attendee:{attendee.id}", share.id)
    db.session.commit()


def is_live(share: ShareLink, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return share.revoked_at is None and (share.expires_at is None or share.expires_at > now)


def open_share_link(link: str) -> SharedSummary:
    """Return the live summary behind a share link, and note that it was opened."""
    share_id = links.read_link(links.SHARE_LINK, link)
    share = db.session.get(ShareLink, share_id) if share_id else None
    if share is None:
        raise NotFound("no share link here")
    if share.revoked_at is not None:
        raise Gone("The attendee has withdrawn this link.")
    if not is_live(share):
        raise Gone("This link has expired. Ask the attendee for a new one.")
    first_open = share.open_count == 0
    db.session.execute(
        sa.update(ShareLink)
        .where(ShareLink.id == share.id)
        .values(open_count=ShareLink.open_count + 1, last_opened_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if first_open:  # later opens are counted on the link, not logged one entry each
        audit.record_event("share.opened", "officer", share.id)
    db.session.commit()
    attendee = db.session.get(Attendee, share.attendee_id)
    in_range = [r for r in records_of(attendee) if share.date_from <= r.day <= share.date_to]
    in_range.sort(key=lambda r: (r.slip.starts_at, r.record.code))
    name = names_on((r.slip.name for r in in_range), attendee.slip_name or attendee.name)
    return SharedSummary(share, name, in_range)
