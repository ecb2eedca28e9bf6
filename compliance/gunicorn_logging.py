"""Gunicorn's access log, without the bearer secrets that travel in this service's URLs."""

from __future__ import annotations

from functools import lru_cache

from gunicorn.glogging import Logger

from compliance.web.log_privacy import redact_secrets

# Atoms of the access-log format that hold a URL: request line, path, query, referrer.
_URL_ATOMS = ("r", "U", "q", "f", "{referer}i")


@lru_cache(maxsize=4)
def _url_atoms_in(log_format: str) -> tuple[str, ...]:
    """The URL atoms a format writes: only those need redacting (the others are never shown).
    Header atoms are looked up case-insensitively, as gunicorn does."""
    lowered = log_format.lower()
    return tuple(
        name
        for name in _URL_ATOMS
        if f"%({name})s" in (lowered if name.startswith("{") else log_format)
    )


class SecretRedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in _url_atoms_in(self.cfg.access_log_format):
            if name in atoms:
                atoms[name] = redact_secrets(atoms[name])
        return atoms
