"""Facilitator calls on issued records."""

from flask import g, jsonify

from compliance.services import revocation
from compliance.web.api import bp
from compliance.web.api.auth import facilitator_required
from compliance.web.api.inputs import json_body, text
from compliance.web.api.presenters import record_json


@bp.post("/records/<record_id>/revoke")
@facilitator_required
def revoke_record(record_id: str):
    revocation.record_for(g.api_user, record_id)
    body = json_body()
    record = revocation.revoke_record(g.api_user, record_id, text(body, "reason", max_length=2000))
    return jsonify(record_json(record))
