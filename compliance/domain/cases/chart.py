"""A case's week-by-week chart, as geometry for server-drawn SVG (no script, no style attribute).

One bar per 7-day week from the start: the meetings that counted that week. A weekly
requirement draws its need as a dashed line; "N within D days" draws the steady pace that
would meet it (N × 7 / D a week). Bars are green when the week met its need, red when a week
that is over fell short, grey while the week is under way or still to come.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from compliance.domain.cases.progress import MEETINGS, Progress, Terms

WIDTH, HEIGHT = 640, 180
TOP, BOTTOM, LEFT, RIGHT = 16, 28, 28, 8
MAX_WEEKS_DRAWN = 104  # two years: longer cases show their last two years


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    state: str  # met, short, open
    counted: int
    week_from: date
    label: str  # under the bar, every few weeks


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    need_y: float  # where the dashed need line is drawn
    need: float
    top_value: int
    baseline_y: float
    width: int = WIDTH
    height: int = HEIGHT


def _weeks(terms: Terms) -> list[tuple[date, date]]:
    ends_on = terms.ends_on
    weeks, start = [], terms.starts_on
    while start <= ends_on:
        weeks.append((start, min(start + timedelta(days=6), ends_on)))
        start += timedelta(days=7)
    return weeks[-MAX_WEEKS_DRAWN:]


def weekly_need(terms: Terms) -> float:
    requirement = terms.requirement
    if requirement.kind == MEETINGS:
        return requirement.count * 7 / requirement.span
    return float(requirement.count)


def week_chart(terms: Terms, shown: Progress, today: date) -> Chart:
    """Return the bars of the case's weeks, scaled to the chart."""
    weeks = _weeks(terms)
    counted_days = [line.record.day for line in shown.lines if line.counts]
    counts = [sum(1 for day in counted_days if start <= day <= end) for start, end in weeks]
    need = weekly_need(terms)
    top_value = max(1, int(need + 0.999), *counts)
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(weeks)
    label_every = max(1, len(weeks) // 8)
    bars = []
    for index, ((start, end), counted) in enumerate(zip(weeks, counts, strict=True)):
        height = plot_height * counted / top_value
        if counted >= need:
            state = "met"
        elif end < today:
            state = "short"
        else:
            state = "open"
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                state=state,
                counted=counted,
                week_from=start,
                label=start.strftime("%b %d") if index % label_every == 0 else "",
            )
        )
    need_y = round(baseline - plot_height * need / top_value, 1)
    return Chart(tuple(bars), need_y, need, top_value, baseline)
