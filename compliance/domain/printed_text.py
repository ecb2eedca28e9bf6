"""Text that is printed on a slip must read exactly as it is stored.

Names are NFC-normalised, so the same name typed on two keyboards is one name. Characters that
change how text reads without being seen (bidi overrides, zero-width spaces, control and format
characters) are refused: a slip must never display something other than what it holds.
"""

from __future__ import annotations

import unicodedata

from compliance.domain.pdf.fonts import unprintable_character

ZWNJ, ZWJ = "\u200c", "\u200d"
EMOJI_PRESENTATION = "\ufe0f"
_VIRAMA = 9  # canonical combining class of a virama (Devanagari, Bengali, Tamil, ...)
# Unicode general categories a printed name never needs: control, format, surrogate, private
# use, unassigned, line and paragraph separators.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _joins_arabic_letters(before: str, after: str) -> bool:
    return all(
        ch and unicodedata.category(ch).startswith("L") and "ARABIC" in unicodedata.name(ch, "")
        for ch in (before, after)
    )


def _joins_emoji(before: str, after: str) -> bool:
    """Whether a ZWJ sits inside an emoji sequence (👩🏽‍⚕️): a symbol, or its skin-tone modifier
    or presentation selector, before; a symbol after. It draws one picture, visibly."""
    if not before or not after or unicodedata.category(after) != "So":
        return False
    return before == EMOJI_PRESENTATION or unicodedata.category(before) in ("So", "Sk")


def _joiner_is_needed(text: str, index: int) -> bool:
    """Return whether a ZWJ/ZWNJ at `index` shapes what is around it: after a virama, or, for
    ZWNJ, between two Arabic-script letters (Persian words use it), as IDNA2008 allows; for
    ZWJ also inside an emoji sequence."""
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if before and unicodedata.combining(before) == _VIRAMA:
        return True
    if text[index] == ZWNJ:
        return _joins_arabic_letters(before, after)
    return _joins_emoji(before, after)


def describe(ch: str) -> str:
    """Return e.g. "U+202E (RIGHT-TO-LEFT OVERRIDE)" for a message."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def hidden_character(text: str) -> str | None:
    """Return the first character that would print invisibly or reorder the text, or None."""
    if text.isascii() and text.isprintable():
        return None  # printable ASCII has none (a report's 50,000 names are mostly that)
    for index, ch in enumerate(text):
        if ch in "\t\n\r ":
            continue
        if unicodedata.category(ch) not in _REFUSED_CATEGORIES:
            continue
        if ch in (ZWJ, ZWNJ) and _joiner_is_needed(text, index):
            continue
        return ch
    return None


def unprintable(text: str) -> str | None:
    """Return the first character no bundled font can print (an emoji, a rare script), or None:
    it would print as an empty box, so it is refused when typed."""
    return unprintable_character(normalize(text))


def normalize(text: str) -> str:
    """Return text as stored and printed: NFC, runs of whitespace made one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def without_unprintable(text: str) -> str:
    """Return text with the characters no bundled font prints left out (emoji with their
    joiners and presentation selectors); everything else, hidden characters included, stays
    for the usual checks to judge."""
    if unprintable_character(text) is None:
        return text
    dropped = [unprintable_character(ch) is not None for ch in text]
    kept = []
    for index, ch in enumerate(text):
        if dropped[index]:
            continue
        beside_dropped = (index > 0 and dropped[index - 1]) or (
            index + 1 < len(text) and dropped[index + 1]
        )
        if ch in (ZWJ, "\ufe0f") and beside_dropped:
            continue  # it joined or dressed an emoji that is gone
        kept.append(ch)
    return "".join(kept)
