"""Properties that must hold for any input: the token codec, report parsers, presence math.

Complements the examples (and the few properties) in test_slip_token.py, test_reports.py and
test_presence.py; nothing here repeats them.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import unicodedata
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from compliance.domain.presence import (
    PresenceRule,
    assess_presence,
    clip_intervals,
    merge_intervals,
    present_seconds,
)
from compliance.domain.reports import parse_participant_report
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.slip import Slip
from compliance.domain.slips.token import TokenError
from compliance.services.attendance import MAX_NAME_LENGTH

SOME = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ISSUER = "https://verify.example.org"
KEY = Ed25519PrivateKey.generate()
KID = slip_token.thumbprint(KEY.public_key())
KEYS = {KID: slip_token.TrustedKey(KEY.public_key(), slip_token.DOCUMENT_TYPES)}
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def slip_named(name: str, **fields) -> Slip:
    values = {
        "code": "ABCD2345EFGH6789",
        "name": name,
        "meeting": "Tuesday Evening Recovery Circle",
        "program": "SMART Recovery",
        "starts_at": datetime(2025, 3, 5, 1, 0, tzinfo=UTC),
        "ends_at": datetime(2025, 3, 5, 2, 0, tzinfo=UTC),
        "timezone": "America/Chicago",
        "present_minutes": 58,
        "facilitator": "Sam R.",
        "facilitator_id": "F-1A2B3C4D",
        "issued_at": datetime(2025, 3, 5, 2, 5, tzinfo=UTC),
    }
    return Slip(**{**values, **fields})


def sign(claims, typ: str = slip_token.SLIP_TYP) -> str:
    """Sign any JSON value as the payload (the codec signs dicts; attackers sign anything)."""
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()
    return sign_bytes(payload, typ)


def sign_bytes(payload: bytes, typ: str = slip_token.SLIP_TYP) -> str:
    return slip_token._jws.encode(
        payload, KEY, algorithm=slip_token.ALGORITHM, headers={"kid": KID, "typ": typ}
    )


TOKEN = slip_token.sign(slip_token.slip_claims(slip_named("Dana"), ISSUER), KEY, KID,
                        slip_token.SLIP_TYP)  # fmt: skip


def verifies(token) -> bool:
    """Return whether the token verifies; fail on any exception other than TokenError."""
    try:
        slip_token.verify(token, KEYS, ISSUER)
    except TokenError:
        return False
    return True


# --- the token codec: anything at all ------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)  # fmt: skip
segments = st.text(alphabet=B64URL, max_size=60)
jws_shaped = st.lists(segments, min_size=1, max_size=5).map(".".join)
headers = st.dictionaries(
    st.sampled_from(["alg", "typ", "kid", "jwk", "crit", "x5u"]),
    st.sampled_from(["EdDSA", "none", "HS256", slip_token.SLIP_TYP, KID, ""]) | json_values,
    max_size=4,
)


@st.composite
def forged_tokens(draw) -> str:
    """A token with a chosen header and payload and any signature: well-formed, not genuine."""
    header = draw(headers | json_values)
    payload = draw(json_values)
    signature = draw(st.binary(max_size=80))
    return ".".join(
        b64(json.dumps(part).encode()) if not isinstance(part, bytes) else b64(part)
        for part in (header, payload, signature)
    )


@st.composite
def deeply_nested(draw) -> str:
    """A header or payload of JSON nested thousands deep: a few KB that parsers choke on."""
    depth = draw(st.integers(500, 3000))
    opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    nested = b64((opening * depth + closing * depth * draw(st.sampled_from([0, 1]))).encode())
    plain = b64(json.dumps({"alg": "EdDSA", "typ": slip_token.SLIP_TYP, "kid": KID}).encode())
    header, payload = draw(st.sampled_from([(nested, b64(b"{}")), (plain, nested)]))
    return f"{header}.{payload}.{b64(draw(st.binary(min_size=1, max_size=64)))}"


@SOME
@given(st.text(max_size=300) | st.binary(max_size=300) | jws_shaped | forged_tokens()
       | deeply_nested())  # fmt: skip
def test_verify_raises_only_token_error_for_any_input(token):
    assert not verifies(token)


@SOME
@given(json_values)
def test_a_genuine_signature_over_anything_but_claims_is_refused_cleanly(payload):
    """Our key, our header, but a payload that is not a slip: malformed or wrong issuer."""
    token = sign(payload)
    if isinstance(payload, dict) and payload.get("iss") == ISSUER:
        return  # that one would be a genuine token
    assert not verifies(token)
    try:
        verified = slip_token.verify(token, KEYS, None)
    except TokenError:
        return
    with pytest.raises(TokenError):
        slip_token.slip_from_claims(verified.claims)


@FEWER
@given(st.integers(500, 5000), st.sampled_from(["[", '{"a":']))
def test_a_genuinely_signed_deeply_nested_payload_is_malformed(depth, opening):
    closing = "]" if opening == "[" else "}"
    token = sign_bytes((opening * depth + closing * depth).encode())
    assert not verifies(token)
    with contextlib.suppress(TokenError):
        assert slip_token.read_claims_unverified(token) == {}


claim_values = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=20),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
)


@SOME
@given(st.dictionaries(st.sampled_from(sorted(slip_token._SLIP_CLAIM_TYPES)), claim_values))
def test_slip_from_any_claims_is_a_slip_or_token_error(claims):
    try:
        slip = slip_token.slip_from_claims(claims)
    except TokenError:
        return
    assert isinstance(slip, Slip)


@SOME
@given(st.text(max_size=200) | jws_shaped | deeply_nested())
def test_reading_claims_unverified_raises_only_token_error(token):
    with contextlib.suppress(TokenError):
        assert isinstance(slip_token.read_claims_unverified(token), dict)


@given(st.data())
@SOME
def test_changing_any_single_character_of_a_token_breaks_it(data):
    assert verifies(TOKEN)
    index = data.draw(st.integers(0, len(TOKEN) - 1), label="index")
    replacement = data.draw(
        st.sampled_from(B64URL + ".=+/ ") | st.characters(codec="utf-8"), label="replacement"
    )
    assume(replacement != TOKEN[index])
    mutated = TOKEN[:index] + replacement + TOKEN[index + 1 :]
    assert not verifies(mutated), f"{mutated!r} still verifies (changed position {index})"


def test_every_last_character_of_every_segment_is_checked():
    """Exhaustively, the characters whose spare bits base64 decoders tend to ignore."""
    for index in [i - 1 for i, ch in enumerate(TOKEN + ".") if ch == "."]:
        for replacement in B64URL.replace(TOKEN[index], ""):
            mutated = TOKEN[:index] + replacement + TOKEN[index + 1 :]
            assert not verifies(mutated), f"position {index} → {replacement!r} still verifies"


# Names as people type them: any script, combining marks, emoji and joiners, no control
# characters or lone surrogates (the services refuse those before anything is signed).
names = st.text(
    alphabet=st.characters(exclude_categories=["Cc", "Cs"]) | st.sampled_from("\u200d\u200c\u200f"),
    min_size=1,
    max_size=MAX_NAME_LENGTH,
).filter(lambda text: text.strip())


@SOME
@given(names, names, names)
def test_sign_and_verify_round_trip_any_unicode_names(name, meeting, facilitator):
    slip = slip_named(name, meeting=meeting, facilitator=facilitator)
    token = slip_token.sign(slip_token.slip_claims(slip, ISSUER), KEY, KID, slip_token.SLIP_TYP)
    assert len(token) <= slip_token.MAX_TOKEN_LENGTH
    verified = slip_token.verify(token, KEYS, ISSUER)
    assert slip_token.slip_from_claims(verified.claims) == slip
    assert slip_token.read_claims_unverified(token)["name"] == name


# --- report parsers: generated well-formed reports --------------------------------------------

CHICAGO = ZoneInfo("America/Chicago")
SESSION = (datetime(2025, 3, 4, 19, 0, tzinfo=CHICAGO), datetime(2025, 3, 4, 20, 0, tzinfo=CHICAGO))
SUMMARY = (
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
    "84512093317,Circle,3/4/2025 6:55:02 PM,3/4/2025 8:04:40 PM,host@example.org,70,5\n"
    ",,,,,,\n"
)
# Display names as Zoom shows them: no parentheses (those carry the original name or a role).
display_names = (
    st.text(
        alphabet=st.characters(categories=["L", "M", "N"]) | st.sampled_from(" .,'-&\"é李ا"),
        min_size=1,
        max_size=30,
    )
    .map(lambda text: " ".join(text.split()))
    .filter(lambda text: any(c.isalpha() for c in text))
)


def zoom_clock(moment: datetime) -> str:
    local = moment.astimezone(CHICAGO)
    return f"{local:%-m/%-d/%Y} {local.hour % 12 or 12}:{local:%M:%S %p}"


@st.composite
def zoom_people(draw):
    """People with 1–3 joins each, seconds apart or hours, inside or around the session."""
    count = draw(st.integers(1, 8))
    people = []
    for number in range(count):
        name = f"{draw(display_names)} {number}"  # distinct people, even without emails
        email = f"p{number}@example.org" if draw(st.booleans()) else None
        joins = []
        for _ in range(draw(st.integers(1, 3))):
            start = SESSION[0] + timedelta(seconds=draw(st.integers(-1800, 5400)))
            joins.append((start, start + timedelta(seconds=draw(st.integers(0, 7200)))))
        if email is None:
            # Overlapping rows of one name without an email are two people (tests/domain/
            # test_reports.py): one person's rejoins follow each other.
            joins = _one_after_another(sorted(joins))
        people.append((name, email, joins))
    return people


def _one_after_another(joins: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Return the joins moved later where needed so that none starts before the last ends."""
    kept, last_leave = [], None
    for join, leave in joins:
        if last_leave is not None and join < last_leave:
            join, leave = last_leave, last_leave + (leave - join)
        kept.append((join, leave))
        last_leave = leave
    return kept


def write_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@SOME
@given(zoom_people(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_a_generated_zoom_report_round_trips_every_join_and_duration(people, encoding):
    rows = [["Name (Original Name)", "User Email", "Join Time", "Leave Time",
             "Duration (Minutes)", "Guest"]]  # fmt: skip
    for name, email, joins in people:
        for join, leave in joins:
            minutes = -(-int((leave - join).total_seconds()) // 60)
            rows.append(
                [name, email or "", zoom_clock(join), zoom_clock(leave), str(minutes), "Yes"]
            )
    report = parse_participant_report(
        (SUMMARY + write_csv(rows)).encode(encoding), CHICAGO, *SESSION
    )
    assert (report.format, report.rows) == ("zoom", sum(len(j) for _, _, j in people))
    assert len(report.participants) == len(people)
    for parsed, (name, email, joins) in zip(report.participants, people, strict=True):
        assert unicodedata.normalize("NFC", parsed.name) == unicodedata.normalize("NFC", name)
        assert parsed.email == email
        expected = sorted((a.astimezone(UTC), b.astimezone(UTC)) for a, b in joins)
        assert sorted(parsed.intervals) == expected
        assert sum((b - a for a, b in parsed.intervals), timedelta()) == sum(
            (b - a for a, b in joins), timedelta()
        )


@SOME
@given(st.lists(st.tuples(display_names, st.integers(0, 24 * 60)), min_size=1, max_size=8))
def test_a_generated_zoom_unique_users_report_round_trips_its_totals(people):
    rows = [["Name (Original Name)", "User Email", "Total Duration (Minutes)", "Guest"]]
    for number, (name, minutes) in enumerate(people):
        rows.append([f"{name} {number}", "", str(minutes), "Yes"])
    report = parse_participant_report(write_csv(rows).encode(), CHICAGO, *SESSION)
    assert (report.format, report.rows) == ("zoom-unique", len(people))
    assert [p.total_seconds for p in report.participants] == [m * 60 for _, m in people]
    assert all(p.intervals == () for p in report.participants)


# --- presence math -----------------------------------------------------------------------------

T0 = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)
seconds = st.integers(min_value=-4 * 3600, max_value=8 * 3600)


def moment(offset: int) -> datetime:
    return T0 + timedelta(seconds=offset)


spans = st.tuples(seconds, seconds).map(lambda ab: (moment(min(ab)), moment(max(ab))))
any_spans = st.tuples(seconds, seconds).map(lambda ab: (moment(ab[0]), moment(ab[1])))
windows = st.tuples(seconds, st.integers(0, 12 * 3600)).map(
    lambda sd: (moment(sd[0]), moment(sd[0] + sd[1]))
)


@SOME
@given(st.lists(any_spans, max_size=12), windows)
def test_clipping_is_idempotent_and_stays_inside_the_window(intervals, window):
    once = clip_intervals(intervals, window)
    assert clip_intervals(once, window) == once
    assert all(window[0] <= a < b <= window[1] for a, b in once)
    assert merge_intervals(merge_intervals(once)) == merge_intervals(once)


@SOME
@given(st.lists(any_spans, max_size=12), windows, st.integers(1, 100))
def test_union_minutes_never_exceed_the_window(intervals, window, percent):
    scheduled = int((window[1] - window[0]).total_seconds())
    present = present_seconds(intervals, window)
    assert 0 <= present <= scheduled
    presence = assess_presence(intervals, window, PresenceRule(percent))
    assert presence.seconds == present
    assert presence.minutes <= scheduled // 60
    # Clipping first changes nothing: the window is applied once, however often it is asked.
    assert present_seconds(clip_intervals(intervals, window), window) == present


@SOME
@given(st.lists(spans, max_size=8), windows, st.integers(-(10**9), 10**9), st.integers(1, 100))
def test_a_reported_total_is_capped_and_never_lowers_presence(intervals, window, total, percent):
    scheduled = int((window[1] - window[0]).total_seconds())
    rule = PresenceRule(percent)
    timed = assess_presence(intervals, window, rule)
    reported = assess_presence(intervals, window, rule, reported_total_seconds=total)
    assert timed.seconds <= reported.seconds <= scheduled
    assert reported.qualifies == rule.qualifies(reported.seconds, scheduled)
    assert not timed.qualifies or reported.qualifies
