"""Public verification calls: no login, nothing but the slip asked about."""

import json

from flask import Response, abort, current_app

from compliance.domain.verdict import Verdict
from compliance.services import verification
from compliance.services.errors import Unprocessable
from compliance.web.api.answers import Verdict as VerdictAnswer
from compliance.web.api.blueprint import bp
from compliance.web.api.bodies import SlipUpload
from compliance.web.api.operations import Answer, documented
from compliance.web.api.reading import request_form
from compliance.web.limits import (
    note_upload_verdict,
    note_verdict,
    note_wrong_guess,
    unknown_codes_limit,
    uploads_limit,
)

MAX_SLIP_PDF_BYTES = 2 * 1024 * 1024
# A verdict holds as of the moment it is given: no cache may replay "valid" after a revocation.
VERDICT_HEADERS = {"Cache-Control": "no-store"}
# The same bytes as jsonify: compact, keys sorted, ASCII only.
_VERDICT_JSON = json.JSONEncoder(separators=(",", ":"), sort_keys=True)


def verdict_response(verdict: Verdict) -> Response:
    """Return the verdict as JSON in one response, built once with its headers.

    jsonify and then a (response, headers) tuple make Flask build the headers twice; on the
    busiest call of the service that was a tenth of its Python time outside the check itself.
    """
    body = _VERDICT_JSON.encode(verdict.as_dict()) + "\n"
    return current_app.response_class(body, mimetype="application/json", headers=VERDICT_HEADERS)


@bp.get("/verify/<tail:code_or_token>")
@unknown_codes_limit
@documented(
    "Verdict for a short code or a slip token (no login)",
    {200: Answer("The verdict", VerdictAnswer)},
    # A path no code or token can have (a control character, say) is no address at all;
    # too many unknown codes from one address are throttled.
    refusals=(404, 429),
)
def verify(code_or_token: str):
    verdict = verification.verify_code_or_token(code_or_token)
    note_verdict(verdict.status.value)
    return verdict_response(verdict)


@bp.post("/verify/pdf")
@uploads_limit
@documented(
    "Verdict for an uploaded slip PDF, including whether it was edited",
    {200: Answer("The verdict", VerdictAnswer)},
    refusals=(400, 422, 429),
    form=SlipUpload,
)
def verify_pdf():
    data = request_form().file.read(MAX_SLIP_PDF_BYTES + 1)
    if len(data) > MAX_SLIP_PDF_BYTES:
        abort(413)
    try:
        verdict = verification.verify_pdf(data)
    except Unprocessable:
        note_wrong_guess()
        raise
    note_upload_verdict(verdict.status.value)
    return verdict_response(verdict)
