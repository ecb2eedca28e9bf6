"""Bearer-token authentication for facilitator calls."""

from __future__ import annotations

from functools import wraps

from flask import g, jsonify, request

from compliance.models.accounts import Role
from compliance.services.accounts import user_for_api_token


def _presented_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def facilitator_required(view):
    """Let the view run only for an active facilitator (or admin) presenting a valid token."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token = _presented_token()
        user = user_for_api_token(token) if token else None
        if user is None:
            response = jsonify(
                {"error": "A valid API token is required (Authorization: Bearer …)."}
            )
            response.headers["WWW-Authenticate"] = 'Bearer realm="compliance"'
            return response, 401
        if user.role not in (Role.FACILITATOR, Role.ADMIN):
            return jsonify({"error": "Only facilitators can do this."}), 403
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped
