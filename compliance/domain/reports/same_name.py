"""When rows of one name are several people, and a row without an email cannot be given to one:

- it overlaps another row of that name: one person is never in a meeting twice at once without
  an email telling their devices apart, so the rows are not one person's rejoins;
- the name comes with two or more emails: the row could be either person's rejoin.

Which row is whose cannot be told, so each such row stays apart and is flagged, never summed."""

from __future__ import annotations

from collections.abc import Iterable

from compliance.domain.people import name_key
from compliance.domain.reports.model import Interval

NamedRow = tuple[str, str | None, Interval | None]  # name as written, email, time (or None)


def names_shared_at_once(rows: Iterable[NamedRow]) -> set[str]:
    """Return the names, as written, under which a row without an email overlaps another row
    of the same name (case and spacing ignored)."""
    by_text: dict[str, list[tuple[Interval, bool]]] = {}
    emails_by_text: dict[str, set[str]] = {}
    for text, email, interval in rows:
        if email:
            emails_by_text.setdefault(text, set()).add(email)
        if interval is not None:
            by_text.setdefault(text, []).append((interval, bool(email)))
    by_key: dict[str, list[str]] = {}
    for text in by_text:
        by_key.setdefault(name_key(text), []).append(text)
    shared: set[str] = set()
    for texts in by_key.values():
        timed = [row for text in texts for row in by_text[text]]
        if len(timed) < 2 or all(has_email for _, has_email in timed):
            continue
        emails = set().union(*(emails_by_text.get(text, set()) for text in texts))
        if len(emails) > 1 or _overlap(timed):
            shared.update(texts)
    return shared


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
