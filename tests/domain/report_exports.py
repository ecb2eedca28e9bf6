"""Write participant reports the way each platform exports them, from people whose presence the
test knows, and compute every person's minutes independently of the service's code.

Built from the facts in ../shared/docs/domain.md ("Participant report formats"); the labels are
this test's own, including a language the service lists nowhere (Swedish), so the service must
recognise its columns by what they hold.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import datetime

# --- people and the truth about them ----------------------------------------------------------


@dataclass
class Person:
    name: str
    email: str | None
    intervals: list[tuple[datetime, datetime]] = field(default_factory=list)  # local, aware


def true_minutes(person: Person, window: tuple[datetime, datetime]) -> int:
    """Return the minutes of presence inside the window, overlaps once, written from scratch."""
    start, end = window
    seconds = 0
    covered_until = start
    for join, leave in sorted(person.intervals):
        join, leave = max(join, covered_until), min(leave, end)
        if leave > join:
            seconds += int((leave - join).total_seconds())
            covered_until = leave
    return seconds // 60


# --- labels: (per-join Zoom, unique Zoom, Teams report, Teams list, Meet) by language ---------

ZOOM_LABELS = {
    # name, email, join, leave, minutes, guest, total minutes
    "en": ("Name (Original Name)", "User Email", "Join Time", "Leave Time", "Duration (Minutes)",
           "Guest", "Total Duration (Minutes)"),
    "ja": ("名前 (元の名前)", "ユーザーメール", "参加時刻", "退出時刻", "所要時間（分）", "ゲスト",
           "合計時間（分）"),
    "fr": ("Nom (nom d'origine)", "E-mail de l'utilisateur", "Heure d'arrivée", "Heure de départ",
           "Durée (minutes)", "Invité", "Durée totale (minutes)"),
    "de": ("Name (ursprünglicher Name)", "Benutzer-E-Mail", "Beitrittszeit", "Austrittszeit",
           "Dauer (Minuten)", "Gast", "Gesamtdauer (Minuten)"),
    "zh": ("名称(原始名称)", "用户邮箱", "加入时间", "离开时间", "时长(分钟)", "访客",
           "总时长(分钟)"),
    "sv": ("Namn (ursprungligt namn)", "Användarens e-post", "Anslutningstid", "Lämnade",
           "Längd (minuter)", "Gäst", "Total längd (minuter)"),
}  # fmt: skip
TEAMS_LABELS = {
    # sections, name, join, leave, duration, email, role, first join, last leave
    "en": (("1. Summary", "2. Participants", "3. In-Meeting activities"), "Name", "Join time",
           "Leave time", "Duration", "Email", "Role", "First join", "Last leave"),
    "fr": (("1. Résumé", "2. Participants", "3. Activités de la réunion"), "Nom", "Heure d'arrivée",
           "Heure de départ", "Durée", "E-mail", "Rôle", "Première arrivée", "Dernier départ"),
    "pt": (("1. Resumo", "2. Participantes", "3. Atividades na reunião"), "Nome",
           "Hora de entrada", "Hora de saída", "Duração", "Email", "Função", "Primeira entrada",
           "Última saída"),
    "sv": (("1. Sammanfattning", "2. Deltagare", "3. Aktiviteter i mötet"), "Namn",
           "Anslutningstid", "Lämnade", "Varaktighet", "E-post", "Roll", "Första anslutning",
           "Senaste avslut"),
}  # fmt: skip
TEAMS_LIST_LABELS = {
    # name, action, timestamp, joined, joined before, left
    "en": ("Full Name", "User Action", "Timestamp", "Joined", "Joined before", "Left"),
    "fr": ("Nom complet", "Action de l'utilisateur", "Horodatage", "A rejoint", "A rejoint avant",
           "A quitté"),
    "pt": ("Nome Completo", "Atividade", "Data e hora", "Entrou", "Entrou antes", "Saiu"),
    "de": ("Vollständiger Name", "Benutzeraktion", "Zeitstempel", "Beigetreten",
           "Vorher beigetreten", "Verlassen"),
    "sv": ("Fullständigt namn", "Användaråtgärd", "Tidsstämpel", "Anslöt", "Anslöt", "Lämnade"),
}  # fmt: skip
MEET_LABELS = {
    "en": ("Name", "Email", "Duration", "Time joined", "Time exited"),
    "es": ("Nombre", "Correo electrónico", "Duración", "Hora de entrada", "Hora de salida"),
}

# --- times ----------------------------------------------------------------------------------


def us_time(moment: datetime) -> str:
    """`3/4/2025 7:05:00 PM`: month first, hour not padded (US Zoom)."""
    day = f"{moment.month}/{moment.day}/{moment.year}"
    return f"{day} {_twelve(moment)}:{moment:%M:%S} {_ampm(moment)}"


def day_first(moment: datetime) -> str:
    """`04/03/2025 19:05:00`."""
    return f"{moment:%d/%m/%Y %H:%M:%S}"


def french(moment: datetime) -> str:
    """`04/03/2025 à 19:05:00` (Teams in French)."""
    return f"{moment:%d/%m/%Y} à {moment:%H:%M:%S}"


def japanese(moment: datetime) -> str:
    """`2025/3/4 19:05` (Zoom in Japanese, single-digit parts, no seconds)."""
    return f"{moment.year}/{moment.month}/{moment.day} {moment.hour}:{moment:%M}"


def dotted(moment: datetime) -> str:
    """`04.03.2025 19:05:00` (German)."""
    return f"{moment:%d.%m.%Y %H:%M:%S}"


def teams_us(moment: datetime) -> str:
    """`3/4/25, 7:05:00 PM` (Teams, US)."""
    return (
        f"{moment.month}/{moment.day}/{moment:%y}, {_twelve(moment)}:{moment:%M:%S} {_ampm(moment)}"
    )


def teams_day_first(moment: datetime) -> str:
    """`04/03/25, 19:05:00` (Teams, most other locales)."""
    return f"{moment:%d/%m/%y, %H:%M:%S}"


def iso_like(moment: datetime) -> str:
    """`2025-03-04 19:05:00`."""
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def time_of_day(moment: datetime) -> str:
    """`7:05 PM` (Meet)."""
    return f"{_twelve(moment)}:{moment:%M} {_ampm(moment)}"


DATE_FORMATS = (us_time, day_first, french, japanese, dotted, teams_us, teams_day_first, iso_like)


def _twelve(moment: datetime) -> int:
    return moment.hour % 12 or 12


def _ampm(moment: datetime) -> str:
    return "PM" if moment.hour >= 12 else "AM"


def teams_length(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return (
        " ".join(f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (seconds, "s")) if n)
        or "0s"
    )


def meet_length(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours} hr {minutes} min" if hours else f"{minutes} min"


# --- writing files --------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How a file is saved: separator, encoding, column order shuffled or not."""

    separator: str = ","
    encoding: str = "utf-8"
    shuffle_seed: int | None = None


def encode(rows: list[list[str]], style: Style) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=style.separator, lineterminator="\r\n").writerows(rows)
    text = out.getvalue()
    boms = {"utf-16-le-bom": ("utf-16-le", "\ufeff"), "utf-16-be-bom": ("utf-16-be", "\ufeff"),
            "utf-8-sig": ("utf-8", "\ufeff")}  # fmt: skip
    encoding, bom = boms.get(style.encoding, (style.encoding, ""))
    return (bom + text).encode(encoding)


def shuffled(table: list[list[str]], style: Style, keep_first: bool) -> list[list[str]]:
    """Return the table with its columns in another order (the first kept when asked)."""
    if style.shuffle_seed is None:
        return table
    width = len(table[0])
    order = list(range(1, width)) if keep_first else list(range(width))
    random.Random(style.shuffle_seed).shuffle(order)
    order = [0, *order] if keep_first else order
    return [[row[j] for j in order] for row in table]


def zoom_per_join(people: list[Person], language: str, when, style: Style) -> bytes:
    name, email, join, leave, minutes, guest, _ = ZOOM_LABELS[language]
    table = [[name, email, join, leave, minutes, guest]]
    rows = [
        (a, [p.name, p.email or "", when(a), when(b), str(-(-int((b - a).total_seconds()) // 60)),
             "No"])
        for p in people
        for a, b in p.intervals
    ]  # fmt: skip
    table += [row for _, row in sorted(rows, key=lambda item: item[0])]
    return encode(shuffled(table, style, keep_first=language == "sv"), style)


def zoom_unique(totals: list[tuple[str, str | None, int]], language: str, style: Style) -> bytes:
    name, email, *_, total = ZOOM_LABELS[language]
    table = [[name, email, total, ZOOM_LABELS[language][5]]]
    table += [[n, e or "", str(minutes), "No"] for n, e, minutes in totals]
    return encode(shuffled(table, style, keep_first=True), style)


def teams_report(people: list[Person], language: str, when, style: Style) -> bytes:
    sections, name, join, leave, duration, email, role, first, last = TEAMS_LABELS[language]
    rows: list[list[str]] = [[sections[0]], ["Meeting title", "Weekly"], [], [sections[1]]]
    rows.append([name, first, last, duration, email, role])
    for p in people:
        a, b = min(j for j, _ in p.intervals), max(leave for _, leave in p.intervals)
        spent = sum(int((y - x).total_seconds()) for x, y in p.intervals)
        rows.append([p.name, when(a), when(b), teams_length(spent), p.email or "", "Attendee"])
    rows += [[], [sections[2]], [name, join, leave, duration, email, role]]
    for p in people:
        for a, b in p.intervals:
            seconds = int((b - a).total_seconds())
            rows.append(
                [p.name, when(a), when(b), teams_length(seconds), p.email or "", "Attendee"]
            )
    return encode(rows, style)


def teams_list(
    people: list[Person], language: str, when, style: Style, still_in: set[str] = frozenset()
) -> bytes:
    """One row per event; people named in `still_in` have no leave for their last join."""
    name, action, stamp, joined, _, left = TEAMS_LIST_LABELS[language]
    events = []
    for p in people:
        for n, (a, b) in enumerate(p.intervals):
            events.append((a, 0, [p.name, joined, when(a)]))
            if not (p.name in still_in and n == len(p.intervals) - 1):
                events.append((b, 1, [p.name, left, when(b)]))
    table = [[name, action, stamp]] + [row for *_, row in sorted(events, key=lambda e: e[:2])]
    return encode(shuffled(table, style, keep_first=True), style)


def meet_report(people: list[Person], language: str, style: Style, title: bool) -> bytes:
    name, email, duration, joined, exited = MEET_LABELS[language]
    rows: list[list[str]] = (
        [["Weekly meeting"], ["Meeting code", "abc-defg-hij"], []] if title else []
    )
    rows.append([name, email, duration, joined, exited])
    for p in people:
        for a, b in p.intervals:
            rows.append([p.name, p.email or "", meet_length(int((b - a).total_seconds())),
                         time_of_day(a), time_of_day(b)])  # fmt: skip
    return encode(rows, style)
