"""Times as people read them: in the meeting's zone, with its offset; and back to UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint

from compliance.services.errors import InvalidInput


class NoSuchLocalTime(ValueError):
    """The wall-clock time is skipped on that date (clocks go forward)."""


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def clock(moment: datetime | None, zone: str) -> str:
    """Return "19:05" in the zone."""
    return local(moment, zone).strftime("%H:%M") if moment else ""


def day(moment: datetime, zone: str) -> str:
    """Return "Tuesday 4 March 2025" in the zone."""
    when = local(moment, zone)
    return f"{when:%A} {when.day} {when:%B %Y}"


def zone_label(moment: datetime, zone: str) -> str:
    """Return "CST, UTC−06:00, America/Chicago": the abbreviation, offset and IANA name."""
    when = local(moment, zone)
    offset = when.strftime("%z")
    sign = "−" if offset.startswith("-") else "+"
    return f"{when:%Z}, UTC{sign}{offset[1:3]}:{offset[3:]}, {zone}"


def to_utc(on: date, at: time, zone: str) -> datetime:
    """Return the UTC moment of a wall-clock time in a zone, refusing a skipped time."""
    tz = ZoneInfo(zone)
    moment = datetime.combine(on, at, tzinfo=tz)
    if moment.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise NoSuchLocalTime(f"{at:%H:%M} does not exist on {on} in {zone}: the clocks change")
    return moment.astimezone(UTC)


def register_filters(bp: Blueprint) -> None:
    for name, function in (("clock", clock), ("day", day), ("zone_label", zone_label)):
        bp.add_app_template_filter(function, name)


def near_window(at: time, window: tuple[datetime, datetime], zone: str) -> datetime:
    """Return the UTC moment of a wall-clock time on whichever day puts it nearest the window."""
    first_day = local(window[0], zone).date()

    def distance(moment: datetime) -> timedelta:
        return max(window[0] - moment, moment - window[1], timedelta(0))

    candidates = []
    for offset in (-1, 0, 1):
        try:
            candidates.append(to_utc(first_day + timedelta(days=offset), at, zone))
        except NoSuchLocalTime:
            continue
    if not candidates or distance(min(candidates, key=distance)) > timedelta(hours=12):
        raise NoSuchLocalTime(f"{at:%H:%M} is not near this session's time")
    return min(candidates, key=distance)


def span_near_window(
    start: time, end: time, window: tuple[datetime, datetime], zone: str
) -> tuple[datetime, datetime]:
    """Return a from–to span typed as wall-clock times for a session's window."""
    joined = near_window(start, window, zone)
    return joined, after(joined, end, zone)


def same_day_span_near_window(
    start: time, end: time, window: tuple[datetime, datetime], zone: str
) -> tuple[datetime, datetime]:
    """Like span_near_window, but an end before the start is a typo (09:20 → 08:40), not an
    overnight stay, unless the session itself runs past midnight."""
    joined, left = span_near_window(start, end, window, zone)
    crosses_midnight = local(window[0], zone).date() != local(window[1], zone).date()
    if local(left, zone).date() != local(joined, zone).date() and not crosses_midnight:
        raise InvalidInput("left_at", f"“To” ({end:%H:%M}) must be after “From” ({start:%H:%M}).")
    return joined, left


def after(moment: datetime, end: time, zone: str) -> datetime:
    """Return the first time `end` strikes after `moment` (same day, else the next)."""
    day_of = local(moment, zone).date()
    candidate = to_utc(day_of, end, zone)
    return candidate if candidate > moment else to_utc(day_of + timedelta(days=1), end, zone)
