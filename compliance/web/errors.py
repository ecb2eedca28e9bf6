"""Errors answer JSON to API clients and a page to people; a 500 rolls the transaction back."""

from __future__ import annotations

from contextlib import suppress

from flask import Flask, current_app, g, jsonify, render_template, request
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from compliance.extensions import db
from compliance.services.errors import (
    Conflict,
    Gone,
    InvalidInput,
    NotFound,
    ServiceError,
    TooMany,
    Unprocessable,
)

STATUS_FOR = {
    InvalidInput: 400,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    Unprocessable: 422,
    TooMany: 429,
}
DATABASE_DOWN = "The service cannot reach its database right now; try again in a moment."
RETRY_AFTER_SECONDS = 5


def is_database_unreachable(error: BaseException) -> bool:
    """Return whether a database error means the server is down or the connection broke."""
    return isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )


def wants_json() -> bool:
    if request.path.startswith(("/api/", "/.well-known/", "/healthz")):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def back_to() -> str:
    """Return the nearest page above the address that failed (the session a too-large upload
    was posted to, say), so an error page leads back to where the person was."""
    routes = current_app.url_map.bind("localhost")
    parts = request.path.rstrip("/").split("/")
    for end in range(len(parts) - (0 if request.method == "GET" else 1), 1, -1):
        candidate = "/".join(parts[:end])
        try:
            routes.match(candidate, method="GET")
        except HTTPException:
            continue
        if candidate != request.path or request.method != "GET":
            return candidate
    return "/"


def error_response(status: int, message: str, **details):
    if wants_json():
        response = jsonify({"error": message, **details})
    elif g.get("database_unreachable"):
        # The page must not touch the database: show it signed out (the signed-in user, if
        # any, was expired by the rollback and would be read again).
        response = render_template(
            "error.html", status=status, message=message, current_user=None, back="/"
        )
    else:
        response = render_template("error.html", status=status, message=message, back=back_to())
    return response, status


def handle_service_error(error: ServiceError):
    status = next((code for kind, code in STATUS_FOR.items() if isinstance(error, kind)), 400)
    return error_response(status, error.message, **error.details)


def handle_http_error(error: HTTPException):
    messages = {
        404: "Nothing here: the address is wrong or no longer valid.",
        405: f"{request.method} is not allowed here.",
        413: "The file is too large: uploads are at most "
        f"{current_app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024)} MB. Nothing was saved.",
        429: "Too many attempts from your connection. Wait a few minutes and try again.",
    }
    message = messages.get(error.code, error.description or error.name)
    response, status = error_response(error.code or 500, message)
    # Keep what the exception says in headers: Allow on a 405, WWW-Authenticate on a 401.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return response, status, headers


def _roll_back_quietly() -> None:
    with suppress(SQLAlchemyError):  # the connection is gone already; the pool replaces it
        db.session.rollback()


def handle_database_down(error: DBAPIError):
    g.database_unreachable = True
    _roll_back_quietly()
    response, status = error_response(503, DATABASE_DOWN)
    return response, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def handle_database_error(error: DBAPIError):
    """Any other driver error: a broken connection is an outage (503), the rest a bug (500)."""
    if is_database_unreachable(error):
        return handle_database_down(error)
    return handle_unexpected(error)


def handle_unstorable_input(error: DataError):
    # A last line of defence: fields are validated before they reach the database, but text
    # PostgreSQL cannot store (a NUL character, say) must still be a 400, never a 500.
    db.session.rollback()
    return error_response(400, "The input contains characters that cannot be stored.")


def handle_unexpected(error: Exception):
    db.session.rollback()
    return error_response(500, "Something went wrong on our side; nothing was saved.")


def init_app(app: Flask) -> None:
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(InterfaceError, handle_database_down)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(DataError, handle_unstorable_input)
    app.register_error_handler(Exception, handle_unexpected)
