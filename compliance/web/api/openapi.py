"""The OpenAPI 3 description of JSON API v1, served at /api/v1/openapi.json, built from the
routes and what each declared (operations.py): no field is written here."""

from __future__ import annotations

import re

from flask import current_app, jsonify
from pydantic.json_schema import models_json_schema

from compliance.web.api.answers import Error
from compliance.web.api.blueprint import bp
from compliance.web.api.operations import JSON, OPERATIONS, Answer, Operation, documented

AUTH = [{"bearer": []}]
REFUSED = "The request was refused; `error` says why"
UNAVAILABLE = "The database is unreachable; try again (see Retry-After)"
# Ids are generated; a code or a slip token (the `tail` converter) has no such bound.
ID_SCHEMA = {"type": "string", "maxLength": 64}
_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


def _ref(model) -> dict:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _content(media: str, schema: dict) -> dict:
    return {"content": {media: {"schema": schema}}}


def _answer(answer: Answer) -> dict:
    if answer.media is None:
        return {"description": answer.description}
    if answer.model is not None:
        schema = _ref(answer.model)
    elif answer.media == JSON:
        schema = {"type": "object"}
    else:
        schema = {"type": "string", "format": "binary"}
    return {"description": answer.description, **_content(answer.media, schema)}


def _path_and_parameters(rule: str) -> tuple[str, list[dict]]:
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string"} if converter == "tail" else ID_SCHEMA,
        }
        for converter, name in _ARGUMENT.findall(rule)
    ]
    path = _ARGUMENT.sub(lambda match: "{" + match.group(2) + "}", rule)
    return path.removeprefix(bp.url_prefix), parameters


def _operation(operation: Operation, parameters: list[dict], token: bool) -> dict:
    refusals = set(operation.refusals) | {503}
    if token:
        refusals |= {401, 403}
    document: dict = {"summary": operation.summary}
    if token:
        document["security"] = AUTH
    if parameters:
        document["parameters"] = parameters
    if operation.body is not None:
        document["requestBody"] = {"required": True, **_content(JSON, _ref(operation.body))}
    if operation.form is not None:
        document["requestBody"] = {
            "required": True,
            **_content("multipart/form-data", _ref(operation.form)),
        }
    if "requestBody" in document:
        refusals.add(413)  # a body over the size limit
    answers = {str(status): _answer(answer) for status, answer in operation.answers.items()}
    for status in sorted(refusals):
        answers[str(status)] = _answer(Answer(UNAVAILABLE if status == 503 else REFUSED, Error))
    document["responses"] = answers
    return document


def api_rules():
    """The routes of this API, each with its declared operation (LookupError if it has none)."""
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith(f"{bp.name}."):
            if rule.endpoint not in OPERATIONS:
                raise LookupError(f"{rule.rule} declares no operation (@documented)")
            yield rule, OPERATIONS[rule.endpoint]


def _paths() -> dict:
    paths: dict = {}
    for rule, operation in api_rules():
        path, parameters = _path_and_parameters(rule.rule)
        token = getattr(current_app.view_functions[rule.endpoint], "requires_token", False)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(operation, parameters, token)
    return paths


def _schemas() -> dict:
    models = {Error}
    for operation in OPERATIONS.values():
        models |= {operation.body, operation.form} - {None}
        models |= {answer.model for answer in operation.answers.values()} - {None}
    _, schemas = models_json_schema(
        [(model, "validation") for model in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    return schemas["$defs"]


@bp.get("/openapi.json")
@documented("This document", {200: Answer("The OpenAPI 3 description of this API")})
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
            "paths": _paths(),
            "components": {
                "schemas": _schemas(),
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
        }
    )
