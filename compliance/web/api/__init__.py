"""JSON API v1 (see docs in the README and /api/v1/openapi.json)."""

from compliance.web.api import cases, meetings, openapi, records, verify  # noqa: F401
from compliance.web.api.blueprint import bp

__all__ = ["bp"]
