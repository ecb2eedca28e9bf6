"""A hash chain over audit entries: editing, deleting or reordering any entry breaks it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainEntry:
    """The fields of one audit entry that its hash covers."""

    seq: int
    at: datetime
    event: str
    actor: str | None
    subject: str | None
    details: str
    prev_hash: str
    hash: str


def entry_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    event: str,
    actor: str | None,
    subject: str | None,
    details: str,
) -> str:
    """Return the SHA-256 that links an entry to the one before it."""
    canonical = json.dumps(
        [prev_hash, seq, at.isoformat(), event, actor, subject, details],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def canonical_details(details: dict | None) -> str:
    return json.dumps(details or {}, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain stops fitting, and how."""

    seq: int
    reason: str


def find_break(entries: Iterable[ChainEntry]) -> ChainBreak | None:
    """Return the first entry that does not fit the chain, or None if all do."""
    expected_prev, expected_seq = GENESIS, 1
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(expected_seq, f"entry {expected_seq} is missing (found {entry.seq})")
        if entry.prev_hash != expected_prev:
            return ChainBreak(entry.seq, f"entry {entry.seq} does not follow entry {entry.seq - 1}")
        recomputed = entry_hash(
            entry.prev_hash,
            entry.seq,
            entry.at,
            entry.event,
            entry.actor,
            entry.subject,
            entry.details,
        )
        if recomputed != entry.hash:
            return ChainBreak(entry.seq, f"entry {entry.seq} was edited after it was written")
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return None
