"""The facilitators' blueprint and what every one of its pages shares, apart from the views."""

from flask import Blueprint, flash, redirect, request, url_for

from compliance.domain.slips.slip import format_code
from compliance.models.accounts import Role
from compliance.services.errors import Conflict
from compliance.web import local_time
from compliance.web.auth import require_role

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")
bp.before_request(require_role(Role.FACILITATOR, Role.ADMIN))
local_time.register_filters(bp)
bp.add_app_template_filter(format_code, "code")


STALE_TAB = (
    "This session is already signed (perhaps from another tab or by a co-facilitator), so "
    "nothing was changed. Its slips are below."
)


@bp.errorhandler(Conflict)
def explain_conflict(error: Conflict):
    """Say why (e.g. the session is signed already) on the page the facilitator came from.

    A page left open in a second tab meets this after signing: that is news, not a fault.
    """
    if "already signed" in error.message:
        flash(STALE_TAB, "info")
    else:
        flash(error.message, "error")
    session_id = (request.view_args or {}).get("session_id")
    if session_id:
        return redirect(url_for("facilitator.session_page", session_id=session_id))
    return redirect(url_for("facilitator.dashboard"))
