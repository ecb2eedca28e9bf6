"""The report shapes the importer reads, as a facilitator finds them on their platform."""

from __future__ import annotations

from typing import NamedTuple


class ReadableShape(NamedTuple):
    """One shape: what it is, where a facilitator downloads it, and its table's header line."""

    name: str
    where: str
    header: str


READABLE_SHAPES = (
    ReadableShape(
        "Zoom participants report, one row per join",
        "Zoom web portal → Reports → Usage → Participants → Export",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
    ),
    ReadableShape(
        "Zoom participants report with “Show unique users”",
        "the same Participants window, “Show unique users” ticked",
        "Name (Original Name),User Email,Total Duration (Minutes),Guest",
    ),
    ReadableShape(
        "Microsoft Teams attendance report (2022 onwards)",
        "Teams meeting → Attendance → Download (UTF-16, tab-separated)",
        "Name · Join time · Leave time · Duration · Email · Role  (section “3. In-Meeting "
        "activities”; “2. Participants” when it is the only one)",
    ),
    ReadableShape(
        "Microsoft Teams attendance list (2020–2022)",
        "during the meeting: Participants → ⋯ → Download attendance list",
        "Full Name · User Action · Timestamp  (Joined / Joined before / Left)",
    ),
    ReadableShape(
        "Google Meet attendance report (Workspace)",
        "the report Google mails the organiser, with or without its title lines",
        "Name,Email,Duration,Time joined,Time exited  (or First name,Last name,…)",
    ),
    ReadableShape(
        "Google Meet attendance extension",
        "a browser extension's CSV export",
        '"Full Name","First Seen","Time in Call"   or   Attendance for: <class> on YYYY-MM-DD',
    ),
)

READING_NOTES = (
    "Labels in any UI language (French, Portuguese, German, Spanish, Italian, Dutch, "
    "Indonesian, Japanese, Chinese and others): columns are recognised by what they hold.",
    "Re-saved by a spreadsheet: comma, semicolon or tab separators; UTF-8 or UTF-16, "
    "with or without a byte-order mark.",
    "A date whose day and month order the session's date cannot settle is refused, never "
    "guessed; so is a report from another day.",
)
