"""A summary's verdict has one shape, checked online by the service or offline with only the
published files: the same keys, and the same values for every fact the offline check knows."""

from __future__ import annotations

import json

import pytest

from compliance.domain import offline
from compliance.domain.slips.input import token_in_pdf
from tests.app.cases import create_case, dana_page, link, sign_day
from tests.app.pages import page_with
from tests.conftest import make_api_user

# Only the service knows each record's standing now, and so what still counts.
ONLY_ONLINE = {"records", "meetings", "total_minutes"}


def _summary_token(client, page: str, date_from="2025-03-01", date_to="2025-03-31") -> str:
    pdf = client.get(f"{page}/summary.pdf?from={date_from}&to={date_to}").data
    return token_in_pdf(pdf)


def _published(client) -> tuple[dict, dict]:
    jwks = client.get("/.well-known/jwks.json").get_json()
    kid = jwks["keys"][0]["kid"]
    return jwks, client.get(f"/.well-known/crl/{kid}.json").get_json()


def _both(client, token: str, with_crl: bool = True) -> tuple[dict, dict, dict]:
    """Return the online answer, and the offline verdict's answer (as JSON travels) and
    its summary."""
    online = client.get(f"/api/v1/verify/{token}").get_json()
    jwks, crl = _published(client)
    verdict = offline.verify_offline(token, jwks, crl if with_crl else None)
    answer = json.loads(json.dumps(verdict.as_dict()))
    return online, answer, answer["summary"]


def _known_offline(summary: dict) -> dict:
    return {key: value for key, value in summary.items() if value is not None}


def test_a_short_summary_says_the_same_online_and_offline(app, client, facilitator):
    first = sign_day(facilitator, "2025-03-04", [("Dana K", None)])
    overlapping = sign_day(facilitator, "2025-03-04", [("Dana K", None)])
    later = sign_day(facilitator, "2025-03-06", [("Dana K", None)])
    token = _summary_token(client, page_with(app, first + overlapping + later))
    revoked = facilitator.post(
        f"/api/v1/records/{later[0]['id']}/revoke", json={"reason": "duplicate"}
    )
    assert revoked.status_code == 200

    online, answer, shown = _both(client, token)

    assert online["status"] == answer["status"] == "valid"
    assert set(shown) == set(online["summary"])
    known = _known_offline(shown)
    assert set(known) == set(shown) - ONLY_ONLINE
    assert known == {key: online["summary"][key] for key in known}
    assert (known["listed"], known["valid_records"]) == (3, 2)
    assert known["revoked_codes"] == [later[0]["code"].replace("-", "")]
    assert known["n"] == known["listed"] and known["min"] == 180  # as signed
    # What still counts: two valid records at the same hour are one meeting.
    assert (online["summary"]["meetings"], online["summary"]["total_minutes"]) == (1, 60)


def test_a_summary_with_every_record_withdrawn_is_revoked_online_and_offline(
    app, client, facilitator
):
    (record,) = sign_day(facilitator, "2025-03-04", [("Dana K", None)])
    token = _summary_token(client, page_with(app, [record]))
    facilitator.post(f"/api/v1/records/{record['id']}/revoke", json={"reason": "duplicate"})

    online, answer, shown = _both(client, token)

    assert online["status"] == answer["status"] == "revoked"
    assert _known_offline(shown) == {
        key: online["summary"][key] for key in _known_offline(shown)
    }
    assert shown["valid_records"] == online["summary"]["valid_records"] == 0


@pytest.mark.parametrize("with_crl", [True, False])
def test_offline_a_long_summary_leaves_unknown_what_only_the_service_knows(
    app, client, facilitator, with_crl
):
    _, records = dana_page(app, facilitator, [f"2025-03-{day:02d}" for day in range(1, 13)])
    token = _summary_token(client, page_with(app, records))

    online, _, shown = _both(client, token, with_crl)

    assert set(shown) == set(online["summary"])
    # Its token carries a digest of the records, not their codes: which were withdrawn needs
    # the service, even with a revocation list.
    unknown = {key for key, value in shown.items() if value is None}
    assert unknown == ONLY_ONLINE | {"codes", "valid_records", "revoked_codes"}
    known = _known_offline(shown)
    assert known == {key: online["summary"][key] for key in known}
    assert (known["listed"], known["n"], known["min"]) == (12, 12, 720)


def test_a_compliance_report_states_its_signed_outcome_online_and_offline(
    app, client, facilitator
):
    officer = make_api_user(app, "olive@example.org", "Olive O.", role="officer")
    page, _ = dana_page(app, facilitator, ["2025-03-04", "2025-03-11"])
    case = create_case(officer, requirement={"per_week": 1, "weeks": 3}, min_minutes=45)
    assert link(app, page, case["enrolment_code"]).status_code == 302
    pdf = officer.get(f"/api/v1/cases/{case['id']}/report.pdf").data

    online, _, shown = _both(client, token_in_pdf(pdf))

    assert set(shown) == set(online["summary"])
    assert shown["report"] == online["summary"]["report"]
    assert shown["report"]["requirement"] == {"per_week": 1, "weeks": 3}
    assert (shown["report"]["counted"], shown["report"]["min_minutes"]) == (2, 45)
