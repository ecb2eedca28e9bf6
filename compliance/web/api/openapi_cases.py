"""The officers' part of the OpenAPI document: cases, their progress, the compliance report."""

from __future__ import annotations

from compliance.domain.case_progress import CaseStatus
from compliance.services.case_terms import (
    LABEL_MAX,
    MAX_DAYS,
    MAX_MINUTES,
    MAX_PER_WEEK,
    MAX_PROGRAMS,
    MAX_WEEKS,
    PROGRAM_MAX,
)

CASE_STATUSES = [status.value for status in CaseStatus]
_DAY = {"type": "string", "format": "date", "examples": ["2025-03-03"]}


def _requirement() -> dict:
    return {
        "oneOf": [
            {
                "type": "object",
                "title": "N meetings within D days",
                "required": ["meetings", "days"],
                "additionalProperties": False,
                "properties": {
                    "meetings": {"type": "integer", "minimum": 1, "description": "≤ 10 × days"},
                    "days": {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
                },
            },
            {
                "type": "object",
                "title": "K meetings in each of W 7-day periods",
                "required": ["per_week", "weeks"],
                "additionalProperties": False,
                "properties": {
                    "per_week": {"type": "integer", "minimum": 1, "maximum": MAX_PER_WEEK},
                    "weeks": {"type": "integer", "minimum": 1, "maximum": MAX_WEEKS},
                },
            },
        ]
    }


CASE_SCHEMAS = {
    "CaseInput": {
        "type": "object",
        "required": ["label", "requirement"],
        "properties": {
            "label": {
                "type": "string",
                "minLength": 1,
                "maxLength": LABEL_MAX,
                "description": "Your own reference (e.g. a docket number): never shown to anyone "
                "else, never printed.",
                "examples": ["24-CR-0193"],
            },
            "requirement": _requirement(),
            "starts_on": {**_DAY, "description": "Default: today"},
            "min_minutes": {"type": "integer", "minimum": 0, "maximum": MAX_MINUTES, "default": 0},
            "programs": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_PROGRAMS,
                "items": {"type": "string", "minLength": 1, "maxLength": PROGRAM_MAX},
                "description": "Only meetings of these programs count (default: any)",
            },
        },
    },
    "CaseSummary": {
        "type": "object",
        "required": ["id", "label", "status", "counted", "needed"],
        "properties": {
            "id": {"type": "string"},
            "label": {"type": "string"},
            "status": {"type": "string", "enum": CASE_STATUSES},
            "counted": {"type": "integer", "description": "Records that count"},
            "needed": {"type": "integer"},
        },
    },
    "Case": {
        "type": "object",
        "required": [
            "id",
            "label",
            "requirement",
            "status",
            "counted",
            "needed",
            "periods",
            "records",
        ],
        "properties": {
            "id": {"type": "string"},
            "label": {"type": "string"},
            "enrolment_code": {
                "type": "string",
                "description": "Give it to the client: typed on their attendance page, it links "
                "the page to the case (their consent).",
            },
            "requirement": _requirement(),
            "status": {"type": "string", "enum": CASE_STATUSES},
            "counted": {"type": "integer"},
            "needed": {"type": "integer"},
            "starts_on": _DAY,
            "ends_on": _DAY,
            "min_minutes": {"type": "integer"},
            "programs": {"type": ["array", "null"], "items": {"type": "string"}},
            "periods": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["from", "to", "counted", "needed"],
                    "properties": {
                        "from": _DAY,
                        "to": _DAY,
                        "counted": {"type": "integer"},
                        "needed": {"type": "integer"},
                    },
                },
            },
            "records": {
                "type": "array",
                "description": "Empty until the attendee consents, and after they withdraw",
                "items": {
                    "type": "object",
                    "required": [
                        "code",
                        "status",
                        "date",
                        "meeting",
                        "program",
                        "minutes",
                        "counts",
                    ],
                    "properties": {
                        "code": {"type": "string"},
                        "status": {"type": "string", "enum": ["valid", "revoked", "key_revoked"]},
                        "date": _DAY,
                        "meeting": {"type": "string"},
                        "program": {"type": "string"},
                        "minutes": {"type": "integer"},
                        "counts": {"type": "boolean"},
                    },
                },
            },
        },
    },
}


def case_paths(ref, answer, json_body, errors, id_param, auth) -> dict:
    """Return the case operations, built with the main document's helpers."""
    case_id = id_param("case_id")
    return {
        "/cases": {
            "post": {
                "summary": "Open a case (officers): the answer holds the enrolment code",
                "security": auth,
                "requestBody": {"required": True, **json_body(ref("CaseInput"))},
                "responses": {
                    "201": answer("The case", ref("Case")),
                    **errors(400, 401, 403, 422),
                },
            },
            "get": {
                "summary": "The officer's cases with their status",
                "security": auth,
                "responses": {
                    "200": answer(
                        "The cases",
                        {
                            "type": "object",
                            "required": ["cases"],
                            "properties": {"cases": {"type": "array", "items": ref("CaseSummary")}},
                        },
                    ),
                    **errors(401, 403),
                },
            },
        },
        "/cases/{case_id}": {
            "get": {
                "summary": "A case's progress: periods and the consenting page's records",
                "security": auth,
                "parameters": [case_id],
                "responses": {
                    "200": answer("The case", ref("Case")),
                    **errors(401, 403, 404),
                },
            }
        },
        "/cases/{case_id}/report.pdf": {
            "get": {
                "summary": "Signed compliance report (verifies like a summary)",
                "security": auth,
                "parameters": [case_id],
                "responses": {
                    "200": {
                        "description": "The report",
                        "content": {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                        },
                    },
                    **errors(401, 403, 404, 409),
                },
            }
        },
    }
