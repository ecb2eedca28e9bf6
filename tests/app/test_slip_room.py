"""The slip room's arithmetic gives exactly the link a slip for that name really gets."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from compliance.domain.slips import token as slip_token
from compliance.extensions import db
from compliance.models import MeetingSession
from compliance.services.errors import InvalidInput
from compliance.services.slip_room import room_for, worst_case_slip
from tests.app.journey import create_meeting, open_session
from tests.conftest import BASE_URL

NAMES = [
    "",
    "Lee Park",
    'Dana "DK" Kowalski \\ back',
    "tab\there, newline\nthere, bell\x07",
    "Zoë Ñúñez-Ångström",
    "Владимир Соколов",
    "محمد عبد الله",
    "李小龙",
    "emoji 🙂🙂🙂",
    "\u2028line separator\u2029",
    "É" * 40,
]


def _real_link_length(session: MeetingSession, name: str) -> int:
    """Sign the worst-case slip the room assumes, with this name, and measure its link."""
    key = Ed25519PrivateKey.generate()
    kid = slip_token.thumbprint(key.public_key())
    claims = slip_token.slip_claims(worst_case_slip(session, name), BASE_URL)
    token = slip_token.sign(claims, key, kid, slip_token.SLIP_TYP)
    return len(f"{BASE_URL}/v/{token}")


@pytest.fixture
def session(app, facilitator):
    session_id = open_session(facilitator, create_meeting(facilitator)["id"])["id"]
    with app.app_context():
        yield db.session.get(MeetingSession, session_id)


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_the_room_predicts_the_link_length_exactly(session, name):
    assert room_for(session).url_length(name) == _real_link_length(session, name)


def test_the_longest_name_that_fits_fits_and_one_more_letter_does_not(session):
    room = room_for(session)
    name = "N"
    while True:
        try:
            room.check(name + "N")
        except InvalidInput as refused:
            assert refused.field == "name"
            break
        name += "N"
    room.check(name)
    assert len(name) > 100  # plenty of room for real names on a typical meeting
