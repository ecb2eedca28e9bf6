"""When rows of one name are two people: a row without an email whose time overlaps another row
of that name. One person is never in a meeting twice at once without an email telling their
devices apart, so such rows cannot be one person's rejoins; which later row is whose cannot be
told either, so each stays apart and is flagged, never summed."""

from __future__ import annotations

from collections.abc import Iterable

from compliance.domain.reports.model import Interval

NamedRow = tuple[str, bool, Interval | None]  # name key, has an email, time (None: not in it)


def names_shared_at_once(rows: Iterable[NamedRow]) -> set[str]:
    """Return the name keys under which a row without an email overlaps another row's time."""
    by_name: dict[str, list[tuple[Interval, bool]]] = {}
    for key, has_email, interval in rows:
        if interval is not None:
            by_name.setdefault(key, []).append((interval, has_email))
    return {
        key
        for key, timed in by_name.items()
        if len(timed) > 1 and not all(has_email for _, has_email in timed) and _overlap(timed)
    }


def _overlap(rows: list[tuple[Interval, bool]]) -> bool:
    """Return whether a row without an email overlaps any other row (rows of one email may)."""
    latest_leave = latest_emailless_leave = None
    for (join, leave), has_email in sorted(rows):
        if latest_leave is not None and not has_email and join < latest_leave:
            return True
        if latest_emailless_leave is not None and join < latest_emailless_leave:
            return True
        latest_leave = max(latest_leave or leave, leave)
        if not has_email:
            latest_emailless_leave = max(latest_emailless_leave or leave, leave)
    return False
