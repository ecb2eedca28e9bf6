"""Building blocks for API tests: a meeting, a session, attendance, a signed session."""

from __future__ import annotations

MEETING = {
    "name": "Tuesday Evening Recovery Circle",
    "program": "SMART Recovery",
    "timezone": "America/Chicago",
}
WINDOW = {"starts_at": "2025-03-04T19:00:00-06:00", "ends_at": "2025-03-04T20:00:00-06:00"}


def create_meeting(user, **overrides) -> dict:
    response = user.post("/api/v1/meetings", json={**MEETING, **overrides})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def open_session(user, meeting_id: str, **overrides) -> dict:
    response = user.post(f"/api/v1/meetings/{meeting_id}/sessions", json={**WINDOW, **overrides})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def attend(user, session_id: str, name: str, joined: str, left: str, email=None):
    body = {"name": name, "joined_at": joined, "left_at": left}
    if email:
        body["email"] = email
    response = user.post(f"/api/v1/sessions/{session_id}/attendance", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def at(clock: str) -> str:
    """Return a Chicago time on the session's date, e.g. at("19:05")."""
    return f"2025-03-04T{clock}:00-06:00"


def signed_session(user) -> tuple[dict, list[dict]]:
    """Return a session with Dana (rejoined, qualifies) and Lee (too short), finalized."""
    meeting = create_meeting(user)
    session = open_session(user, meeting["id"])
    attend(user, session["id"], "Dana Kowalski", at("18:58"), at("19:31"), "dana.k@example.net")
    attend(user, session["id"], "dana kowalski", at("19:33"), at("20:01"), "dana.k@example.net")
    attend(user, session["id"], "Lee  Park", at("19:10"), at("19:40"))
    response = user.post(f"/api/v1/sessions/{session['id']}/finalize")
    assert response.status_code == 200, response.get_json()
    return session, response.get_json()["records"]
