"""Participant report parsers: the four sample exports, the variants real exports show, errors."""

from __future__ import annotations

import csv
import io
import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.domain.reports import (
    ParsedReport,
    ReportError,
    ReportParticipant,
    model,
    parse_participant_report,
)

CHICAGO = ZoneInfo("America/Chicago")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")

SAMPLES_COPY = Path(__file__).resolve().parents[1] / "data" / "reports"
SAMPLES_SHARED = Path(__file__).resolve().parents[3] / "shared" / "samples"
SAMPLE_NAMES = (
    "zoom-participants.csv",
    "zoom-participants-unique.csv",
    "teams-attendance.csv",
    "meet-attendance.csv",
)


def sample_bytes(name: str) -> bytes:
    """Return a sample report, from the copy in tests/data when it is there."""
    copy = SAMPLES_COPY / name
    return (copy if copy.exists() else SAMPLES_SHARED / name).read_bytes()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def session(zone: ZoneInfo, day: tuple[int, int, int], start: str, end: str):
    """Return the (start, end) of a session on a local date, end on the next day if earlier."""
    begins = datetime(*day, *map(int, start.split(":")), tzinfo=zone)
    ends = datetime(*day, *map(int, end.split(":")), tzinfo=zone)
    if ends <= begins:
        ends = datetime.combine(begins.date() + timedelta(days=1), ends.time(), tzinfo=zone)
    return begins, ends


ZOOM_SESSION = session(CHICAGO, (2025, 3, 4), "19:00", "20:00")
TEAMS_SESSION = session(LONDON, (2025, 8, 3), "10:00", "11:00")
# The Meet sample has no date; the tests put it on the Zoom sample's evening, in New York.
MEET_SESSION = session(NEW_YORK, (2025, 3, 4), "19:00", "20:00")


def parse(data: bytes | str, zone: ZoneInfo = CHICAGO, window=ZOOM_SESSION) -> ParsedReport:
    if isinstance(data, str):
        data = data.encode()
    return parse_participant_report(data, zone, *window)


def people(report: ParsedReport) -> list[tuple]:
    """Return what matters of each participant, without line numbers."""
    return [
        (p.name, p.aliases, p.email, p.intervals, p.total_seconds, p.is_host)
        for p in report.participants
    ]


# --- the four samples -----------------------------------------------------------------------

ZOOM_EXPECTED = (
    ReportParticipant(
        name="Sam R.",
        aliases=(),
        email="host.recovery@example.org",
        intervals=((utc(2025, 3, 5, 0, 55, 2), utc(2025, 3, 5, 2, 4, 40)),),
        total_seconds=None,
        is_host=True,
        first_line=5,
    ),
    ReportParticipant(
        name="Dana K",
        aliases=("Dana Kowalski",),
        email="dana.k@example.net",
        intervals=(
            (utc(2025, 3, 5, 0, 58, 44), utc(2025, 3, 5, 1, 31, 10)),
            (utc(2025, 3, 5, 1, 33, 2), utc(2025, 3, 5, 2, 1, 15)),
        ),
        total_seconds=None,
        is_host=False,
        first_line=6,
    ),
    ReportParticipant(
        name="iPhone de José",
        aliases=(),
        email=None,
        intervals=((utc(2025, 3, 5, 1, 12, 30), utc(2025, 3, 5, 1, 40, 0)),),
        total_seconds=None,
        is_host=False,
        first_line=8,
    ),
    ReportParticipant(
        name="Morgan, L.",
        aliases=(),
        email="morgan.l@example.com",
        intervals=((utc(2025, 3, 5, 0, 59, 59), utc(2025, 3, 5, 2, 0, 30)),),
        total_seconds=None,
        is_host=False,
        first_line=9,
    ),
)

ZOOM_UNIQUE_EXPECTED = tuple(
    ReportParticipant(p.name, p.aliases, p.email, (), minutes * 60, p.is_host, line)
    for p, minutes, line in zip(ZOOM_EXPECTED, (70, 62, 28, 61), (5, 6, 7, 8), strict=True)
)

TEAMS_EXPECTED = (
    ReportParticipant(
        name="Alex Facilitator",
        aliases=(),
        email="alex.f@example.org",
        intervals=((utc(2025, 8, 3, 8, 58, 3), utc(2025, 8, 3, 10, 2, 47)),),
        total_seconds=None,
        is_host=True,
        first_line=17,
    ),
    ReportParticipant(
        name="Priya N",
        aliases=(),
        email="priya.n@example.net",
        intervals=(
            (utc(2025, 8, 3, 9, 1, 10), utc(2025, 8, 3, 9, 30, 30)),
            (utc(2025, 8, 3, 9, 40, 10), utc(2025, 8, 3, 10, 0, 2)),
        ),
        total_seconds=None,
        is_host=False,
        first_line=18,
    ),
    ReportParticipant(
        name="Chris O'Neil",
        aliases=(),
        email=None,
        intervals=((utc(2025, 8, 3, 9, 20), utc(2025, 8, 3, 9, 45)),),
        total_seconds=None,
        is_host=False,
        first_line=20,
    ),
)

MEET_EXPECTED = (
    ReportParticipant(
        name="Robin H.",
        aliases=(),
        email="robin.h@example.org",
        intervals=((utc(2025, 3, 4, 23, 58), utc(2025, 3, 5, 1, 0)),),
        total_seconds=None,
        is_host=False,
        first_line=2,
    ),
    ReportParticipant(
        name="Taylor",
        aliases=(),
        email="taylor@example.net",
        intervals=((utc(2025, 3, 5, 0, 10), utc(2025, 3, 5, 0, 55)),),
        total_seconds=None,
        is_host=False,
        first_line=3,
    ),
)


@pytest.mark.parametrize(
    ("name", "zone", "window", "format_name", "rows", "expected"),
    [
        ("zoom-participants.csv", CHICAGO, ZOOM_SESSION, "zoom", 5, ZOOM_EXPECTED),
        ("zoom-participants-unique.csv", CHICAGO, ZOOM_SESSION, "zoom-unique", 4,
         ZOOM_UNIQUE_EXPECTED),
        ("teams-attendance.csv", LONDON, TEAMS_SESSION, "teams", 4, TEAMS_EXPECTED),
        ("meet-attendance.csv", NEW_YORK, MEET_SESSION, "meet", 2, MEET_EXPECTED),
    ],
)  # fmt: skip
def test_sample_reports(name, zone, window, format_name, rows, expected):
    report = parse(sample_bytes(name), zone, window)
    assert report == ParsedReport(format_name, rows, expected)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_copies_match_the_shared_samples(name):
    shared = SAMPLES_SHARED / name
    if not shared.exists():
        pytest.skip("the shared samples folder is not next to this checkout")
    assert (SAMPLES_COPY / name).read_bytes() == shared.read_bytes()


def test_report_error_is_a_value_error_with_line_and_reason():
    error = ReportError("the file is empty")
    assert isinstance(error, ValueError)
    assert (error.reason, error.line, str(error)) == ("the file is empty", None, error.reason)
    located = pickle.loads(pickle.dumps(ReportError("bad value", 7)))
    assert (located.reason, located.line, str(located)) == ("bad value", 7, "line 7: bad value")


# --- Zoom: variants of the sample that must read the same ---------------------------------------


def rewrite_delimiter(data: bytes, delimiter: str) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def with_extra_columns(data: bytes) -> bytes:
    lines = data.decode().splitlines()
    header = lines.index(next(line for line in lines if line.startswith("Name (")))
    lines[header] += ",Location,Data Center"
    lines[header + 1 :] = [line + ",Chicago (US),US" for line in lines[header + 1 :]]
    return "\n".join(lines).encode()


def with_blank_rows(data: bytes) -> bytes:
    return b"".join(line + b",,,,,,\n" for line in data.splitlines(keepends=True))


ZOOM_SAMPLE = sample_bytes("zoom-participants.csv")
ZOOM_HEADER_LINE = b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda d: b"\xef\xbb\xbf" + d, id="utf-8 BOM"),
        pytest.param(lambda d: d.replace(b"\n", b"\r\n"), id="CRLF"),
        pytest.param(lambda d: d.replace(b"\n", b",\n"), id="trailing commas"),
        pytest.param(with_extra_columns, id="extra columns"),
        pytest.param(with_blank_rows, id="blank rows"),
        pytest.param(lambda d: d.decode().encode("utf-16"), id="UTF-16"),
        pytest.param(lambda d: rewrite_delimiter(d, "\t"), id="tab-separated"),
        pytest.param(lambda d: rewrite_delimiter(d, ";"), id="semicolons"),
        pytest.param(
            lambda d: d.replace(
                ZOOM_HEADER_LINE,
                b"name(original name) , USER  EMAIL,join time,LEAVE TIME,Duration (minutes),GUEST",
            ),
            id="header case and spacing",
        ),
        pytest.param(
            lambda d: d.replace(b",Guest,Recording Consent", b",Recording Consent,Guest"),
            id="recording consent first",
        ),
    ],
)
def test_zoom_variants_read_like_the_sample(variant):
    report = parse(variant(ZOOM_SAMPLE))
    assert (report.format, report.rows) == ("zoom", 5)
    assert people(report) == people(ParsedReport("zoom", 5, ZOOM_EXPECTED))


# --- Zoom: rows built for one behaviour each ---------------------------------------------------

ZOOM_SUMMARY = (
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,\n"
    "84512093317,Circle,3/4/2025 6:55:02 PM,3/4/2025 8:04:40 PM,host@example.org,70,5,\n"
    ",,,,,,\n"
)
ZOOM_HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"


def zoom(*rows: str, header: str = ZOOM_HEADER, summary: str = ZOOM_SUMMARY) -> str:
    """Return a per-join Zoom report with the given data rows; the first is on line 5."""
    return summary + header + "".join(row + "\n" for row in rows)


def test_overlapping_rejoins_are_kept_raw_and_sorted():
    report = parse(
        zoom(
            "Lee,lee@example.org,3/4/2025 7:20:00 PM,3/4/2025 7:50:00 PM,30,No",
            "Lee,LEE@example.org,3/4/2025 7:00:00 PM,3/4/2025 7:30:00 PM,30,No",
            "Lee,lee@example.org,3/4/2025 7:25:00 PM,3/4/2025 7:26:00 PM,1,No",
        )
    )
    (lee,) = report.participants
    assert lee.intervals == (
        (utc(2025, 3, 5, 1, 0), utc(2025, 3, 5, 1, 30)),
        (utc(2025, 3, 5, 1, 20), utc(2025, 3, 5, 1, 50)),
        (utc(2025, 3, 5, 1, 25), utc(2025, 3, 5, 1, 26)),
    )
    assert report.rows == 3


def test_times_outside_the_scheduled_window_are_not_clipped():
    report = parse(zoom("Early Bird,,3/4/2025 6:30:00 PM,3/4/2025 9:15:00 PM,165,No"))
    assert report.participants[0].intervals == ((utc(2025, 3, 5, 0, 30), utc(2025, 3, 5, 3, 15)),)


def test_day_first_24_hour_times():
    report = parse(zoom("Ana,ana@example.org,04/03/2025 18:58,04/03/2025 20:01,63,No"))
    assert report.participants[0].intervals == ((utc(2025, 3, 5, 0, 58), utc(2025, 3, 5, 2, 1)),)


def test_quoted_names_with_commas_and_an_original_name():
    report = parse(zoom('"Lee, J. (Jordan Lee)",,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No'))
    (lee,) = report.participants
    assert (lee.name, lee.aliases) == ("Lee, J.", ("Jordan Lee",))


@pytest.mark.parametrize(
    ("cell", "name", "aliases", "is_host"),
    [
        ("Sam R. (Host)", "Sam R.", (), True),
        ("Sam R. (Co-host)", "Sam R.", (), True),
        ("Sam R. (co-host) (Sam Rivera)", "Sam R.", ("Sam Rivera",), True),
        ("Dana K (Dana Kowalski)", "Dana K", ("Dana Kowalski",), False),
        ("Dana K (dana k)", "Dana K", (), False),
        ("Morgan (she/her)", "Morgan (she/her)", (), False),
        ("  Pat   Q  ", "Pat Q", (), False),
        ("(Host)", "(Host)", (), False),
    ],
)
def test_zoom_name_cells(cell, name, aliases, is_host):
    report = parse(zoom(f'"{cell}",,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No'))
    (person,) = report.participants
    assert (person.name, person.aliases, person.is_host) == (name, aliases, is_host)


def test_the_summary_host_email_marks_the_host():
    report = parse(zoom("Sam,HOST@example.org,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No"))
    assert report.participants[0].is_host


def test_a_renamed_person_is_one_participant_by_any_name():
    report = parse(
        zoom(
            "Dana K (Dana Kowalski),dana@example.net,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No",
            "Dana Kowalski,,3/4/2025 7:20:00 PM,3/4/2025 7:30:00 PM,10,No",
            "dana  kowalski,,3/4/2025 7:40:00 PM,3/4/2025 7:50:00 PM,10,No",
        )
    )
    (dana,) = report.participants
    assert (dana.name, dana.aliases, dana.email, len(dana.intervals)) == (
        "Dana K",
        ("Dana Kowalski",),
        "dana@example.net",
        3,
    )


def test_a_name_seen_first_without_email_takes_the_email_later():
    report = parse(
        zoom(
            "Dana Kowalski,,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No",
            "Dana K (Dana Kowalski),dana@example.net,3/4/2025 7:20:00 PM,3/4/2025 7:30:00 PM,10,No",
        )
    )
    (dana,) = report.participants
    assert (dana.name, dana.aliases, dana.email, dana.first_line) == (
        "Dana Kowalski",
        ("Dana K",),
        "dana@example.net",
        5,
    )


def test_same_name_with_different_emails_is_two_people():
    report = parse(
        zoom(
            "Alex,alex1@example.org,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No",
            "Alex,alex2@example.org,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No",
        )
    )
    assert [(p.email, p.first_line) for p in report.participants] == [
        ("alex1@example.org", 5),
        ("alex2@example.org", 6),
    ]


def test_waiting_room_rows_are_not_time_in_the_meeting():
    report = parse(
        zoom(
            "Kim,kim@example.org,3/4/2025 6:50:00 PM,3/4/2025 7:00:00 PM,10,No,Yes",
            "Kim,kim@example.org,3/4/2025 7:00:00 PM,3/4/2025 8:00:00 PM,60,No,No",
            header=ZOOM_HEADER.rstrip("\n") + ",In Waiting Room\n",
        )
    )
    assert report.participants[0].intervals == ((utc(2025, 3, 5, 1, 0), utc(2025, 3, 5, 2, 0)),)


def test_recording_consent_instead_of_guest():
    header = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),"
    report = parse(
        zoom(
            "Kim,,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,Y",
            header=header + "Recording Consent\n",
        )
    )
    assert (report.rows, report.participants[0].name) == (1, "Kim")


def test_a_blank_name_shows_the_email():
    report = parse(zoom(",kim@example.org,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No"))
    assert report.participants[0].name == "kim@example.org"


def test_rows_without_a_summary_and_with_a_repeated_header():
    report = parse(
        zoom(
            "Kim,kim@example.org,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No",
            ZOOM_HEADER.rstrip("\n"),
            "Kim,kim@example.org,3/4/2025 7:20:00 PM,3/4/2025 7:30:00 PM,10,No",
            summary="",
        )
    )
    assert report.rows == 2
    assert len(report.participants[0].intervals) == 2


def test_zoom_unique_rows_are_distinct_people_never_added_up_by_name():
    """Each "unique users" row is one user as Zoom counted them: two "Lou"s are two people, and
    "Andrew" with an email and "Andrew" without are two people (adding them up once signed a
    71-minute slip for someone present 19 or 52)."""
    report = parse(
        "Name (Original Name),User Email,Total Duration (Minutes),Guest\n"
        "Kim (Host),kim@example.org,70,No\n"
        "Lou,,12.5,Yes\n"
        "Lou,,10,Yes\n"
        "Andrew,andrew@example.net,19,No\n"
        "Andrew,,52,Yes\n"
    )
    assert [(p.name, p.total_seconds, p.intervals, p.is_host) for p in report.participants] == [
        ("Kim", 4200, (), True),
        ("Lou", 750, (), False),
        ("Lou", 600, (), False),
        ("Andrew", 1140, (), False),
        ("Andrew", 3120, (), False),
    ]


# --- dates and times ----------------------------------------------------------------------------


def join_time(cell: str, day: tuple[int, int, int], zone: ZoneInfo = CHICAGO) -> datetime:
    """Return the UTC join time read from a one-row Zoom report for a session on `day`."""
    window = session(zone, day, "19:00", "20:00")
    report = parse(zoom(f'Kim,,"{cell}","{cell}",0,No', summary=""), zone, window)
    return report.participants[0].intervals[0][0]


@pytest.mark.parametrize(
    ("cell", "session_day", "local"),
    [
        # One reading lands within a day of the session: it wins.
        ("3/4/2025 7:00:00 PM", (2025, 3, 4), (2025, 3, 4, 19, 0)),
        ("4/3/2025 7:00:00 PM", (2025, 3, 4), (2025, 3, 4, 19, 0)),
        ("04/03/2025 19:00", (2025, 3, 4), (2025, 3, 4, 19, 0)),
        ("03/04/2025 19:00", (2025, 3, 4), (2025, 3, 4, 19, 0)),
        ("3/5/2025 12:10:00 AM", (2025, 3, 4), (2025, 3, 5, 0, 10)),
        ("5/3/2025 00:10", (2025, 3, 4), (2025, 3, 5, 0, 10)),
        # A reading that is no date is never chosen.
        ("13/4/2025 7:00:00 PM", (2025, 6, 1), (2025, 4, 13, 19, 0)),
        ("4/13/2025 19:00", (2025, 6, 1), (2025, 4, 13, 19, 0)),
        # Unambiguous spellings.
        ("2025-03-04 19:00:00", (2025, 6, 1), (2025, 3, 4, 19, 0)),
        ("2025-03-04T19:00:00", (2025, 3, 4), (2025, 3, 4, 19, 0)),
        ("04.03.2025 19:00", (2025, 4, 3), (2025, 3, 4, 19, 0)),
        ("8/3/25, 9:58:03 AM", (2025, 8, 3), (2025, 8, 3, 9, 58, 3)),
        ("3/4/2025 12:00:00 AM", (2025, 3, 4), (2025, 3, 4, 0, 0)),
        ("3/4/2025 12:30:00 pm", (2025, 3, 4), (2025, 3, 4, 12, 30)),
        ("  3/4/2025   7:00 p.m. ", (2025, 3, 4), (2025, 3, 4, 19, 0)),
    ],
)
def test_dates_are_settled_against_the_session(cell, session_day, local):
    assert join_time(cell, session_day) == datetime(*local, tzinfo=CHICAGO).astimezone(UTC)


@pytest.mark.parametrize("cell", ["3/4/2025 7:00:00 PM", "3/4/2025 19:00", "03/04/25, 19:00:00"])
def test_a_day_month_order_the_session_cannot_settle_is_refused_not_guessed(cell):
    with pytest.raises(ReportError) as refused:
        join_time(cell, (2025, 6, 1))
    assert refused.value.line == 2
    assert "could be 2025-03-04 or 2025-04-03, and the session is on 2025-06-01" in str(
        refused.value
    )
    assert "nothing is guessed" in refused.value.reason


@pytest.mark.parametrize(
    ("cell", "zone", "day", "expected"),
    [
        ("3/9/2025 1:30:00 AM", CHICAGO, (2025, 3, 9), utc(2025, 3, 9, 7, 30)),  # CST, UTC-6
        ("3/9/2025 3:30:00 AM", CHICAGO, (2025, 3, 9), utc(2025, 3, 9, 8, 30)),  # CDT, UTC-5
        ("26/10/2025 00:30", LONDON, (2025, 10, 26), utc(2025, 10, 25, 23, 30)),  # BST
        ("26/10/2025 01:30", LONDON, (2025, 10, 26), utc(2025, 10, 26, 0, 30)),  # fold=0: BST
        ("26/10/2025 02:30", LONDON, (2025, 10, 26), utc(2025, 10, 26, 2, 30)),  # GMT
    ],
)
def test_daylight_saving_changes(cell, zone, day, expected):
    assert join_time(cell, day, zone) == expected


# --- Microsoft Teams ----------------------------------------------------------------------------

TEAMS_24H = (
    "1. Summary\n"
    "Meeting title\tMonday SMART\n"
    "Start time\t15/11/22, 09:30:17\n"
    "\n"
    "2. Participants\n"
    "Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tParticipant ID (UPN)\tRole\n"
    "Jo Host\t15/11/22, 09:30:17\t15/11/22, 10:31:00\t1h 0m 43s\tjo@example.org\t\tOrganizer\n"
    "Ravi\t15/11/22, 09:35:00\t15/11/22, 10:30:00\t45m\travi@example.org\t\tPresenter\n"
    "\n"
    "3. In-Meeting Activities\n"
    "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\n"
    "Jo Host\t15/11/22, 09:30:17\t15/11/22, 10:31:00\t1h 0m 43s\tjo@example.org\tOrganizer\n"
    "Ravi\t15/11/22, 09:35:00\t15/11/22, 09:50:00\t15m\travi@example.org\tPresenter\n"
    "Ravi\t15/11/22, 10:00:00\t15/11/22, 10:30:00\t30m\travi@example.org\tPresenter\n"
)
TEAMS_24H_SESSION = session(LONDON, (2022, 11, 15), "09:30", "10:30")


def test_teams_utf16_with_24_hour_day_first_dates():
    data = TEAMS_24H.replace("\n", "\r\n").encode("utf-16")
    report = parse(data, LONDON, TEAMS_24H_SESSION)
    assert (report.format, report.rows) == ("teams", 3)
    assert people(report) == [
        ("Jo Host", (), "jo@example.org", ((utc(2022, 11, 15, 9, 30, 17),
                                             utc(2022, 11, 15, 10, 31)),), None, True),
        ("Ravi", (), "ravi@example.org", ((utc(2022, 11, 15, 9, 35), utc(2022, 11, 15, 9, 50)),
                                          (utc(2022, 11, 15, 10, 0), utc(2022, 11, 15, 10, 30))),
         None, False),
    ]  # fmt: skip
    assert [p.first_line for p in report.participants] == [12, 13]


def test_teams_with_only_the_participants_section():
    section_2 = TEAMS_24H.split("\n3. ")[0] + "\n"
    report = parse(section_2.encode("utf-16"), LONDON, TEAMS_24H_SESSION)
    jo, ravi = report.participants
    assert report.rows == 2
    assert jo.intervals == ((utc(2022, 11, 15, 9, 30, 17), utc(2022, 11, 15, 10, 31)),)
    # 45 minutes in meeting between 9:35 and 10:30: away in between, so only the total is known.
    assert (ravi.intervals, ravi.total_seconds) == ((), 45 * 60)


def test_teams_table_without_section_titles():
    table = TEAMS_24H.split("3. In-Meeting Activities\n")[1]
    report = parse(table.encode("utf-16"), LONDON, TEAMS_24H_SESSION)
    assert (report.format, report.rows, len(report.participants)) == ("teams", 3, 2)


def test_teams_whose_first_lines_have_more_commas_than_tabs():
    summary = "1. Summary\n" + "Note, with, commas\n" * 8 + "\n"
    table = TEAMS_24H.split("\n\n3. ")[1]
    report = parse((summary + "3. " + table).encode("utf-16"), LONDON, TEAMS_24H_SESSION)
    assert (report.format, report.rows) == ("teams", 3)


@pytest.mark.parametrize(
    ("role", "is_host"),
    [("Organizer", True), ("Co-organizer", True), ("presenter", False), ("Attendee", False)],
)
def test_teams_roles(role, is_host):
    report = parse(
        "3. In-Meeting activities\nName\tJoin time\tLeave time\tDuration\tEmail\tRole\n"
        f"Jo\t8/3/25, 10:00:00 AM\t8/3/25, 10:30:00 AM\t30m\t\t{role}\n",
        LONDON,
        TEAMS_SESSION,
    )
    assert report.participants[0].is_host is is_host


@pytest.mark.parametrize(
    "shown",
    ["Dana K (Guest)", "Dana K (External)", "Dana K (Unverified)", "Dana K (Invité)",
     "Dana K (Convidado) (External)", "Dana K  (guest)"],
)  # fmt: skip
def test_teams_account_markers_are_not_part_of_the_name(shown):
    report = parse(
        "3. In-Meeting activities\nName\tJoin time\tLeave time\tDuration\tEmail\tRole\n"
        f"{shown}\t8/3/25, 10:00:00 AM\t8/3/25, 10:30:00 AM\t30m\t\tAttendee\n"
        "Dana K\t8/3/25, 10:35:00 AM\t8/3/25, 10:50:00 AM\t15m\t\tAttendee\n",
        LONDON,
        TEAMS_SESSION,
    )
    (dana,) = report.participants
    assert dana.name == "Dana K" and len(dana.intervals) == 2


def test_a_teams_name_that_is_only_a_marker_keeps_it():
    report = parse(
        "3. In-Meeting activities\nName\tJoin time\tLeave time\tDuration\tEmail\tRole\n"
        "(Guest)\t8/3/25, 10:00:00 AM\t8/3/25, 10:30:00 AM\t30m\t\tAttendee\n",
        LONDON,
        TEAMS_SESSION,
    )
    assert report.participants[0].name == "(Guest)"


# --- Google Meet --------------------------------------------------------------------------------

MEET_HEADER = "First name,Last name,Email,Duration,Time joined,Time exited\n"


def test_meet_across_midnight():
    window = session(NEW_YORK, (2025, 3, 4), "23:30", "00:30")
    report = parse(
        MEET_HEADER + "Night,Owl,owl@example.org,40 min,11:40 PM,12:20 AM\n"
        "Late,,,5 min,12:10 AM,12:15 AM\n",
        NEW_YORK,
        window,
    )
    assert [p.intervals for p in report.participants] == [
        ((utc(2025, 3, 5, 4, 40), utc(2025, 3, 5, 5, 20)),),
        ((utc(2025, 3, 5, 5, 10), utc(2025, 3, 5, 5, 15)),),
    ]


def test_meet_exit_after_midnight_of_an_evening_session():
    window = session(NEW_YORK, (2025, 3, 4), "22:00", "23:30")
    report = parse(MEET_HEADER + "Sam,,,,10:55 PM,12:05 AM\n", NEW_YORK, window)
    assert report.participants[0].intervals == ((utc(2025, 3, 5, 3, 55), utc(2025, 3, 5, 5, 5)),)


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [
        ("1 hr 2 min", 3720),
        ("45 min", 2700),
        ("1h 27m 51s", 5271),
        ("2 hrs", 7200),
        ("30 sec", 30),
        ("1:02:03", 3723),
        (" 1 hour, 5 minutes ", 3900),
    ],
)
def test_meet_duration_without_times_is_a_total(duration, seconds):
    report = parse(MEET_HEADER + f'Robin,H.,,"{duration}",,\n', NEW_YORK, MEET_SESSION)
    (robin,) = report.participants
    assert (robin.name, robin.intervals, robin.total_seconds) == ("Robin H.", (), seconds)


# --- refusals -----------------------------------------------------------------------------------

BAD_TIME_ON_LINE_7 = zoom(
    "Kim,kim@example.org,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No",
    "Lou,,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No",
    "Max,,13/45/2025 7:00,3/4/2025 7:10:00 PM,10,No",
)


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", None, "the file is empty"),
        (b"\xef\xbb\xbf", None, "the file is empty"),
        (b"\r\n \r\n", None, "the file is empty"),
        (b",,,,,,\n,,,\n", None, "the file is empty"),
        ("\ufeff".encode("utf-16"), None, "the file is empty"),
        (BAD_TIME_ON_LINE_7, 7,
         'line 7: "Join Time" value "13/45/2025 7:00" is not a date and time'),
        (zoom("Kim,,3/4/2025 7:10:00 PM,3/4/2025 7:00:00 PM,10,No"), 5,
         'line 5: "Leave Time" "3/4/2025 7:00:00 PM" is before "Join Time" "3/4/2025 7:10:00 PM"'),
        (zoom("Kim,,3/4/2025 7:10:00 PM,,10,No"), 5, 'line 5: "Leave Time" is empty'),
        (zoom("Kim,,3/4/2025 7:10:00 PM"), 5, 'line 5: "Leave Time" is empty'),
        (zoom(",,3/4/2025 7:10:00 PM,3/4/2025 7:20:00 PM"), 5,
         'line 5: "Name (Original Name)" is empty and the row has no email'),
        (zoom("Kim,,3/4/2025 25:10:00,3/4/2025 7:20:00 PM"), 5, "is not a date and time"),
        (zoom('"Two\nLines",,3/4/2025 7:00:00 PM,3/4/2025 7:20:00 PM', "Kim,,soon,later"), 7,
         '"Join Time" value "soon"'),
        (zoom(), 4, "line 4: no attendance rows follow the header"),
        (ZOOM_SUMMARY, 1, "not a participant report this service reads: expected a Zoom"),
        (b"id,amount\n1,2\n", 1, "Teams attendance report or attendance list, or a Google Meet"),
        (b"\x00\x01\x02\x03garbage", 1, "not UTF-8 or UTF-16 text (it holds binary zeros)"),
        (b"Name,Join Time\nKim,3/4/2025 7:00:00 PM\n", 1, 'has no "Leave Time" column'),
        (MEET_HEADER.replace(",Time exited", "") + "Robin,,,,,\n", 1, 'no "Time exited" column'),
        (MEET_HEADER + "Robin,,,,10:00 PM,\n", 2,
         'the row needs both "Time joined" and "Time exited", or a duration'),
        (MEET_HEADER + "Robin,,,soon,,\n", 2, '"Duration" value "soon" is not a length of time'),
        ("Name (Original Name),User Email,Total Duration (Minutes)\nKim,,seventy\n", 2,
         '"Total Duration (Minutes)" value "seventy" is not a number of minutes'),
        (b"Name,Join Time,Leave Time\nKim,\xff\n", 2, "not UTF-8 or UTF-16 text"),
        (b"\xff\xfeN\x00a", None, "not UTF-8 or UTF-16 text"),
        ("1. Summary\nTitle\tx\n\n3. In-Meeting activities\nName\tEmail\n", 5,
         'the "3. In-Meeting activities" table has no "Join time", "Leave time" column'),
        ("1. Summary\nTitle\tx\n\n2. Participants\n", 4,
         'the "2. Participants" section has no table'),
    ],
)  # fmt: skip
def test_refused_files_say_why_and_where(data, line, message):
    with pytest.raises(ReportError) as refused:
        parse(data)
    assert refused.value.line == line
    assert message in str(refused.value)


def test_a_bad_time_names_its_line():
    with pytest.raises(ReportError) as refused:
        parse(BAD_TIME_ON_LINE_7)
    assert (refused.value.line, refused.value.reason) == (
        7,
        '"Join Time" value "13/45/2025 7:00" is not a date and time',
    )


def test_more_rows_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(model, "MAX_DATA_ROWS", 3)
    row = "Kim,,3/4/2025 7:00:00 PM,3/4/2025 7:10:00 PM,10,No"
    assert parse(zoom(*[row] * 3)).rows == 3
    with pytest.raises(ReportError, match="more than 3 attendance rows") as refused:
        parse(zoom(*[row] * 4))
    assert refused.value.line == 8


def test_a_file_longer_than_any_report_is_refused(monkeypatch):
    monkeypatch.setattr(model, "MAX_DATA_ROWS", 3)
    with pytest.raises(ReportError, match="more than 3 attendance rows"):
        parse(zoom() + "\n" * 2_000)


def test_session_times_must_be_aware():
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_participant_report(ZOOM_SAMPLE, CHICAGO, datetime(2025, 3, 4, 19), ZOOM_SESSION[1])


# --- a large report -----------------------------------------------------------------------------


def zoom_clock(moment: datetime) -> str:
    return f"{moment:%-m/%-d/%Y} {moment.hour % 12 or 12}:{moment:%M:%S %p}"


def test_a_50000_row_zoom_report():
    start = ZOOM_SESSION[0]
    rows = [
        f"Person {n % 2000} (Original {n % 2000}),p{n % 2000}@example.org,"
        f"{zoom_clock(start + timedelta(seconds=n % 3600))},"
        f"{zoom_clock(start + timedelta(seconds=n % 3600 + 600))},10,No"
        for n in range(50_000)
    ]
    report = parse(zoom(*rows))
    assert (report.format, report.rows, len(report.participants)) == ("zoom", 50_000, 2000)
    assert sum(len(p.intervals) for p in report.participants) == 50_000
    first = report.participants[0]
    assert (first.name, first.aliases, first.email, first.first_line) == (
        "Person 0",
        ("Original 0",),
        "p0@example.org",
        5,
    )
    assert first.intervals[0] == (utc(2025, 3, 5, 1, 0), utc(2025, 3, 5, 1, 10))


# --- any bytes at all ---------------------------------------------------------------------------


def parses_or_refuses(data: bytes, zone: ZoneInfo = CHICAGO, window=ZOOM_SESSION) -> None:
    try:
        report = parse_participant_report(data, zone, *window)
    except ReportError as error:
        assert error.reason
        assert error.line is None or error.line >= 1
    else:
        assert isinstance(report, ParsedReport)
        assert report.rows >= 1
        assert all(p.name for p in report.participants)
        assert all(a <= b for p in report.participants for a, b in p.intervals)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2_000))
def test_any_bytes_parse_or_raise_report_error(data):
    parses_or_refuses(data)


SAMPLES = [(sample_bytes(name), name) for name in SAMPLE_NAMES]
MUTATION_BYTES = st.sampled_from(
    [b",", b"\t", b"\n", b"\r\n", b'"', b"(", b")", b"/", b":", b" ", b"0", b"9", b"PM", b"\x00",
     b"\xff", b"\xc3", b"1. Summary\n", b",,,,,,\n", b"99/99/9999 99:99:99 PM", b"\xef\xbb\xbf"]
) | st.binary(min_size=1, max_size=8)  # fmt: skip


@st.composite
def mutated_samples(draw) -> tuple[bytes, str]:
    data, name = draw(st.sampled_from(SAMPLES))
    if name.startswith("teams") and draw(st.booleans()):
        text = data.decode("utf-16")
        index = draw(st.integers(0, len(text)))
        piece = draw(st.text(max_size=12))
        return (text[:index] + piece + text[index:]).encode("utf-16"), name
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 12))
        data = data[:index] + draw(MUTATION_BYTES) + data[index + cut :]
    return data, name


WINDOWS = {
    "zoom-participants.csv": (CHICAGO, ZOOM_SESSION),
    "zoom-participants-unique.csv": (CHICAGO, ZOOM_SESSION),
    "teams-attendance.csv": (LONDON, TEAMS_SESSION),
    "meet-attendance.csv": (NEW_YORK, MEET_SESSION),
}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_samples())
def test_mutated_samples_parse_or_raise_report_error(sample):
    data, name = sample
    zone, window = WINDOWS[name]
    parses_or_refuses(data, zone, window)
