"""Links the service checks itself (HMAC via itsdangerous): one salt per purpose.

Slips are not signed this way: officers verify those with public keys.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

SLIP_DOWNLOAD = "slip-download"
ATTENDEE_PAGE = "attendee-page"
PASSWORD_SETUP = "password-setup"  # noqa: S105 (a salt name, not a password)


def _secret_keys() -> list[str]:
    """The app secret and, during a rotation, older ones: itsdangerous signs with the last and
    accepts any, as Flask's own sessions do with SECRET_KEY_FALLBACKS."""
    config = current_app.config
    return [*(config.get("SECRET_KEY_FALLBACKS") or []), config["SECRET_KEY"]]


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(_secret_keys(), salt=purpose)


def sign_link(purpose: str, value: str) -> str:
    """Return an unguessable, tamper-proof link token for one purpose."""
    return _serializer(purpose).dumps(value)


def read_link(purpose: str, token: str) -> str | None:
    """Return what a link token carries, or None if it was altered or is for another purpose."""
    if len(token) > 512:
        return None
    try:
        value = _serializer(purpose).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def sign_expiring_link(purpose: str, value: list | str) -> str:
    """Return a link token for one purpose that also records when it was made."""
    return URLSafeTimedSerializer(_secret_keys(), salt=purpose).dumps(value)


def read_expiring_link(purpose: str, token: str, max_age_seconds: int) -> list | str | None:
    """Return what an expiring link token carries, or None if altered, foreign or too old."""
    if len(token) > 512:
        return None
    serializer = URLSafeTimedSerializer(_secret_keys(), salt=purpose)
    try:
        return serializer.loads(token, max_age=max_age_seconds)
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None


def absolute(path: str) -> str:
    """Return a public URL on the configured origin."""
    return current_app.config["BASE_URL"] + path


def slip_url(record_id: str) -> str:
    return absolute(f"/slips/{sign_link(SLIP_DOWNLOAD, record_id)}.pdf")


def attendee_url(attendee) -> str:
    """Return the attendee's page link; rotating the page (link_version) retires older ones."""
    value = attendee.id if not attendee.link_version else f"{attendee.id}:{attendee.link_version}"
    return absolute(f"/me/{sign_link(ATTENDEE_PAGE, value)}")


def verify_url(token: str) -> str:
    """Return what a slip's QR code holds."""
    return absolute(f"/v/{token}")


SHARE_LINK = "share-link"


def share_url(share_link_id: str) -> str:
    """Return the read-only link an attendee gives their officer."""
    return absolute(f"/share/{sign_link(SHARE_LINK, share_link_id)}")
