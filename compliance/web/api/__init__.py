"""JSON API v1 (see docs in the README and /api/v1/openapi.json)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from compliance.web.api import cases, meetings, openapi, records, verify  # noqa: E402, F401
