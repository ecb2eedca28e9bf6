"""Public verification calls: no login, nothing but the slip asked about."""

from flask import abort, jsonify, request

from compliance.services import verification
from compliance.services.errors import InvalidInput
from compliance.web.api import bp
from compliance.web.limits import (
    note_verdict,
    unknown_codes_limit,
    uploads_limit,
    verifications_limit,
)

MAX_SLIP_PDF_BYTES = 2 * 1024 * 1024
# A verdict holds as of the moment it is given: no cache may replay "valid" after a revocation.
VERDICT_HEADERS = {"Cache-Control": "no-store"}


@bp.get("/verify/<path:code_or_token>")
@verifications_limit
@unknown_codes_limit
def verify(code_or_token: str):
    verdict = verification.verify_code_or_token(code_or_token)
    note_verdict(verdict.status.value)
    return jsonify(verdict.as_dict()), VERDICT_HEADERS


@bp.post("/verify/pdf")
@uploads_limit
def verify_pdf():
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput("file", "Attach the slip PDF as the multipart field 'file'.")
    data = upload.read(MAX_SLIP_PDF_BYTES + 1)
    if len(data) > MAX_SLIP_PDF_BYTES:
        abort(413)
    return jsonify(verification.verify_pdf(data).as_dict()), VERDICT_HEADERS
