"""Slip downloads through signed links: no login, not guessable from the code."""

from flask import Blueprint, Response, abort

from compliance.services import slips
from compliance.web.paper import requested_paper

bp = Blueprint("slips", __name__)


@bp.get("/slips/<link>.pdf")
def download_slip(link: str):
    record = slips.record_for_download(link)
    if record is None:
        abort(404)
    filename = f"attendance-slip-{record.code}.pdf"
    return Response(
        slips.download_slip(record, requested_paper()),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, no-store",
            "Vary": "Accept-Language",
        },
    )
