"""Short codes an officer can type: random, unambiguous, forgiving of case and hyphens."""

import secrets

# No 0/O, 1/I/L, U/V pairs: every character reads one way on paper and on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 16  # 16 * log2(29) ~ 77.7 random bits


def new_code() -> str:
    """Return a fresh random short code (undashed, upper case)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """Return the canonical code for what someone typed, or None if it cannot be one."""
    cleaned = "".join(ch for ch in text.upper() if ch not in "- \t")
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned
