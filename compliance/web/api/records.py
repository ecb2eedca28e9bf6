"""Facilitator calls on issued records."""

from flask import g, jsonify

from compliance.services import revocation
from compliance.web.api.answers import Record
from compliance.web.api.auth import facilitator_required
from compliance.web.api.blueprint import bp
from compliance.web.api.bodies import RevokeInput
from compliance.web.api.operations import Answer, documented
from compliance.web.api.presenters import record_json
from compliance.web.api.reading import request_body


@bp.post("/records/<record_id>/revoke")
@facilitator_required
@documented(
    "Withdraw a record, with a reason",
    {200: Answer("The record", Record)},
    refusals=(400, 404),
    body=RevokeInput,
)
def revoke_record(record_id: str):
    revocation.record_for(g.api_user, record_id)
    record = revocation.revoke_record(g.api_user, record_id, request_body().reason)
    return jsonify(record_json(record))
