"""Re-signing summaries after a rotation: `keys rotate --resign-summaries`, `summaries resign`."""

import json

import pytest
import sqlalchemy as sa

from compliance.domain.slips.token import read_header
from compliance.extensions import db
from compliance.models import AuditEntry, SummaryDocument
from tests.app.test_attendee import sign_day, summary_url, with_page


@pytest.fixture
def records(app, facilitator) -> list[dict]:
    """Dana's two signed meetings in March."""
    days = ("2025-03-04", "2025-03-11")
    dana = [("Dana Kowalski", "dana@example.net")]
    records = [sign_day(facilitator, day, dana)[0] for day in days]
    return with_page(app, records)


def documents(app) -> list[tuple[str, str, str]]:
    """(kid, codes, token) of every stored summary, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(SummaryDocument.kid, SummaryDocument.codes, SummaryDocument.token).order_by(
                SummaryDocument.issued_at, SummaryDocument.kid
            )
        )
        return [tuple(row) for row in rows]


def verify(client, token: str) -> dict:
    return client.get(f"/api/v1/verify/{token}").get_json()


def test_rotation_re_signs_each_summary_under_the_new_key_and_old_ones_keep_verifying(
    app, runner, client, records
):
    assert client.get(summary_url(records[0])).status_code == 200
    assert client.get(summary_url(records[0], date_to="2025-03-05")).status_code == 200
    (old_kid, march, old_token), (_, first_week, _) = documents(app)

    rotated = runner.invoke(args=["keys", "rotate", "--resign-summaries"])
    assert rotated.exit_code == 0, rotated.output
    new_kid = rotated.stdout.splitlines()[-1]
    assert rotated.stdout == (
        f"Re-signed 2 summaries under key {new_kid}.\nNew current signing key:\n{new_kid}\n"
    )
    assert rotated.stderr.splitlines()[0] == f"Re-signing summaries under key {new_kid}: 0/2 (0%)"
    assert f"under key {new_kid}: 2/2 (100%), done in" in rotated.stderr.splitlines()[-1]

    stored = documents(app)
    assert sorted((kid, codes) for kid, codes, _ in stored) == sorted(
        [(old_kid, march), (old_kid, first_week), (new_kid, march), (new_kid, first_week)]
    )
    assert verify(client, old_token)["status"] == "valid"
    new_token = next(t for kid, codes, t in stored if kid == new_kid and codes == march)
    answer = verify(client, new_token)
    assert answer["status"] == "valid" and read_header(new_token).kid == new_kid
    assert len(answer["summary"]["records"]) == 2

    client.get(summary_url(records[0]))  # the attendee's next download is the re-signed one
    assert len(documents(app)) == 4
    again = runner.invoke(args=["summaries", "resign"])
    assert again.exit_code == 0 and again.stdout == f"Re-signed 0 summaries under key {new_kid}.\n"


def test_resigning_is_recorded_in_the_audit_chain(app, runner, client, records):
    client.get(summary_url(records[0]))
    ((old_kid, _, _),) = documents(app)
    runner.invoke(args=["keys", "rotate"])
    result = runner.invoke(args=["summaries", "resign", "--kid", old_kid])
    assert result.exit_code == 0 and result.stdout.startswith("Re-signed 1 summaries")
    with app.app_context():
        entry = db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.event == "summaries.resigned")
        ).one()
        assert json.loads(entry.details) == {"summaries": 1, "from_kid": old_kid}
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_only_the_named_keys_summaries_are_re_signed(app, runner, client, records):
    client.get(summary_url(records[0]))
    runner.invoke(args=["keys", "rotate"])
    client.get(summary_url(records[0], date_to="2025-03-05"))  # signed by the second key
    (first_kid, _, _), (second_kid, _, _) = documents(app)
    runner.invoke(args=["keys", "rotate"])
    result = runner.invoke(args=["summaries", "resign", "--kid", second_kid])
    assert result.exit_code == 0 and result.stdout.startswith("Re-signed 1 summaries")
    assert [kid for kid, _, _ in documents(app)].count(first_kid) == 1


def test_a_wrong_kid_is_refused_and_changes_nothing(app, runner, client, records):
    client.get(summary_url(records[0]))
    ((current_kid, _, _),) = documents(app)
    unknown = runner.invoke(args=["summaries", "resign", "--kid", "-nope"])
    assert unknown.exit_code == 1 and "no signing key has the kid -nope" in unknown.stderr
    current = runner.invoke(args=["summaries", "resign", "--kid", current_kid])
    assert current.exit_code == 1 and "is the current key" in current.stderr
    assert len(documents(app)) == 1
