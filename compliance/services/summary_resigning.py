"""Re-issuing signed summaries under the current key after a key rotation.

A summary already handed to an officer keeps its token: it verifies as long as its key is not
revoked. Re-signing adds, for every range an attendee asked for, a summary under the current key
(listing the records that are valid now), which the attendee's next download returns. Each
summary is its own transaction, so a run cut short is simply run again: ranges already re-signed
under the current key are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from compliance.extensions import db
from compliance.models import Attendee, SigningKey, SummaryDocument
from compliance.services import audit, keyring
from compliance.services.errors import Conflict, InvalidInput, NotFound
from compliance.services.progress import SILENT, Progress
from compliance.services.summaries import summary_for


@dataclass(frozen=True)
class ResignReport:
    kid: str  # the key that signed the new summaries
    resigned: int


def _ranges_signed_by_older_keys(current_kid: str, old_kid: str | None):
    """(attendee, from, to) of summaries under another key and not yet under the current one."""
    newer = orm.aliased(SummaryDocument)
    resigned = sa.exists().where(
        newer.attendee_id == SummaryDocument.attendee_id,
        newer.date_from == SummaryDocument.date_from,
        newer.date_to == SummaryDocument.date_to,
        newer.kid == current_kid,
        newer.case_id.is_(None),
    )
    query = (
        sa.select(SummaryDocument.attendee_id, SummaryDocument.date_from, SummaryDocument.date_to)
        # Officers' case reports are not re-signed: the next download signs a fresh one.
        .where(SummaryDocument.kid != current_kid, SummaryDocument.case_id.is_(None), ~resigned)
        .distinct()
        .order_by(SummaryDocument.attendee_id, SummaryDocument.date_from, SummaryDocument.date_to)
    )
    if old_kid is not None:
        query = query.where(SummaryDocument.kid == old_kid)
    return query


def _current_kid(old_kid: str | None) -> str:
    current = keyring.current_key_row()
    if current is None:
        raise Conflict("There is no current signing key: run `keys rotate` first.")
    if old_kid is not None and db.session.get(SigningKey, old_kid) is None:
        raise NotFound(f"no signing key has the kid {old_kid}")
    if old_kid == current.kid:
        raise InvalidInput("kid", f"{old_kid} is the current key: its summaries are up to date")
    return current.kid


def resign_summaries(old_kid: str | None = None, progress: Progress = SILENT) -> ResignReport:
    """Sign a new summary under the current key for each range signed by `old_kid` (or any
    older key)."""
    kid = _current_kid(old_kid)
    ranges = db.session.execute(_ranges_signed_by_older_keys(kid, old_kid)).all()
    progress.begin(f"Re-signing summaries under key {kid}", len(ranges))
    for attendee_id, date_from, date_to in ranges:
        summary_for(db.session.get(Attendee, attendee_id), date_from, date_to, bounded=False)
        progress.advance()
    details = {"summaries": len(ranges), **({"from_kid": old_kid} if old_kid else {})}
    audit.record_event("summaries.resigned", "operator", kid, details)
    db.session.commit()
    return ResignReport(kid, len(ranges))
