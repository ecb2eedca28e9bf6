"""Every report shape, in several UI languages, separators and encodings: each person's minutes
come out exactly as an independent computation says, or the file is refused."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from compliance.domain.presence import present_seconds
from compliance.domain.reports import ParsedReport, ReportError, parse_participant_report
from tests.domain.report_exports import (
    Person,
    Style,
    day_first,
    dotted,
    french,
    iso_like,
    japanese,
    meet_report,
    teams_day_first,
    teams_list,
    teams_report,
    teams_us,
    true_minutes,
    us_time,
    zoom_per_join,
    zoom_unique,
)

CHICAGO = ZoneInfo("America/Chicago")
WINDOW = (datetime(2025, 3, 4, 19, 0, tzinfo=CHICAGO), datetime(2025, 3, 4, 20, 0, tzinfo=CHICAGO))


def at(clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(2025, 3, 4, hour, minute, tzinfo=CHICAGO)


def people() -> list[Person]:
    return [
        Person("Dana Kowalski", "dana@example.net", [(at("18:58"), at("19:31")),
                                                     (at("19:33"), at("20:01"))]),
        Person("José Álvarez", None, [(at("19:12"), at("19:40"))]),
        Person("Morgan Lee", "morgan@example.com", [(at("18:59"), at("20:00"))]),
        Person("山田 太郎", None, [(at("19:00"), at("19:20")), (at("19:25"), at("19:50"))]),
    ]  # fmt: skip


EXPECTED = {p.name: true_minutes(p, WINDOW) for p in people()}


def parse(data: bytes) -> ParsedReport:
    return parse_participant_report(data, CHICAGO, *WINDOW)


def minutes_by_name(report: ParsedReport) -> dict[str, int]:
    utc_window = tuple(moment.astimezone(ZoneInfo("UTC")) for moment in WINDOW)
    found = {}
    for person in report.participants:
        assert person.name not in found, f"{person.name} appears twice"
        if person.total_seconds is not None:
            found[person.name] = min(person.total_seconds, 3600) // 60
        else:
            found[person.name] = present_seconds(person.intervals, utc_window) // 60
    return found


STYLES = [
    Style(","),
    Style(";", "utf-8-sig"),
    Style("\t", "utf-16-le-bom"),
    Style("\t", "utf-16-le"),
    Style(";", "utf-16-be"),
    Style(",", "utf-16-be-bom", shuffle_seed=3),
    Style("\t", "utf-8", shuffle_seed=7),
]


@pytest.mark.parametrize("style", STYLES, ids=repr)
@pytest.mark.parametrize(
    ("language", "when"),
    [("en", us_time), ("en", day_first), ("ja", japanese), ("fr", day_first), ("de", dotted),
     ("zh", iso_like), ("sv", day_first)],
)  # fmt: skip
def test_zoom_per_join(language, when, style):
    report = parse(zoom_per_join(people(), language, when, style))
    assert report.format == "zoom"
    assert minutes_by_name(report) == EXPECTED


@pytest.mark.parametrize("style", STYLES, ids=repr)
@pytest.mark.parametrize("language", ["en", "ja", "fr", "de", "zh", "sv"])
def test_zoom_unique_users(language, style):
    totals = [("Dana K (Dana Kowalski)", "dana@example.net", 62), ("Andrew", "a@example.org", 19),
              ("Andrew", None, 52), ("iPhone de José", None, 28)]  # fmt: skip
    report = parse(zoom_unique(totals, language, style))
    assert report.format == "zoom-unique"
    got = [(p.name, p.email, p.total_seconds // 60) for p in report.participants]
    assert got == [("Dana K", "dana@example.net", 62), ("Andrew", "a@example.org", 19),
                   ("Andrew", None, 52), ("iPhone de José", None, 28)]  # fmt: skip


@pytest.mark.parametrize(
    "style", [Style("\t", "utf-16-le-bom"), Style(",", "utf-8-sig"), Style(";", "utf-16-be")],
    ids=repr,
)  # fmt: skip
@pytest.mark.parametrize(
    ("language", "when"),
    [("en", teams_us), ("en", teams_day_first), ("fr", french), ("pt", teams_day_first),
     ("sv", iso_like)],
)  # fmt: skip
def test_teams_report_reads_its_join_and_leave_section(language, when, style):
    report = parse(teams_report(people(), language, when, style))
    assert report.format == "teams"
    assert minutes_by_name(report) == EXPECTED


@pytest.mark.parametrize(
    "style",
    [Style("\t", "utf-16-le-bom"), Style(",", "utf-8-sig"), Style(";", "utf-8"),
     Style("\t", "utf-16-be", shuffle_seed=1)],
    ids=repr,
)  # fmt: skip
@pytest.mark.parametrize(
    ("language", "when"),
    [("en", teams_us), ("fr", french), ("pt", day_first), ("de", dotted), ("sv", iso_like)],
)
def test_teams_attendance_list_pairs_each_join_with_the_next_leave(language, when, style):
    # Morgan never left before the list was downloaded: present until the scheduled end.
    report = parse(teams_list(people(), language, when, style, still_in={"Morgan Lee"}))
    assert report.format == "teams"
    assert minutes_by_name(report) == EXPECTED


@pytest.mark.parametrize("title", [True, False])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("style", [Style(","), Style(";", "utf-16-le-bom")], ids=repr)
def test_google_meet_report_with_or_without_a_title_block(language, title, style):
    report = parse(meet_report(people(), language, style, title))
    assert report.format == "meet"
    assert minutes_by_name(report) == EXPECTED


def test_meet_extension_with_first_seen_and_time_in_call():
    data = (
        b'"*  Meeting code: abc-defg-hij"\n"*  Created on: 2025-03-04 18:55"\n'
        b'"*  Ended on: 2025-03-04 20:03"\n\n'
        b'"Full Name","First Seen","Time in Call"\n'
        b'"Robin H.","6:58 PM","1:02:00"\n"Taylor","7:10 PM","0:45:30"\n'
    )
    report = parse(data)
    assert report.format == "meet"
    assert minutes_by_name(report) == {"Robin H.": 60, "Taylor": 45}


def test_meet_extension_per_class_with_segments():
    data = (
        b"Attendance for: Tuesday Circle on 2025-03-04\n\n"
        b"Robin H.\tPresent\t18:58 (33min) [19:31]\t19:33 (27min) [20:00]\n"
        b"Taylor\tLate\t19:10 (45min) [19:55]\n"
        b"Sam\tAbsent\t\n"
    )
    report = parse(data)
    assert report.format == "meet"
    assert minutes_by_name(report) == {"Robin H.": 58, "Taylor": 45, "Sam": 0}


# --- same name, no email ----------------------------------------------------------------------


def test_zoom_rows_of_one_name_that_overlap_are_kept_apart_and_flagged():
    andrews = [
        Person("Andrew", None, [(at("19:00"), at("19:30"))]),
        Person("Andrew", None, [(at("19:10"), at("20:00"))]),
    ]
    bo = Person("Bo", None, [(at("19:00"), at("19:30")), (at("19:32"), at("20:00"))])
    report = parse(zoom_per_join([*andrews, bo], "en", us_time, Style()))
    flagged = sorted(
        present_seconds(p.intervals, tuple(m.astimezone(ZoneInfo("UTC")) for m in WINDOW)) // 60
        for p in report.participants
        if p.same_name_apart
    )
    assert flagged == [30, 50]  # never 60 for one "Andrew"
    (bo_parsed,) = [p for p in report.participants if p.name == "Bo"]
    assert not bo_parsed.same_name_apart and len(bo_parsed.intervals) == 2


def test_an_emailed_row_and_an_overlapping_row_of_the_same_name_are_two_people():
    report = parse(
        zoom_per_join(
            [Person("Andrew", "a@example.org", [(at("19:00"), at("19:19"))]),
             Person("Andrew", None, [(at("19:08"), at("20:00"))])],
            "en", us_time, Style(),
        )
    )  # fmt: skip
    assert [(p.email, p.same_name_apart) for p in report.participants] == [
        ("a@example.org", False),
        (None, True),
    ]


def test_a_teams_list_with_two_people_of_one_name_in_at_once_adds_them_apart_with_no_time():
    data = teams_list(
        [Person("Andrew", None, [(at("19:00"), at("19:30"))]),
         Person("Andrew", None, [(at("19:10"), at("20:00"))])],
        "en", us_time, Style(),
    )  # fmt: skip
    report = parse(data)
    assert [(p.name, p.intervals, p.same_name_apart) for p in report.participants] == [
        ("Andrew", (), True),
        ("Andrew", (), True),
    ]


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("Name,Join Time,Leave Time\nKim,3/4/2025 7:00 PM,3/4/2025 7:30 PM\n".encode("cp1252")
         + "Zoë,3/4/2025 7:00 PM,3/4/2025 7:30 PM\n".encode("cp1252"),
         "not UTF-8 or UTF-16 text"),
        (b"Full Name,User Action,Timestamp\nKim,Bounced,3/4/2025 7:00 PM\nKim,Hopped,"
         b"3/4/2025 7:30 PM\nLee,Hopped,3/4/2025 7:10 PM\n",
         "which of them means joining and which leaving cannot be told"),
        (b"Name,Email,Note\nKim,kim@example.org,hello\n", "not a participant report"),
    ],
)  # fmt: skip
def test_files_that_cannot_be_read_right_are_refused(data, words):
    with pytest.raises(ReportError) as refused:
        parse(data)
    assert words in str(refused.value)


def test_a_report_with_no_usable_times_is_refused():
    with pytest.raises(ReportError, match="not a date and time"):
        parse(b"Name,Join Time,Leave Time\nKim,soon,later\nLee,soon,later\nMo,3/4/2025 7:00 PM,x\n")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_teams_rows_of_one_name_without_email_that_overlap_are_kept_apart(language):
    report = parse(
        teams_report(
            [Person("Andrew", None, [(at("19:00"), at("19:30"))]),
             Person("Andrew", None, [(at("19:10"), at("20:00"))])],
            language, teams_day_first, Style("\t", "utf-16-le-bom"),
        )
    )  # fmt: skip
    assert [(p.name, len(p.intervals), p.same_name_apart) for p in report.participants] == [
        ("Andrew", 1, True),
        ("Andrew", 1, True),
    ]


@pytest.mark.parametrize(
    ("data", "recognised", "message"),
    [
        ("名前 (元の名前),ユーザーメール,参加時刻,退出時刻,所要時間（分）\n"
         "山田,,明日,昼,65\n佐藤,,あと,夜,3\n",
         "a Zoom participants report (one row per join) in Japanese",
         'line 2: the column "参加時刻" holds "明日", which is not a date and time'),
        ("Nom complet\tAction de l'utilisateur\tHorodatage\nAnne\tA rejoint\tdemain\n"
         "Bob\tA quitté\tplus tard\n",
         "a Microsoft Teams attendance list in French",
         'line 2: the column "Horodatage" holds "demain", which is not a date and time'),
        ("Nome Completo\tAtividade\tData e hora\nAna\tEntrou\t13/04/2021 09:00:00\n"
         "Ana\tSaiu\t13/04/2021 09:50:00\nRui\tEntrou\tamanhã\n",
         "a Microsoft Teams attendance list in Portuguese",
         'line 4: "Data e hora" value "amanhã" is not a date and time'),
    ],
)  # fmt: skip
def test_a_refusal_names_the_line_the_column_and_what_was_recognised(data, recognised, message):
    with pytest.raises(ReportError) as refused:
        parse(data.encode("utf-16"))
    assert refused.value.recognised == recognised
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1h 27m 51s", 5271), ("1 hr 2 min", 3720), ("1 Std. 2 Min.", 3720), ("1時間2分", 3720),
     ("58 min 29 s", 3509), ("2 horas 3 minutos", 7380), ("1 u 5 min", 3900), ("1,5 h", 5400),
     ("1:02:00", 3720), ("soon", None), ("", None)],
)  # fmt: skip
def test_lengths_in_several_languages(text, seconds):
    from compliance.domain.reports.durations import length_seconds

    assert length_seconds(text) == seconds


def test_a_per_person_teams_table_whose_duration_cannot_be_read_is_refused():
    # Without the in-meeting duration, first join to last leave would count time away.
    data = (
        "1. Zusammenfassung\nTitel\tWoche\n\n2. Teilnehmer\n"
        "Name\tErster Beitritt\tLetztes Verlassen\tDauer in der Besprechung\tE-Mail\tRolle\n"
        "Jonas\t04.03.2025 19:00:00\t04.03.2025 20:00:00\tlange\tj@example.de\tTeilnehmer\n"
    )
    with pytest.raises(ReportError, match='"Dauer in der Besprechung" value "lange" is not a len'):
        parse(data.encode("utf-16"))


def test_a_per_person_teams_table_counts_only_the_in_meeting_duration_when_shorter():
    data = (
        "1. Zusammenfassung\nTitel\tWoche\n\n2. Teilnehmer\n"
        "Name\tErster Beitritt\tLetztes Verlassen\tDauer in der Besprechung\tE-Mail\tRolle\n"
        "Jonas\t04.03.2025 19:00:00\t04.03.2025 20:00:00\t40 Min. 10 Sek.\tj@example.de\tTeiln.\n"
    )
    (jonas,) = parse(data.encode("utf-16")).participants
    assert (jonas.intervals, jonas.total_seconds) == ((), 2410)


def test_a_row_without_email_of_a_name_two_emails_share_is_nobodys_rejoin():
    report = parse(
        zoom_per_join(
            [Person("Alex", "alex1@example.org", [(at("19:00"), at("19:10"))]),
             Person("Alex", "alex2@example.org", [(at("19:00"), at("19:10"))]),
             Person("Alex", None, [(at("19:20"), at("20:00"))])],
            "en", us_time, Style(),
        )
    )  # fmt: skip
    assert [(p.email, len(p.intervals), p.same_name_apart) for p in report.participants] == [
        ("alex1@example.org", 1, False),
        ("alex2@example.org", 1, False),
        (None, 1, True),
    ]


def test_a_meet_class_export_with_no_time_in_the_call_is_refused():
    data = b"Attendance for: Tuesday Circle on 2025-03-04\n\nRobin H.\tAbsent\t\nTaylor\tAbsent\t\n"
    with pytest.raises(ReportError, match="no row has a time in the call"):
        parse(data)


def test_zoom_one_table_export_reads_each_participants_own_email():
    data = (
        b"Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,"
        b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        b"845,Circle,3/4/2025 6:55 PM,3/4/2025 8:04 PM,host@example.org,70,2,"
        b"Dana K (Dana Kowalski),dana@example.net,3/4/2025 6:58 PM,3/4/2025 8:00 PM,62,Yes\n"
        b",,,,,,,Kim,,3/4/2025 7:10 PM,3/4/2025 7:40 PM,30,Yes\n"
    )
    report = parse(data)
    assert report.format == "zoom"
    assert [(p.name, p.email) for p in report.participants] == [
        ("Dana K", "dana@example.net"),
        ("Kim", None),
    ]
    assert minutes_by_name(report) == {"Dana K": 60, "Kim": 30}


def test_zoom_one_table_export_in_a_language_nobody_listed_reads_the_peoples_columns():
    data = (
        "Mötes-ID,Ämne,Starttid,Sluttid,Användarens e-post,Längd,Deltagare,"
        "Namn (ursprungligt namn),Användarens e-post,Anslutningstid,Lämnade,Längd,Gäst\n"
        "845,Cirkel,04/03/2025 18:55,04/03/2025 20:04,host@example.org,70,2,"
        "Dana K,dana@example.net,04/03/2025 18:58,04/03/2025 20:00,62,Ja\n"
        ",,,,,,,Kim,,04/03/2025 19:10,04/03/2025 19:40,30,Ja\n"
    ).encode()
    with pytest.raises(ReportError):
        # No label says which column holds the names, and the first holds numbers: refused.
        parse(data)
    named = data.replace(b"Namn (ursprungligt namn)", b"Name (Original Name)")
    report = parse(named)
    assert [(p.name, p.email) for p in report.participants] == [
        ("Dana K", "dana@example.net"),
        ("Kim", None),
    ]
    assert minutes_by_name(report) == {"Dana K": 60, "Kim": 30}


@pytest.mark.parametrize(
    ("cell", "local"),
    [
        ("3/4/2025 7:05:00 PM", (19, 5, 0)),
        ("04/03/2025 à 19:05:00", (19, 5, 0)),
        ("04/03/2025 às 19:05", (19, 5, 0)),
        ("04.03.2025 um 19:05:00", (19, 5, 0)),
        ("04-03-2025 19.05.00", (19, 5, 0)),
        ("2025/3/4 19:05", (19, 5, 0)),
        ("2025年3月4日 19:05", (19, 5, 0)),
        ("2025/3/4 午後 7:05", (19, 5, 0)),
        ("2025/3/4 下午 7:05:30", (19, 5, 30)),
        ("2025. 3. 4. 오후 7:05:00", (19, 5, 0)),
        ("04/03/2025 7:05 p. m.", (19, 5, 0)),
        ("3/4/25, 7:05:00 PM", (19, 5, 0)),
        ("2025-03-04T19:05:00", (19, 5, 0)),
    ],
)
def test_date_and_time_spellings_of_many_locales(cell, local):
    from compliance.domain.reports.timeparse import ReportClock

    clock = ReportClock(CHICAGO, *WINDOW)
    assert clock.instant(cell) == datetime(2025, 3, 4, *local, tzinfo=CHICAGO)


@pytest.mark.parametrize(
    ("cell", "name", "aliases", "is_host"),
    [("山田（ホスト）", "山田", (), True), ("Anne (Hôte)", "Anne", (), True),
     ("Dana K（Dana Kowalski）", "Dana K", ("Dana Kowalski",), False),
     ("李 (主持人)", "李", (), True)],
)  # fmt: skip
def test_zoom_name_cells_in_other_languages(cell, name, aliases, is_host):
    from compliance.domain.reports.names import split_zoom_name

    assert tuple(split_zoom_name(cell)) == (name, aliases, is_host)


def test_time_in_the_waiting_room_is_not_time_in_the_meeting_in_any_language():
    data = (
        "名前 (元の名前),ユーザーメール,参加時刻,退出時刻,所要時間（分）,ゲスト,待機室内\n"
        "山田,,2025/3/4 19:00,2025/3/4 19:10,10,はい,はい\n"
        "山田,,2025/3/4 19:10,2025/3/4 19:40,30,はい,いいえ\n"
    ).encode()
    assert minutes_by_name(parse(data)) == {"山田": 30}


def test_teams_2021_report_of_first_join_last_leave_counts_only_time_surely_in_the_window():
    data = (
        "Meeting Summary\nTotal Number of Participants\t2\nMeeting Title\tCircle\n\n"
        "Full Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\tParticipant ID (UPN)\n"
        # In from 18:40 to 20:00 but in the meeting only 50 minutes of those 80: at most 20 of
        # them before 19:00, so at least 30 inside the window.
        "Alex\t3/4/25, 6:40:00 PM\t3/4/25, 8:00:00 PM\t50m\talex@example.org\tAttendee\t\n"
        "Sam\t3/4/25, 7:00:00 PM\t3/4/25, 8:00:00 PM\t1h\tsam@example.org\tOrganizer\t\n"
    ).encode("utf-16")
    report = parse(data)
    assert [(p.name, p.intervals == (), p.total_seconds) for p in report.participants] == [
        ("Alex", True, 30 * 60),
        ("Sam", False, None),
    ]


def test_a_meet_row_with_less_time_in_the_call_than_first_join_to_last_exit():
    data = (
        b"Name,Email,Duration,Time joined,Time exited\n"
        b"Robin,robin@example.org,40 min,6:40 PM,8:00 PM\n"  # at most 20 min before 7 PM
        b"Taylor,,45 min,7:10 PM,7:55 PM\n"
    )
    report = parse(data)
    assert [(p.name, p.intervals == (), p.total_seconds) for p in report.participants] == [
        ("Robin", True, 20 * 60),
        ("Taylor", False, None),
    ]
