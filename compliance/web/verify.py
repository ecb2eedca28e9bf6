"""Officers' pages: the QR target, type-a-code, upload-a-PDF. No login, one slip only."""

from flask import Blueprint, abort, render_template, request

from compliance.services import verification
from compliance.services.errors import Unprocessable
from compliance.web.api.verify import MAX_SLIP_PDF_BYTES, VERDICT_HEADERS
from compliance.web.limits import (
    note_upload_verdict,
    note_verdict,
    note_wrong_guess,
    unknown_codes_limit,
    uploads_limit,
)

bp = Blueprint("verify", __name__)


@bp.get("/v/<tail:token>")
def verdict_for_token(token: str):
    verdict = verification.verify_token(token)
    return render_template("verify/verdict.html", verdict=verdict), VERDICT_HEADERS


@bp.get("/verify")
@unknown_codes_limit
def verify_form():
    code = request.args.get("code", "").strip()[:64]
    verdict = verification.verify_code(code) if code else None
    if verdict is not None:
        note_verdict(verdict.status.value)
    return render_template("verify/form.html", code=code, verdict=verdict), VERDICT_HEADERS


@bp.post("/verify/pdf")
@uploads_limit
def verify_uploaded_pdf():
    upload = request.files.get("file")
    data = upload.read(MAX_SLIP_PDF_BYTES + 1) if upload else b""
    if len(data) > MAX_SLIP_PDF_BYTES:
        abort(413)
    try:
        verdict = verification.verify_pdf(data)
    except Unprocessable as error:
        note_wrong_guess()
        return render_template(
            "verify/form.html", code="", verdict=None, upload_error=error.message
        ), 422
    note_upload_verdict(verdict.status.value)
    return render_template("verify/form.html", code="", verdict=verdict), VERDICT_HEADERS


@bp.get("/")
def home():
    return render_template("home.html")
