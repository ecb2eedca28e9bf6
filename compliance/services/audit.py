"""Appending security-relevant events to the hash chain, signing its head, checking it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app

from compliance.domain.audit_chain import (
    GENESIS,
    ChainBreak,
    ChainEntry,
    canonical_details,
    entry_hash,
    find_break,
)
from compliance.domain.slips import token as slip_token
from compliance.extensions import db
from compliance.models import AuditEntry, AuditHead, AuditHeadSignature, KeyPurpose
from compliance.models.types import utcnow
from compliance.services import audit_anchors, keyring
from compliance.services.progress import SILENT, Progress

HEAD_SIGNING_INTERVAL = 50


def _locked_head() -> AuditHead:
    head = db.session.scalar(sa.select(AuditHead).where(AuditHead.id == 1).with_for_update())
    if head is None:  # the migration creates it; this only covers a database made otherwise
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        db.session.add(head)
    return head


def record_event(
    event: str, actor: str | None = None, subject: str | None = None, details: dict | None = None
) -> AuditEntry:
    """Append an event in the caller's transaction: it is kept only if the change is."""
    return _append(_locked_head(), event, actor, subject, details)


def record_events(events: Iterable[AuditEvent]) -> list[AuditEntry]:
    """Append several events in the caller's transaction, locking the chain head once."""
    head = _locked_head()
    return [_append(head, *event) for event in events]


class AuditEvent(NamedTuple):
    event: str
    actor: str | None = None
    subject: str | None = None
    details: dict | None = None


def _append(
    head: AuditHead, event: str, actor: str | None, subject: str | None, details: dict | None
) -> AuditEntry:
    at = utcnow()
    details_text = canonical_details(details)
    seq = head.seq + 1
    digest = entry_hash(head.hash, seq, at, event, actor, subject, details_text)
    entry = AuditEntry(
        seq=seq,
        at=at,
        event=event,
        actor=actor,
        subject=subject,
        details=details_text,
        prev_hash=head.hash,
        hash=digest,
    )
    db.session.add(entry)
    head.seq, head.hash = seq, digest
    if seq % HEAD_SIGNING_INTERVAL == 0:
        _sign(seq, digest)
    return entry


def _sign(seq: int, digest: str) -> AuditHeadSignature | None:
    try:
        kid, key = keyring.current_signer(current_app.config["KEYS_DIR"], KeyPurpose.AUDIT)
    except keyring.NoSigningKey:
        return None  # signed at the next head once a key exists; the hashes still chain
    claims = {
        "iss": current_app.config["BASE_URL"],
        "seq": seq,
        "hash": digest,
        "iat": int(utcnow().timestamp()),
    }
    signature = AuditHeadSignature(
        seq=seq, hash=digest, token=slip_token.sign(claims, key, kid, slip_token.AUDIT_HEAD_TYP)
    )
    db.session.add(signature)
    audit_anchors.anchor_after_commit(db.session(), seq, digest, signature.token)
    return signature


def sign_head() -> AuditHeadSignature | None:
    """Sign the current head now (for cron); None when the log is empty or already signed."""
    head = _locked_head()
    if head.seq == 0 or db.session.get(AuditHeadSignature, head.seq) is not None:
        db.session.rollback()
        return None
    signature = _sign(head.seq, head.hash)
    db.session.commit()
    return signature


def _chain() -> Iterator[ChainEntry]:
    query = sa.select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000)
    for row in db.session.scalars(query):
        yield ChainEntry(
            row.seq, row.at, row.event, row.actor, row.subject, row.details, row.prev_hash, row.hash
        )


@dataclass(frozen=True)
class ChainReport:
    entries: int
    problem: ChainBreak | None


def _head_claims(token: str, keys: dict) -> dict | None:
    try:
        return slip_token.verify(token, keys, None, slip_token.AUDIT_TYPES).claims
    except slip_token.TokenError:
        return None


def _check_signatures(hashes: dict[int, str], keys: dict) -> ChainBreak | None:
    for signature in db.session.scalars(
        sa.select(AuditHeadSignature).order_by(AuditHeadSignature.seq)
    ):
        claims = _head_claims(signature.token, keys)
        if claims is None:
            return ChainBreak(
                signature.seq, f"the signature over entry {signature.seq} is not valid"
            )
        if claims.get("seq") != signature.seq or hashes.get(signature.seq) != claims.get("hash"):
            return ChainBreak(
                signature.seq, f"entry {signature.seq} differs from the head signed at that point"
            )
    return None


def _check_anchors(
    hashes: dict[int, str], keys: dict, anchors: Iterable[dict]
) -> ChainBreak | None:
    """Check the chain against heads kept outside the database: a line there cannot be taken
    back by whoever rewrote the database."""
    last = max(hashes, default=0)
    for anchor in sorted(anchors, key=lambda a: a.get("seq") or 0):
        seq = anchor.get("seq")
        claims = _head_claims(str(anchor.get("token", "")), keys)
        if not isinstance(seq, int) or claims is None or claims.get("seq") != seq:
            where = seq if isinstance(seq, int) else 0
            return ChainBreak(where, f"an anchor line (entry {seq}) is not a valid signed head")
        if seq > last:
            return ChainBreak(
                last + 1, f"entries {last + 1} to {seq} were anchored outside the database but "
                "are missing: the log was cut"
            )
        if hashes.get(seq) != claims.get("hash"):
            return ChainBreak(
                seq, f"entry {seq} differs from the head anchored outside the database"
            )
    return None


def _check_spacing(hashes: dict[int, str], anchors: list[dict]) -> ChainBreak | None:
    """Every HEAD_SIGNING_INTERVAL-th entry was signed when written: a missing signature means
    the signatures were deleted (with the entries they covered, perhaps)."""
    signed = set(db.session.scalars(sa.select(AuditHeadSignature.seq)))
    signed |= {a.get("seq") for a in anchors}
    last = max(hashes, default=0)
    for seq in range(HEAD_SIGNING_INTERVAL, last + 1, HEAD_SIGNING_INTERVAL):
        if seq not in signed:
            return ChainBreak(seq, f"the head signed at entry {seq} is missing")
    return None


PROGRESS_STEP = 1000  # entries checked between two progress reports


def verify_chain(progress: Progress = SILENT, anchor_file=None) -> ChainReport:
    """Walk the whole log; report the first entry edited, deleted or reordered, checking it
    against the signed heads in the database, the anchor file beside the keys (or the copy
    given as `anchor_file`) and the promised spacing of signed heads."""
    hashes: dict[int, str] = {}

    def remembered() -> Iterator[ChainEntry]:
        for entry in _chain():
            hashes[entry.seq] = entry.hash
            if len(hashes) % PROGRESS_STEP == 0:
                progress.advance(PROGRESS_STEP)
            yield entry

    total = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    progress.begin("Checking the audit chain", total)
    problem = find_break(remembered())
    count = len(hashes)
    progress.advance(count % PROGRESS_STEP)
    if problem is None:
        progress.begin("Checking the head signatures")
        head = db.session.get(AuditHead, 1)
        last_seq = max(hashes, default=0)
        if head is not None and (head.seq, head.hash) != (last_seq, hashes.get(last_seq, GENESIS)):
            problem = ChainBreak(last_seq + 1, f"entries after {last_seq} were deleted")
    if problem is None:
        keys = {
            kid: k.trusted
            for kid, k in keyring.verification_keys(purpose=KeyPurpose.AUDIT).items()
        }
        anchors = list(audit_anchors.read_anchors(anchor_file))
        problem = (
            _check_anchors(hashes, keys, anchors)
            or _check_signatures(hashes, keys)
            or _check_spacing(hashes, anchors)
        )
    return ChainReport(count, problem)


def entries_page(before_seq: int | None = None, limit: int = 100) -> list[AuditEntry]:
    """Return the newest entries, for the admin's browser."""
    query = sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    return list(db.session.scalars(query))


def all_entries() -> Iterator[AuditEntry]:
    query = sa.select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=1000)
    yield from db.session.scalars(query)


def entry_as_dict(entry: AuditEntry) -> dict:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "event": entry.event,
        "actor": entry.actor,
        "subject": entry.subject,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }
