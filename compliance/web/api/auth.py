"""Bearer-token authentication: facilitator calls, and officer (case) calls."""

from __future__ import annotations

from functools import wraps

from flask import g, jsonify, request

from compliance.models.accounts import Role
from compliance.services.accounts import user_for_api_token


def _presented_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _token_required(roles: tuple[Role, ...], refusal: str):
    """Return a decorator letting the view run only for an active user of these roles
    presenting a valid token: 401 without one, 403 for another role."""

    def decorate(view):
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
            if user.role not in roles:
                return jsonify({"error": refusal}), 403
            g.api_user = user
            return view(*args, **kwargs)

        wrapped.requires_token = True  # the OpenAPI document shows the bearer scheme
        return wrapped

    return decorate


facilitator_required = _token_required(
    (Role.FACILITATOR, Role.ADMIN), "Only facilitators can do this."
)
# Cases are an officer's own: admins run no caseload, facilitators see no cases.
officer_required = _token_required((Role.OFFICER,), "Only officers can do this.")
