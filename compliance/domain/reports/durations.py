"""Read lengths of time as reports write them: "1h 27m 51s", "1 hr 2 min", "1 Std. 2 Min.",
"1時間2分", "1:02:00", or "70" minutes."""

from __future__ import annotations

import re
from functools import lru_cache

_NUMBER = r"[0-9]{1,7}(?:[.,][0-9]{1,3})?"
# Unit words of the UI languages reports come in; the longest spellings first.
_UNITS = {
    3600: ("hours", "hour", "horas", "hora", "heures", "heure", "stunden", "stunde", "std", "ore",
           "ora", "uur", "jam", "hrs", "hr", "u", "h", "時間", "小时", "小時"),
    60: ("minutes", "minute", "minutos", "minuto", "minuten", "minuti", "menit", "mins", "min",
         "m", "分钟", "分鐘", "分"),
    1: ("seconds", "second", "segundos", "segundo", "secondes", "seconde", "sekunden", "sekunde",
        "secondi", "seconden", "detik", "secs", "sec", "sek", "s", "秒"),
}  # fmt: skip
_SECONDS_OF_UNIT = {word: seconds for seconds, words in _UNITS.items() for word in words}
_UNIT = "|".join(sorted(map(re.escape, _SECONDS_OF_UNIT), key=len, reverse=True))
_PART = rf"({_NUMBER})\s*({_UNIT})\.?"
_PARTS = re.compile(_PART, re.IGNORECASE)
_LENGTH = re.compile(rf"\s*(?:{_PART}[\s,]*)+", re.IGNORECASE)
_CLOCK_LENGTH = re.compile(r"\s*([0-9]{1,4}):([0-5][0-9]):([0-5][0-9])\s*")
_MINUTES = re.compile(rf"\s*({_NUMBER})\s*")


# A report's lengths repeat (a row per join, each a few minutes long): each is read once.
@lru_cache(maxsize=8192)
def length_seconds(text: str) -> int | None:
    """Return whole seconds in a length like "1h 27m 51s", "1 hr 2 min" or "1:02:00"."""
    if clock := _CLOCK_LENGTH.fullmatch(text):
        hours, minutes, seconds = (int(part) for part in clock.groups())
        return hours * 3600 + minutes * 60 + seconds
    if not _LENGTH.fullmatch(text):
        return None
    total = sum(
        float(amount.replace(",", ".")) * _SECONDS_OF_UNIT[unit.lower()]
        for amount, unit in _PARTS.findall(text)
    )
    return round(total)


def minutes_seconds(text: str) -> int | None:
    """Return whole seconds in a plain number of minutes like "70", "70.5" or "70,5"."""
    if match := _MINUTES.fullmatch(text):
        return round(float(match[1].replace(",", ".")) * 60)
    return None
