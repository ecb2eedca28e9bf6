"""The audit log is a hash chain: edits, deletions and reordering are found and named."""

import json

import pytest
import sqlalchemy as sa

from compliance.extensions import db
from compliance.models import AuditEntry, AuditHead, AuditHeadSignature
from compliance.services import audit
from tests.app.journey import signed_session


def events(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.event).order_by(AuditEntry.seq)))


def verify(runner):
    return runner.invoke(args=["audit", "verify"])


@pytest.fixture
def logged(app, facilitator):
    """A log with users, tokens, a signed session and a revocation in it."""
    _, (record,) = signed_session(facilitator)
    facilitator.post(f"/api/v1/records/{record['id']}/revoke", json={"reason": "duplicate"})
    return record


def test_security_events_are_logged_in_order(app, runner, logged):
    logged_events = events(app)
    for expected in [
        "user.created",
        "token.created",
        "session.finalized",
        "record.issued",
        "record.revoked",
    ]:
        assert expected in logged_events
    assert logged_events.index("session.finalized") < logged_events.index("record.revoked")
    result = verify(runner)
    assert result.exit_code == 0, result.output
    count = len(logged_events)
    assert result.stdout == f"Audit chain intact: {count} entries.\n"
    progress = result.stderr.splitlines()
    assert progress[0] == f"Checking the audit chain: 0/{count} (0%)"
    assert progress[1].startswith(f"Checking the audit chain: {count}/{count} (100%), done in")
    assert progress[-1].startswith("Checking the head signatures… done in")


def tamper(app, statement: str, **params) -> None:
    with app.app_context():
        db.session.execute(sa.text(statement), params)
        db.session.commit()


def test_an_edited_entry_is_named(app, runner, logged):
    tamper(app, "UPDATE audit_entries SET subject = 'someone else' WHERE seq = 3")
    result = verify(runner)
    assert result.exit_code == 1
    assert "entry 3" in result.stderr and "edited" in result.stderr
    assert "head signatures" not in result.stderr  # the walk stopped at the break


def test_a_deleted_entry_is_named(app, runner, logged):
    tamper(app, "DELETE FROM audit_entries WHERE seq = 2")
    result = verify(runner)
    assert result.exit_code == 1 and "entry 2 is missing" in result.output


def test_reordered_entries_are_found(app, runner, logged):
    tamper(app, "UPDATE audit_entries SET seq = 1000 WHERE seq = 2")
    tamper(app, "UPDATE audit_entries SET seq = 2 WHERE seq = 3")
    tamper(app, "UPDATE audit_entries SET seq = 3 WHERE seq = 1000")
    result = verify(runner)
    assert result.exit_code == 1 and "entry 2" in result.output


def test_truncating_the_end_is_found(app, runner, logged):
    with app.app_context():
        last = db.session.scalar(sa.select(sa.func.max(AuditEntry.seq)))
    tamper(app, "DELETE FROM audit_entries WHERE seq = :seq", seq=last)
    result = verify(runner)
    assert result.exit_code == 1 and f"after {last - 1} were deleted" in result.output


def test_a_rewritten_chain_contradicts_the_signed_head(app, runner, logged):
    with app.app_context():
        assert audit.sign_head() is not None
        signed = db.session.scalar(sa.select(sa.func.max(AuditHeadSignature.seq)))
        # Rewrite history consistently: new subject, recomputed hashes, new head.
        entries = list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq)))
        entries[0].subject = "forged"
        previous = "0" * 64
        from compliance.domain.audit_chain import entry_hash

        for entry in entries:
            entry.prev_hash = previous
            entry.hash = entry_hash(
                previous,
                entry.seq,
                entry.at,
                entry.event,
                entry.actor,
                entry.subject,
                entry.details,
            )
            previous = entry.hash
        head = db.session.get(AuditHead, 1)
        head.hash = previous
        db.session.commit()
    result = verify(runner)
    assert result.exit_code == 1 and f"entry {signed}" in result.output


def test_export_is_json_lines(runner, logged):
    result = runner.invoke(args=["audit", "export"])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines[0]["seq"] == 1 and lines[0]["prev_hash"] == "0" * 64
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(lines, lines[1:], strict=False))


def test_an_event_is_not_logged_when_its_change_rolls_back(app, facilitator):
    before = len(events(app))
    response = facilitator.post("/api/v1/records/nope/revoke", json={"reason": "x"})
    assert response.status_code == 404
    assert len(events(app)) == before


def test_admins_browse_check_and_export_the_log_others_cannot(app, logged):
    from compliance.services import accounts
    from tests.app.web_session import give_password, signed_in

    with app.app_context():
        accounts.create_user("root@example.org", "Root", "admin")
    give_password(app, "root@example.org")
    give_password(app, "sam@example.org")
    admin = signed_in(app, "root@example.org")
    page = admin.get("/admin/audit?check=1").get_data(as_text=True)
    assert "record.revoked" in page and "Chain intact" in page
    export = admin.get("/admin/audit/export.jsonl")
    assert export.status_code == 200 and b'"event": "record.issued"' in export.data
    facilitator_browser = signed_in(app, "sam@example.org")
    assert facilitator_browser.get("/admin/audit").status_code in (403, 404)
    assert app.test_client().get("/admin/audit").status_code in (302, 401)


def test_sign_ins_are_logged(app, facilitator):
    from tests.app.web_session import give_password, signed_in

    give_password(app, "sam@example.org")
    signed_in(app, "sam@example.org")
    assert "user.signed_in" in events(app)


def test_a_batch_of_events_chains_like_single_ones_and_signs_the_head(app, runner):
    with app.app_context():
        audit.record_event("user.created", "admin@example.org", "sam@example.org")
        audit.record_events(
            audit.AuditEvent("record.issued", "sam@example.org", f"CODE{n:04d}") for n in range(120)
        )
        db.session.commit()
        seqs = list(db.session.scalars(sa.select(AuditEntry.seq).order_by(AuditEntry.seq)))
        signed = list(db.session.scalars(sa.select(AuditHeadSignature.seq)))
        head = db.session.get(AuditHead, 1)
    assert seqs == list(range(1, head.seq + 1)) and head.seq >= 121
    assert events(app)[-121:] == ["user.created"] + ["record.issued"] * 120
    assert sorted(signed) == [seq for seq in seqs if seq % audit.HEAD_SIGNING_INTERVAL == 0]
    result = verify(runner)
    assert result.exit_code == 0 and "intact" in result.output, result.output


# --- anchors outside the database ---------------------------------------------------------------


def rewrite_consistently(app, start_seq: int = 1, *, subject="forged", keep_until=None) -> int:
    """Do what a database writer can: rewrite entries (optionally cut the end), recompute every
    hash and the head, and delete every signed head stored in the database. Return the new
    last seq."""
    from compliance.domain.audit_chain import entry_hash

    with app.app_context():
        if keep_until is not None:
            db.session.execute(sa.delete(AuditEntry).where(AuditEntry.seq > keep_until))
        db.session.execute(sa.delete(AuditHeadSignature))
        entries = list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq)))
        for entry in entries:
            if entry.seq == start_seq and subject is not None:
                entry.subject = subject
        previous = "0" * 64
        for entry in entries:
            entry.prev_hash = previous
            entry.hash = entry_hash(
                previous, entry.seq, entry.at, entry.event, entry.actor, entry.subject,
                entry.details,
            )  # fmt: skip
            previous = entry.hash
        head = db.session.get(AuditHead, 1)
        head.seq, head.hash = entries[-1].seq, previous
        db.session.commit()
        return entries[-1].seq


@pytest.fixture
def long_log(app, runner):
    """120 entries: heads signed (and anchored) at 50 and 100, and by sign-head at 120."""
    with app.app_context():
        audit.record_events([audit.AuditEvent("test.event", "tester", str(n)) for n in range(120)])
        db.session.commit()
    assert runner.invoke(args=["audit", "sign-head"]).exit_code == 0
    assert verify(runner).exit_code == 0
    return app


def test_heads_are_anchored_in_a_file_beside_the_keys(long_log, runner):
    from pathlib import Path

    lines = (Path(long_log.config["KEYS_DIR"]) / "audit-anchors.jsonl").read_text().splitlines()
    seqs = [json.loads(line)["seq"] for line in lines]
    assert {50, 100} <= set(seqs) and max(seqs) >= 120
    exported = runner.invoke(args=["audit", "anchors"]).output.splitlines()
    assert exported == lines


def test_an_edit_with_every_hash_recomputed_and_the_signatures_deleted_is_caught(
    long_log, runner
):
    rewrite_consistently(long_log, 10)
    result = verify(runner)
    assert result.exit_code == 1
    assert "BROKEN at entry 50" in result.output and "anchored outside" in result.output


def test_cutting_the_newest_entries_and_recomputing_is_caught(long_log, runner):
    rewrite_consistently(long_log, subject=None, keep_until=70)
    result = verify(runner)
    assert result.exit_code == 1 and "the log was cut" in result.output


def test_without_the_anchor_file_the_spacing_of_signed_heads_still_tells(long_log, runner):
    from pathlib import Path

    anchors = Path(long_log.config["KEYS_DIR"]) / "audit-anchors.jsonl"
    kept_elsewhere = anchors.with_name("shipped-copy.jsonl")
    anchors.rename(kept_elsewhere)
    rewrite_consistently(long_log, 10)
    result = verify(runner)
    assert result.exit_code == 1 and "the head signed at entry 50 is missing" in result.output
    shipped = runner.invoke(args=["audit", "verify", "--anchors", str(kept_elsewhere)])
    assert shipped.exit_code == 1 and "anchored outside" in shipped.output


def test_a_rolled_back_signing_leaves_no_anchor(app):
    from pathlib import Path

    with app.app_context():
        audit.record_events([audit.AuditEvent("test.event", "tester", str(n)) for n in range(50)])
        db.session.rollback()
    assert not (Path(app.config["KEYS_DIR"]) / "audit-anchors.jsonl").exists()
