"""Participant report import through the API: every person's minutes and verdict."""

import io
from pathlib import Path

import pytest

from tests.app.journey import at, attend, create_meeting, open_session

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


def upload(user, session_id, data: bytes, filename="report.csv", **form):
    return user.post(
        f"/api/v1/sessions/{session_id}/participant-report",
        data={"file": (io.BytesIO(data), filename), **form},
        content_type="multipart/form-data",
    )


def roster_of(user, session_id) -> dict:
    attendees = user.get(f"/api/v1/sessions/{session_id}/roster").get_json()["attendees"]
    return {a["name"]: a for a in attendees}


def session_for(user, timezone, starts_at, ends_at):
    meeting = create_meeting(user, timezone=timezone)
    return open_session(user, meeting["id"], starts_at=starts_at, ends_at=ends_at)


CHICAGO = ("America/Chicago", "2025-03-04T19:00:00-06:00", "2025-03-04T20:00:00-06:00")
LONDON = ("Europe/London", "2025-08-03T10:00:00+01:00", "2025-08-03T11:00:00+01:00")


@pytest.mark.parametrize(
    ("sample", "window", "fmt", "expected"),
    [
        (
            "zoom-participants.csv",
            CHICAGO,
            "zoom",
            # name: (minutes, qualifies, host)
            {
                "Sam R.": (60, True, True),
                "Dana K": (58, True, False),
                "iPhone de José": (27, False, False),
                "Morgan, L.": (60, True, False),
            },
        ),
        (
            "zoom-participants-unique.csv",
            CHICAGO,
            "zoom-unique",
            {
                "Sam R.": (60, True, True),
                "Dana K": (60, True, False),
                "iPhone de José": (28, False, False),
                "Morgan, L.": (60, True, False),
            },
        ),
        (
            "teams-attendance.csv",
            LONDON,
            "teams",
            {
                "Alex Facilitator": (60, True, True),
                "Priya N": (49, True, False),
                "Chris O'Neil": (25, False, False),
            },
        ),
        (
            "meet-attendance.csv",
            CHICAGO,
            "meet",
            {"Robin H.": (60, True, False), "Taylor": (45, False, False)},
        ),
    ],
)
def test_samples_import_with_the_contracts_presence_rule(
    facilitator, sample, window, fmt, expected
):
    session = session_for(facilitator, *window)
    response = upload(facilitator, session["id"], (REPORTS / sample).read_bytes(), "x.txt")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["format"] == fmt
    assert response.get_json()["participants"] == len(expected)
    roster = roster_of(facilitator, session["id"])
    got = {n: (a["present_minutes"], a["qualifies"], a["is_host"]) for n, a in roster.items()}
    assert got == expected


def test_hosts_get_no_slip_and_check_ins_merge_with_report_rows(facilitator):
    session = session_for(facilitator, *CHICAGO)
    attend(facilitator, session["id"], "Dana Kowalski", at("19:00"), at("19:10"))
    response = upload(facilitator, session["id"], (REPORTS / "zoom-participants.csv").read_bytes())
    assert response.status_code == 200
    roster = roster_of(facilitator, session["id"])
    assert "Dana K" not in roster  # matched by the original name in "Dana K (Dana Kowalski)"
    assert roster["Dana Kowalski"]["present_minutes"] == 58
    records = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()["records"]
    assert sorted(r["name"] for r in records) == ["Dana Kowalski", "Morgan, L."]


def test_importing_the_same_report_twice_changes_no_ones_minutes(facilitator):
    session = session_for(facilitator, *CHICAGO)
    data = (REPORTS / "zoom-participants.csv").read_bytes()
    upload(facilitator, session["id"], data)
    before = roster_of(facilitator, session["id"])
    upload(facilitator, session["id"], data)
    after = roster_of(facilitator, session["id"])
    assert {n: a["present_minutes"] for n, a in before.items()} == {
        n: a["present_minutes"] for n, a in after.items()
    }


def test_a_bad_line_is_named_and_nothing_changes(facilitator):
    session = session_for(facilitator, *CHICAGO)
    lines = (REPORTS / "zoom-participants.csv").read_text(encoding="utf-8-sig").splitlines()
    lines[5] = lines[5].replace("3/4/2025 6:58:44 PM", "3/4/2025 99:99:99 PM")
    response = upload(facilitator, session["id"], "\n".join(lines).encode())
    assert response.status_code == 422
    body = response.get_json()
    assert body["line"] == 6
    assert "line 6" in body["error"]
    assert roster_of(facilitator, session["id"]) == {}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"name,age\nbob,12\n", "Zoom"),
        (b"\x00\x01\x02\xff" * 50, ""),
    ],
)
def test_unreadable_files_are_422_with_a_reason(facilitator, data, words):
    session = session_for(facilitator, *CHICAGO)
    response = upload(facilitator, session["id"], data)
    assert response.status_code == 422
    assert words in response.get_json()["error"]


def test_missing_file_and_bad_timezone_are_400(facilitator):
    session = session_for(facilitator, *CHICAGO)
    missing = facilitator.post(
        f"/api/v1/sessions/{session['id']}/participant-report",
        data={},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 400 and missing.get_json()["field"] == "file"
    zone = upload(facilitator, session["id"], b"x", timezone="Nowhere/Land")
    assert zone.status_code == 400 and zone.get_json()["field"] == "timezone"


def test_the_reports_zone_can_differ_from_the_meetings(facilitator):
    meeting = create_meeting(facilitator, timezone="America/New_York")
    session = open_session(
        facilitator,
        meeting["id"],
        starts_at="2025-03-04T20:00:00-05:00",
        ends_at="2025-03-04T21:00:00-05:00",
    )
    data = (REPORTS / "zoom-participants.csv").read_bytes()
    response = upload(facilitator, session["id"], data, timezone="America/Chicago")
    assert response.status_code == 200
    assert roster_of(facilitator, session["id"])["Morgan, L."]["present_minutes"] == 60


def test_an_oversized_upload_is_413(app, facilitator):
    session = session_for(facilitator, *CHICAGO)
    response = upload(facilitator, session["id"], b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert response.status_code == 413
    assert "too large" in response.get_json()["error"]


def test_unique_users_with_the_same_name_stay_two_people_on_the_roster(facilitator):
    """The worst bug a report importer can have: two "Andrew"s summed into one who qualifies."""
    session = session_for(facilitator, *CHICAGO)
    report = (
        b"Name (Original Name),User Email,Total Duration (Minutes),Guest\n"
        b"Andrew,andrew@example.net,19,No\n"
        b"Andrew,,52,Yes\n"
    )
    assert upload(facilitator, session["id"], report).status_code == 200
    attendees = facilitator.get(f"/api/v1/sessions/{session['id']}/roster").get_json()["attendees"]
    assert sorted((a["name"], a["present_minutes"], a["qualifies"]) for a in attendees) == [
        ("Andrew", 19, False),
        ("Andrew", 52, True),
    ]
    records = facilitator.post(f"/api/v1/sessions/{session['id']}/finalize").get_json()["records"]
    assert [(r["name"], r["present_minutes"]) for r in records] == [("Andrew", 52)]


def attendees_of(user, session_id) -> list[tuple]:
    attendees = user.get(f"/api/v1/sessions/{session_id}/roster").get_json()["attendees"]
    return sorted((a["name"], a["present_minutes"], a["shares_name"]) for a in attendees)


def test_per_join_rows_of_one_name_that_overlap_stay_apart_flagged_and_never_match_a_check_in(
    facilitator,
):
    session = session_for(facilitator, *CHICAGO)
    attend(facilitator, session["id"], "Andrew", at("19:00"), at("19:05"))
    report = (
        b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        b"Andrew,,3/4/2025 7:00:00 PM,3/4/2025 7:30:00 PM,30,Yes\n"
        b"Andrew,,3/4/2025 7:10:00 PM,3/4/2025 8:00:00 PM,50,Yes\n"
        b"Andrew,,3/4/2025 7:35:00 PM,3/4/2025 8:00:00 PM,25,Yes\n"
        b"Bo,,3/4/2025 7:00:00 PM,3/4/2025 7:30:00 PM,30,Yes\n"
        b"Bo,,3/4/2025 7:32:00 PM,3/4/2025 8:00:00 PM,28,Yes\n"
    )
    answer = upload(facilitator, session["id"], report)
    assert answer.status_code == 200
    assert (answer.get_json()["format"], answer.get_json()["participants"]) == ("zoom", 4)
    assert attendees_of(facilitator, session["id"]) == [
        ("Andrew", 5, True),  # checked in by hand: never matched by name to a report Andrew
        ("Andrew", 25, True),
        ("Andrew", 30, True),
        ("Andrew", 50, True),
        ("Bo", 58, False),  # one person rejoining: no overlap
    ]


TEAMS_LIST_FRENCH = (
    "Nom complet\tAction de l'utilisateur\tHorodatage\r\n"
    "Camille Durand (Invité)\tA rejoint avant\t04/03/2025 à 18:58:00\r\n"
    "Léa\tA rejoint\t04/03/2025 à 19:05:00\r\n"
    "Camille Durand (Invité)\tA quitté\t04/03/2025 à 19:20:00\r\n"
    "Camille Durand (Invité)\tA rejoint\t04/03/2025 à 19:22:00\r\n"
    "Léa\tA quitté\t04/03/2025 à 19:35:00\r\n"
)


def test_a_french_teams_attendance_list_saved_as_utf16_imports_with_paired_events(facilitator):
    session = session_for(facilitator, *CHICAGO)
    answer = upload(facilitator, session["id"], TEAMS_LIST_FRENCH.encode("utf-16"))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["format"] == "teams"
    # Camille is still in when the list was downloaded: until the scheduled end.
    assert attendees_of(facilitator, session["id"]) == [
        ("Camille Durand", 58, False),
        ("Léa", 30, False),
    ]


def test_a_refusal_says_what_the_file_was_recognised_as(facilitator):
    session = session_for(facilitator, *CHICAGO)
    broken = TEAMS_LIST_FRENCH.replace("04/03/2025 à 19:35:00", "bientôt")
    answer = upload(facilitator, session["id"], broken.encode("utf-16"))
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["line"] == 6
    assert body["error"].startswith(
        "The report could not be imported: This looks like a Microsoft Teams attendance list in "
        'French, but line 6: "Horodatage" value "bientôt" is not a date and time'
    )
    assert attendees_of(facilitator, session["id"]) == []


def _zoom_report(*rows: str) -> bytes:
    header = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    return (header + "".join(row + "\n" for row in rows)).encode()


def test_emoji_in_a_display_name_are_left_out_and_never_merge_two_people(facilitator):
    session = session_for(facilitator, *CHICAGO)
    report = _zoom_report(
        "🌻 Sarah,,03/04/2025 07:00:00 PM,03/04/2025 07:40:00 PM,40,Yes",
        "Sarah,,03/04/2025 07:30:00 PM,03/04/2025 08:00:00 PM,30,Yes",
        "Lee 👨‍👩‍👧 P,,03/04/2025 07:00:00 PM,03/04/2025 08:00:00 PM,60,Yes",
    )
    answer = upload(facilitator, session["id"], report)
    assert answer.status_code == 200, answer.get_json()
    attendees = facilitator.get(f"/api/v1/sessions/{session['id']}/roster").get_json()[
        "attendees"
    ]
    by_minutes = sorted((a["name"], a["present_minutes"], a["shares_name"]) for a in attendees)
    # Two Sarahs: the one whose name lost its sunflower is not merged into the other by name.
    assert by_minutes == [("Lee P", 60, False), ("Sarah", 30, True), ("Sarah", 40, True)]


def test_a_name_of_emoji_alone_is_refused_naming_the_line(facilitator):
    session = session_for(facilitator, *CHICAGO)
    report = _zoom_report(
        "Dana K,,03/04/2025 07:00:00 PM,03/04/2025 08:00:00 PM,60,Yes",
        "🦄🦄,,03/04/2025 07:00:00 PM,03/04/2025 08:00:00 PM,60,Yes",
    )
    answer = upload(facilitator, session["id"], report)
    assert answer.status_code == 422 and answer.get_json()["line"] == 3
    assert "U+1F984" in answer.get_json()["error"]
    assert roster_of(facilitator, session["id"]) == {}


def test_a_report_name_the_roster_gives_to_two_people_is_kept_apart_not_given_to_one(facilitator):
    session = session_for(facilitator, *CHICAGO)
    attend(facilitator, session["id"], "Andrew", at("19:00"), at("19:05"), "a@example.net")
    attend(facilitator, session["id"], "Andrew", at("19:00"), at("19:10"), "b@example.net")
    report = _zoom_report("andrew,,03/04/2025 07:00:00 PM,03/04/2025 08:00:00 PM,60,Yes")
    answer = upload(facilitator, session["id"], report)
    assert answer.status_code == 200, answer.get_json()
    # Either Andrew could be the report's: neither gets its hour; it is a third entry, flagged.
    assert attendees_of(facilitator, session["id"]) == [
        ("Andrew", 5, True),
        ("Andrew", 10, True),
        ("andrew", 60, True),
    ]
    # The same rule holds for an entry by hand: refused, naming why, and nothing changes.
    refused = facilitator.post(
        f"/api/v1/sessions/{session['id']}/attendance",
        json={"name": "ANDREW", "joined_at": at("19:20"), "left_at": at("19:30")},
    )
    assert refused.status_code == 409
    assert "3 people named 'ANDREW'" in refused.get_json()["error"]
    assert [m for _, m, _ in attendees_of(facilitator, session["id"])] == [5, 10, 60]
