"""What each API view declares about itself: its request body and its answers.

The declaration sits on the view (`@documented(...)`); the OpenAPI document is built from these
declarations (openapi.py) and a view reads its JSON body through the very model it declared
(reading.py), so the document and the checks cannot tell two stories. Path parameters come
from the route itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

JSON = "application/json"


@dataclass(frozen=True)
class Answer:
    """One documented answer: a model in JSON, other content (a PDF), or nothing (204)."""

    description: str
    model: type[BaseModel] | None = None
    media: str | None = JSON


@dataclass(frozen=True)
class Operation:
    summary: str
    answers: dict[int, Answer]
    # Refusals besides those every call may get (401/403 for a token call, 413 for a body,
    # 503 for an outage: openapi.py adds those).
    refusals: tuple[int, ...] = ()
    body: type[BaseModel] | None = None  # a JSON object
    form: type[BaseModel] | None = None  # multipart/form-data


# By endpoint ("api.create_meeting").
OPERATIONS: dict[str, Operation] = {}


def documented(summary: str, answers: dict[int, Answer], **declared):
    """Declare what the view takes and answers; see Operation for the keywords."""

    def register(view):
        OPERATIONS[f"api.{view.__name__}"] = Operation(summary, answers, **declared)
        return view

    return register
