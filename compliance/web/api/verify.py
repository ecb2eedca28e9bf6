"""Public verification calls: no login, nothing but the slip asked about."""

from flask import abort, jsonify, request

from compliance.services import verification
from compliance.services.errors import InvalidInput
from compliance.web.api import bp


@bp.get("/verify/<path:code_or_token>")
def verify(code_or_token: str):
    return jsonify(verification.verify_code_or_token(code_or_token).as_dict())


MAX_SLIP_PDF_BYTES = 2 * 1024 * 1024


@bp.post("/verify/pdf")
def verify_pdf():
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput("file", "Attach the slip PDF as the multipart field 'file'.")
    data = upload.read(MAX_SLIP_PDF_BYTES + 1)
    if len(data) > MAX_SLIP_PDF_BYTES:
        abort(413)
    return jsonify(verification.verify_pdf(data).as_dict())
