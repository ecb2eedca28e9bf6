"""Gunicorn's access log, without the bearer secrets that travel in this service's URLs."""

from __future__ import annotations

from gunicorn.glogging import Logger

from compliance.web.log_privacy import redact_secrets

# Atoms of the access-log format that hold a URL: request line, path, query, referrer.
_URL_ATOMS = ("r", "U", "q", "f", "{referer}i")


class SecretRedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in _URL_ATOMS:
            if name in atoms:
                atoms[name] = redact_secrets(atoms[name])
        return atoms
