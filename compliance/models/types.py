"""Column types and defaults shared by the models."""

import binascii
import secrets
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Store naive UTC, hand back aware UTC, on every database alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


ID_BYTES = 16  # 128 random bits, 22 characters of base64url
_URL_SAFE = bytes.maketrans(b"+/", b"-_")


def _not_an_option(value: str) -> str:
    """Keep an id from starting with "-": a command line (`tokens revoke ID`) would read it as
    an option. Costs a fraction of one bit of the 128."""
    return "A" + value[1:] if value.startswith("-") else value


def new_id() -> str:
    """Return an unguessable public id (128 random bits)."""
    return _not_an_option(secrets.token_urlsafe(ID_BYTES))


def new_ids(count: int) -> list[str]:
    """Return `count` ids like new_id's, from one read of the system's randomness.

    An imported report stores tens of thousands of rows; one read instead of one per id
    takes a 50,000-row import's ids from ~70 to ~20 ms.
    """
    pool = secrets.token_bytes(ID_BYTES * count)
    return [
        _not_an_option(
            binascii.b2a_base64(pool[start : start + ID_BYTES], newline=False)[:22]
            .translate(_URL_SAFE)
            .decode("ascii")
        )
        for start in range(0, len(pool), ID_BYTES)
    ]
