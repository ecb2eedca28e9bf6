"""How names in reports are split into display name, original name and role marker."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from compliance.domain.people import name_key

# Zoom's role markers in its UI languages.
_ROLE_MARKERS = frozenset(
    marker.casefold()
    for marker in (
        "host", "co-host", "cohost", "co host", "hôte", "co-hôte", "coanimateur", "gastgeber",
        "co-gastgeber", "anfitrión", "coanfitrión", "anfitrião", "coanfitrião", "organizzatore",
        "co-organizzatore", "ホスト", "共同ホスト", "主持人", "联席主持人", "聯合主持人",
    )
)  # fmt: skip
_FULL_WIDTH_PARENTHESES = str.maketrans("（）", "()")


class ReportName(NamedTuple):
    """A name cell read apart: what to show, other names for the person, and a host marker."""

    display: str
    aliases: tuple[str, ...]
    is_host: bool

    @property
    def all_names(self) -> tuple[str, ...]:
        """Return the display name followed by the aliases."""
        return (self.display, *self.aliases)


def collapse_spaces(text: str) -> str:
    """Return text with runs of whitespace made single spaces and the ends trimmed."""
    return " ".join(text.split())


def split_zoom_name(raw: str) -> ReportName:
    """Split Zoom's "Display (Original Name)" cell, taking "(Host)"/"(Co-host)" as a role."""
    rest = collapse_spaces(raw.translate(_FULL_WIDTH_PARENTHESES))
    original: str | None = None
    is_host = False
    while (group := _trailing_group(rest)) is not None:
        before, inner = group
        if inner.casefold() in _ROLE_MARKERS:
            is_host = True
        elif original is None and _looks_like_a_name(inner):
            original = inner
        else:
            break
        rest = before
    aliases = (original,) if original and name_key(original) != name_key(rest) else ()
    return ReportName(rest, aliases, is_host)


def _trailing_group(text: str) -> tuple[str, str] | None:
    """Return (text before, inside) of a final "(...)" that follows some text, else None."""
    if not text.endswith(")"):
        return None
    opening = text.rfind("(")
    inner = text[opening + 1 : -1].strip()
    before = text[:opening].strip()
    if opening <= 0 or not before or ")" in inner:
        return None
    return before, inner


def _looks_like_a_name(text: str) -> bool:
    """Return whether a parenthesised part can be an original name rather than, say, pronouns."""
    # "Morgan (she/her)" is a display name with pronouns; treating "she/her" as a name would
    # merge every attendee who shows the same pronouns.
    return any(ch.isalpha() for ch in text) and "/" not in text


# What Teams appends to a name to say how someone joined, in several UI languages: never part
# of the person's name, so never printed on a slip.
_ACCOUNT_MARKERS = frozenset(
    marker.casefold()
    for marker in (
        "guest", "external", "unverified", "anonymous",
        "invité", "invitée", "externe", "non vérifié", "non vérifiée",
        "convidado", "convidada", "externo", "externa", "não verificado",
        "invitado", "invitada", "no verificado",
        "gast", "extern", "nicht verifiziert",
        "ospite", "esterno", "non verificato",
        "niet geverifieerd",
        "tamu", "eksternal",
        "ゲスト", "外部", "未確認", "访客", "来宾", "訪客",
    )
)  # fmt: skip


@lru_cache(maxsize=8192)  # a Teams report repeats each name on every join
def strip_account_markers(name: str) -> str:
    """Return a Teams name without trailing "(Guest)", "(External)", "(Unverified)" and the
    like; the name itself when that would leave nothing."""
    rest = collapse_spaces(name)
    while (group := _trailing_group(rest)) is not None and group[1].casefold() in _ACCOUNT_MARKERS:
        rest = group[0]
    return rest
