"""A summary's standing: what it lists, how much still counts, and its answer's shape."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from compliance.domain import offline
from compliance.domain.slips import token as slip_token
from compliance.domain.summaries.summary import SummaryLine
from compliance.domain.verdict import ListedRecord, Standing, Status, SummaryStanding, Verdict

LINES = (
    SummaryLine("AAAA1111BBBB2222", date(2025, 3, 4), "Circle", "SMART Recovery", 60, "Dana K"),
    SummaryLine("CCCC3333DDDD4444", date(2025, 3, 5), "Circle", "SMART Recovery", 55, "Dana K"),
)


def _standing(**given) -> SummaryStanding:
    return SummaryStanding(
        name="Dana K",
        date_from=date(2025, 3, 1),
        date_to=date(2025, 3, 31),
        issued_at=datetime(2025, 4, 1, 12, 30, tzinfo=UTC),
        listed=given.pop("listed", 2),
        listed_minutes=115,
        codes=given.pop("codes", tuple(line.code for line in LINES)),
        **given,
    )


@pytest.mark.parametrize(
    ("listed", "revoked_codes", "valid_records", "proves_nothing_now"),
    [
        (2, (), 2, False),
        (2, ("AAAA1111BBBB2222",), 1, False),
        (2, ("AAAA1111BBBB2222", "CCCC3333DDDD4444"), 0, True),
        (0, (), 0, False),  # an empty period's summary says so; nothing was withdrawn
        (2, None, None, False),  # offline, without a revocation list: not known
    ],
)
def test_what_still_counts(listed, revoked_codes, valid_records, proves_nothing_now):
    summary = _standing(listed=listed, revoked_codes=revoked_codes)
    assert summary.valid_records == valid_records
    assert summary.proves_nothing_now is proves_nothing_now


def test_offline_the_answer_has_every_key_with_null_for_what_it_cannot_know():
    shown = Verdict(Status.VALID, kid="k1", summary=_standing()).as_dict()["summary"]
    assert shown == {
        "name": "Dana K",
        "from": "2025-03-01",
        "to": "2025-03-31",
        "issued_at": "2025-04-01T12:30:00Z",
        "n": 2,
        "min": 115,
        "codes": ["AAAA1111BBBB2222", "CCCC3333DDDD4444"],
        "listed": 2,
        "valid_records": None,
        "revoked_codes": None,
        "meetings": None,
        "total_minutes": None,
        "records": None,
    }


def test_online_each_record_says_where_it_stands_and_why():
    withdrawn = Standing(Status.REVOKED, "duplicate", datetime(2025, 4, 2, tzinfo=UTC))
    records = (ListedRecord(LINES[0], Standing(Status.VALID)), ListedRecord(LINES[1], withdrawn))
    summary = _standing(
        revoked_codes=(LINES[1].code,),
        records=records,
        meetings=1,
        total_minutes=60,
        report={"status": "met"},
    )
    shown = summary.as_json()
    assert (shown["valid_records"], shown["revoked_codes"]) == (1, ["CCCC3333DDDD4444"])
    assert shown["records"] == [
        {
            "code": "AAAA1111BBBB2222",
            "name": "Dana K",
            "status": "valid",
            "date": "2025-03-04",
            "meeting": "Circle",
            "program": "SMART Recovery",
            "minutes": 60,
        },
        {
            "code": "CCCC3333DDDD4444",
            "name": "Dana K",
            "status": "revoked",
            "date": "2025-03-05",
            "meeting": "Circle",
            "program": "SMART Recovery",
            "minutes": 55,
            "reason": "duplicate",
        },
    ]
    assert shown["report"] == {"status": "met"}
    assert "report" not in _standing().as_json()  # a plain summary has none



_SUMMARY_CLAIMS = {
    "iss": "https://s.example",
    "jti": "S-1",
    "iat": 1735689600,
    "name": "Dana",
    "from": "2025-01-01",
    "to": "2025-01-31",
    "n": 2,
    "min": 120,
    "codes": ["A", "B"],
}


def _signed_summary(claims: dict) -> tuple[str, dict]:
    key = Ed25519PrivateKey.generate()
    kid = slip_token.thumbprint(key.public_key())
    token = slip_token.sign(claims, key, kid, slip_token.SUMMARY_TYP)
    return token, {"keys": [slip_token.public_jwk(key.public_key())]}


def test_a_signed_summary_with_its_facts_is_valid_offline():
    assert offline.verify_offline(*_signed_summary(_SUMMARY_CLAIMS)).status is Status.VALID


@pytest.mark.parametrize(
    "broken",
    [{"n": None}, {"from": "2025-13-01"}, {"name": None}, {"to": 20250131}, {"iat": 1e300}],
)
def test_a_signed_summary_missing_its_facts_is_invalid_offline_not_a_crash(broken):
    claims = {k: v for k, v in {**_SUMMARY_CLAIMS, **broken}.items() if v is not None}
    verdict = offline.verify_offline(*_signed_summary(claims))
    assert verdict.status is Status.INVALID
