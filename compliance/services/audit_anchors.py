"""Signed audit heads, also kept outside the database: an append-only file beside the keys.

A database writer can rewrite the log, recompute every hash and delete the signed heads stored
with it; they cannot take back lines already appended to a file on another volume, or shipped
elsewhere (`flask audit anchors`). `audit verify` checks the chain against every anchor.

Lines are appended only after the transaction that signed the head commits, so an anchor never
names a head that was rolled back.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

ANCHOR_FILE = "audit-anchors.jsonl"
_PENDING = "audit_anchors_pending"


def anchor_path() -> Path:
    return Path(current_app.config["KEYS_DIR"]) / ANCHOR_FILE


def anchor_after_commit(session: Session, seq: int, digest: str, token: str) -> None:
    """Append this signed head to the anchor file once the current transaction commits."""
    session.info.setdefault(_PENDING, []).append({"seq": seq, "hash": digest, "token": token})


def _write_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_app_context():
        return
    lines = "".join(json.dumps(anchor, separators=(",", ":")) + "\n" for anchor in pending)
    try:
        _append(anchor_path(), lines)
    except OSError as error:
        # The change is committed already: say so loudly, but do not fail the request. The
        # head stays signed in the database, and `audit verify` checks the spacing of heads.
        current_app.logger.error("could not append to the audit anchor file: %s", error)


def _append(path: Path, lines: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: concurrent writers (several workers, several hosts on a shared volume) each add
    # whole lines at the end; nothing already written is touched.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(descriptor, lines.encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def read_anchors(path: Path | None = None) -> Iterator[dict]:
    """Yield the anchors of a file (this service's, or a copy shipped elsewhere)."""
    path = path or anchor_path()
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                anchor = json.loads(line)
            except json.JSONDecodeError:
                anchor = {"line": number, "broken": True}
            yield anchor


sa.event.listen(Session, "after_commit", _write_pending)
sa.event.listen(Session, "after_rollback", _forget_pending)
