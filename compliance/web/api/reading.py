"""Reading request bodies (JSON or multipart) through the model each view declared: every
problem names its field."""

from __future__ import annotations

from flask import request
from pydantic import BaseModel, ValidationError

from compliance.services.errors import InvalidInput
from compliance.web.api.operations import OPERATIONS


def json_body() -> dict:
    """Return the request's JSON object, or refuse the request."""
    try:
        body = request.get_json(silent=True, force=True)
    except RecursionError:  # JSON nested thousands deep: Python's parser gives up
        raise InvalidInput("body", "The request body is nested too deeply.") from None
    if not isinstance(body, dict):
        raise InvalidInput("body", "The request body must be a JSON object.")
    return body


def request_body() -> BaseModel:
    """Return the JSON body read through the model this view declared, or refuse it naming
    the first field at fault."""
    return _read(OPERATIONS[request.endpoint].body, json_body())


def request_form() -> BaseModel:
    """Return the multipart fields and files read through the model this view declared."""
    return _read(OPERATIONS[request.endpoint].form, {**request.form, **request.files})


def _read(model: type[BaseModel], fields: dict) -> BaseModel:
    try:
        return model.model_validate(fields)
    except ValidationError as refused:
        raise _first_refusal(refused) from None


def _first_refusal(refused: ValidationError) -> Exception:
    first = refused.errors()[0]
    if first["type"] == "refused":  # a field's own check (web/api/fields.py) said why
        return first["ctx"]["error"]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    return InvalidInput(field, f"{field}: {first['msg']}.")
