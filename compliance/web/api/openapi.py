"""The OpenAPI 3 description of JSON API v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from flask import current_app, jsonify

from compliance.web.api import bp
from compliance.web.api.openapi_cases import CASE_SCHEMAS, case_paths

STATUSES = ["valid", "revoked", "key_revoked", "altered", "invalid", "not_found"]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _answer(description: str, schema: dict) -> dict:
    return {"description": description, **_json(schema)}


ERROR = _answer("The request was refused; `error` says why", _ref("Error"))
AUTH = [{"bearer": []}]


def _errors(*codes: int) -> dict:
    return {str(code): ERROR for code in codes}


def _instant(example: str) -> dict:
    return {
        "type": "string",
        "format": "date-time",
        "description": "ISO 8601 with a UTC offset, between 2000 and 2100",
        "examples": [example],
    }


def _id_param(name: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string", "maxLength": 64},
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string"},
            "field": {"type": "string"},
            "part": {"type": "string", "description": "The part of `field` at fault"},
            "line": {"type": ["integer", "null"]},
        },
    },
    "MeetingInput": {
        "type": "object",
        "required": ["name", "program", "timezone"],
        "properties": {
            "name": {
                "type": "string",
                "minLength": 1,
                "maxLength": 80,
                "examples": ["Tuesday Evening Recovery Circle"],
            },
            "program": {
                "type": "string",
                "minLength": 1,
                "maxLength": 40,
                "examples": ["SMART Recovery"],
            },
            "timezone": {
                "type": "string",
                "description": "IANA zone, e.g. America/Chicago",
                "examples": ["America/Chicago"],
            },
            "min_presence_percent": {
                "type": "integer",
                "minimum": 1,
                "maximum": 100,
                "default": 80,
            },
            "platform": {"type": "string", "maxLength": 40},
        },
    },
    "Meeting": {
        "type": "object",
        "required": ["id", "name", "program", "timezone", "min_presence_percent"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "program": {"type": "string"},
            "platform": {"type": ["string", "null"]},
            "timezone": {"type": "string"},
            "min_presence_percent": {"type": "integer"},
        },
    },
    "SessionInput": {
        "type": "object",
        "required": ["starts_at", "ends_at"],
        "properties": {
            "starts_at": _instant("2025-03-04T19:00:00-06:00"),
            "ends_at": _instant("2025-03-04T20:00:00-06:00"),
        },
    },
    "Session": {
        "type": "object",
        "required": ["id", "starts_at", "ends_at", "status", "checkin_code"],
        "properties": {
            "id": {"type": "string"},
            "meeting_id": {"type": "string"},
            "starts_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time"},
            "timezone": {"type": "string"},
            "status": {"type": "string", "enum": ["open", "finalized"]},
            "checkin_code": {"type": "string"},
            "checkout_code": {"type": "string"},
        },
    },
    "AttendanceInput": {
        "type": "object",
        "required": ["name", "joined_at", "left_at"],
        "properties": {
            "name": {
                "type": "string",
                "minLength": 1,
                "maxLength": 80,
                "examples": ["Dana Kowalski"],
            },
            "email": {"type": "string", "format": "email", "examples": ["dana.k@example.net"]},
            "joined_at": _instant("2025-03-04T18:58:00-06:00"),
            "left_at": _instant("2025-03-04T19:31:00-06:00"),
            "note": {"type": "string", "maxLength": 500},
        },
    },
    "RosterEntry": {
        "type": "object",
        "required": ["name", "email", "present_minutes", "qualifies"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string", "description": "Exactly the name a slip would print."},
            "name_source": {
                "type": ["string", "null"],
                "enum": ["checkin", "page", "report", "manual", "facilitator", None],
            },
            "email": {"type": ["string", "null"]},
            "present_minutes": {"type": "integer", "minimum": 0},
            "present_seconds": {"type": "integer", "minimum": 0},
            "qualifies": {"type": "boolean"},
            "is_host": {"type": "boolean"},
            "excluded_reason": {"type": ["string", "null"]},
            "issues_slip": {"type": "boolean"},
            "shares_name": {
                "type": "boolean",
                "description": "Another person on the roster has the same name (check who is who).",
            },
            "intervals": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "joined_at": {"type": "string", "format": "date-time"},
                        "left_at": {"type": ["string", "null"], "format": "date-time"},
                        "source": {"type": "string", "enum": ["checkin", "report", "manual"]},
                        "report_format": {"type": ["string", "null"]},
                    },
                },
            },
        },
    },
    "Roster": {
        "type": "object",
        "required": ["attendees"],
        "properties": {
            "session": _ref("Session"),
            "attendees": {"type": "array", "items": _ref("RosterEntry")},
        },
    },
    "ImportResult": {
        "type": "object",
        "required": ["id", "format", "rows", "participants"],
        "properties": {
            "id": {"type": "string", "description": "Of the import, to undo it as a whole"},
            "format": {"type": "string", "enum": ["zoom", "zoom-unique", "teams", "meet"]},
            "rows": {"type": "integer"},
            "participants": {"type": "integer"},
        },
    },
    "Record": {
        "type": "object",
        "required": ["id", "code", "name", "token", "slip_url", "attendee_url"],
        "properties": {
            "id": {"type": "string"},
            "code": {"type": "string"},
            "name": {"type": "string"},
            "present_minutes": {"type": "integer"},
            "token": {"type": "string"},
            "kid": {"type": "string"},
            "issued_at": {"type": "string", "format": "date-time"},
            "revoked_at": {"type": ["string", "null"]},
            "revoked_reason": {"type": ["string", "null"]},
            "slip_url": {"type": "string", "format": "uri"},
            "attendee_url": {
                "type": "null",
                "description": "Always null: an attendee's page never reaches a facilitator.",
            },
            "verify_url": {"type": "string", "format": "uri"},
        },
    },
    "Finalized": {
        "type": "object",
        "required": ["records"],
        "properties": {
            "session_id": {"type": "string"},
            "records": {"type": "array", "items": _ref("Record")},
        },
    },
    "SlipRecord": {
        "type": "object",
        "required": [
            "code",
            "name",
            "meeting",
            "program",
            "starts_at",
            "ends_at",
            "timezone",
            "present_minutes",
            "facilitator",
            "issued_at",
            "kid",
        ],
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "meeting": {"type": "string"},
            "program": {"type": "string"},
            "starts_at": {"type": "string", "format": "date-time"},
            "ends_at": {"type": "string", "format": "date-time"},
            "timezone": {"type": "string"},
            "present_minutes": {"type": "integer"},
            "scheduled_minutes": {"type": "integer"},
            "facilitator": {"type": "string"},
            "facilitator_id": {"type": "string"},
            "issued_at": {"type": "string", "format": "date-time"},
            "language": {"type": "string"},
            "kid": {"type": "string"},
        },
    },
    "Verdict": {
        "type": "object",
        "required": ["status", "record"],
        "properties": {
            "status": {"type": "string", "enum": STATUSES},
            "record": {"oneOf": [_ref("SlipRecord"), {"type": "null"}]},
            "reason": {"type": "string"},
            "revoked_at": {"type": "string", "format": "date-time"},
            "summary": {"type": "object"},
        },
    },
}


def _paths() -> dict:
    meeting_id, session_id, record_id = (
        _id_param("meeting_id"),
        _id_param("session_id"),
        _id_param("record_id"),
    )
    return {
        "/meetings": {
            "post": {
                "summary": "Create a meeting run by the caller",
                "security": AUTH,
                "requestBody": {"required": True, **_json(_ref("MeetingInput"))},
                "responses": {
                    "201": _answer("The meeting", _ref("Meeting")),
                    **_errors(400, 401, 403),
                },
            }
        },
        "/meetings/{meeting_id}": {
            "get": {
                "summary": "Show a meeting",
                "security": AUTH,
                "parameters": [meeting_id],
                "responses": {
                    "200": _answer("The meeting", _ref("Meeting")),
                    **_errors(401, 403, 404),
                },
            }
        },
        "/meetings/{meeting_id}/sessions": {
            "post": {
                "summary": "Schedule a session of a meeting",
                "security": AUTH,
                "parameters": [meeting_id],
                "requestBody": {"required": True, **_json(_ref("SessionInput"))},
                "responses": {
                    "201": _answer("The session", _ref("Session")),
                    **_errors(400, 401, 403, 404),
                },
            }
        },
        "/sessions/{session_id}": {
            "get": {
                "summary": "Show a session",
                "security": AUTH,
                "parameters": [session_id],
                "responses": {
                    "200": _answer("The session", _ref("Session")),
                    **_errors(401, 403, 404),
                },
            },
            "delete": {
                "summary": "Cancel a session not signed: its codes stop, nothing is issued",
                "security": AUTH,
                "parameters": [session_id],
                "responses": {"204": {"description": "Cancelled"}, **_errors(401, 403, 404, 409)},
            },
        },
        "/sessions/{session_id}/attendees/{attendee_id}": {
            "patch": {
                "summary": "Set the name this person's slip will print (unsigned sessions only)",
                "security": AUTH,
                "parameters": [session_id, _id_param("attendee_id")],
                "requestBody": {
                    "required": True,
                    **_json(
                        {
                            "type": "object",
                            "required": ["name"],
                            "properties": {"name": {"type": "string", "maxLength": 80}},
                        }
                    ),
                },
                "responses": {
                    "200": _answer("The person's roster entry", _ref("RosterEntry")),
                    **_errors(400, 401, 403, 404, 409),
                },
            }
        },
        "/sessions/{session_id}/intervals/{interval_id}": {
            "delete": {
                "summary": "Remove one stretch of presence (an optional reason is kept in the log)",
                "security": AUTH,
                "parameters": [session_id, _id_param("interval_id")],
                "responses": {"204": {"description": "Removed"}, **_errors(401, 403, 404, 409)},
            }
        },
        "/sessions/{session_id}/participant-report/{import_id}": {
            "delete": {
                "summary": "Undo one import: everything it added goes, what it changed comes back",
                "security": AUTH,
                "parameters": [session_id, _id_param("import_id")],
                "responses": {"204": {"description": "Undone"}, **_errors(401, 403, 404, 409)},
            }
        },
        "/sessions/{session_id}/attendance": {
            "post": {
                "summary": "Record one stretch of presence; one person's entries add up",
                "security": AUTH,
                "parameters": [session_id],
                "requestBody": {"required": True, **_json(_ref("AttendanceInput"))},
                "responses": {
                    "201": _answer("The person's roster entry", _ref("RosterEntry")),
                    **_errors(400, 401, 403, 404, 409),
                },
            }
        },
        "/sessions/{session_id}/participant-report": {
            "post": {
                "summary": "Import a Zoom, Teams or Meet report (format read from its content)",
                "security": AUTH,
                "parameters": [session_id],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "timezone": {"type": "string"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _answer("What was imported", _ref("ImportResult")),
                    **_errors(400, 401, 403, 404, 409, 413, 422),
                },
            }
        },
        "/sessions/{session_id}/roster": {
            "get": {
                "summary": "Everyone in the session with minutes present and whether they qualify",
                "security": AUTH,
                "parameters": [session_id],
                "responses": {
                    "200": _answer("The roster", _ref("Roster")),
                    **_errors(401, 403, 404),
                },
            }
        },
        "/sessions/{session_id}/finalize": {
            "post": {
                "summary": "Sign the session: a record for every qualifying person, all or nothing",
                "security": AUTH,
                "parameters": [session_id],
                "responses": {
                    "200": _answer("The issued records", _ref("Finalized")),
                    **_errors(401, 403, 404, 409, 422),
                },
            }
        },
        "/records/{record_id}/revoke": {
            "post": {
                "summary": "Withdraw a record, with a reason",
                "security": AUTH,
                "parameters": [record_id],
                "requestBody": {
                    "required": True,
                    **_json(
                        {
                            "type": "object",
                            "required": ["reason"],
                            "properties": {
                                "reason": {
                                    "type": "string",
                                    "minLength": 1,
                                    "maxLength": 500,
                                    "examples": ["Issued to the wrong person"],
                                }
                            },
                        }
                    ),
                },
                "responses": {
                    "200": _answer("The record", _ref("Record")),
                    **_errors(400, 401, 403, 404),
                },
            }
        },
        "/verify/{code_or_token}": {
            "get": {
                "summary": "Verdict for a short code or a slip token (no login)",
                "parameters": [
                    {
                        "name": "code_or_token",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": _answer("The verdict", _ref("Verdict")),
                    # A path no code or token can have (a control character, say) is no
                    # address at all; too many unknown codes from one address are throttled.
                    **_errors(404, 429),
                },
            }
        },
        "/verify/pdf": {
            "post": {
                "summary": "Verdict for an uploaded slip PDF, including whether it was edited",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {"file": {"type": "string", "format": "binary"}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": _answer("The verdict", _ref("Verdict")),
                    **_errors(400, 413, 422, 429),
                },
            }
        },
    }


UNAVAILABLE = _answer("The database is unreachable; try again (see Retry-After)", _ref("Error"))


def _with_common_answers(paths: dict) -> dict:
    """Add what any call may answer: 413 for a body over the size limit, 503 during an outage."""
    for operations in paths.values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["responses"].setdefault("413", ERROR)
            operation["responses"].setdefault("503", UNAVAILABLE)
    return paths


@bp.get("/openapi.json")
def openapi_document():
    base = current_app.config["BASE_URL"]
    return jsonify(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Attendance verification API",
                "version": "1",
                "description": "Record attendance at online meetings, sign it, verify slips; "
                "officers follow their cases' progress.",
            },
            "servers": [{"url": f"{base}/api/v1"}],
            "paths": _with_common_answers(
                {**_paths(), **case_paths(_ref, _answer, _json, _errors, _id_param, AUTH)}
            ),
            "components": {
                "schemas": {**SCHEMAS, **CASE_SCHEMAS},
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
        }
    )
