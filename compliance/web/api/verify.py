"""Public verification calls: no login, nothing but the slip asked about."""

from flask import jsonify

from compliance.services import verification
from compliance.web.api import bp


@bp.get("/verify/<path:code_or_token>")
def verify(code_or_token: str):
    return jsonify(verification.verify_code_or_token(code_or_token).as_dict())
