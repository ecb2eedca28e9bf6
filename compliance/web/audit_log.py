"""Admins browse and export the audit log, and see whether its chain is intact."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from compliance.models.accounts import Role
from compliance.services import audit
from compliance.web.auth import require_role

bp = Blueprint("audit_log", __name__, url_prefix="/admin/audit")
bp.before_request(require_role(Role.ADMIN))
PAGE_SIZE = 100


@bp.get("")
def browse():
    before = request.args.get("before", type=int)
    entries = audit.entries_page(before, PAGE_SIZE)
    older = entries[-1].seq if len(entries) == PAGE_SIZE else None
    report = audit.verify_chain() if request.args.get("check") else None
    return render_template("admin/audit.html", entries=entries, older=older, report=report)


@bp.get("/export.jsonl")
def export():
    lines = (
        json.dumps(audit.entry_as_dict(e), ensure_ascii=False) + "\n" for e in audit.all_entries()
    )
    return Response(
        "".join(lines),
        mimetype="application/x-ndjson",
        headers={
            "Content-Disposition": 'attachment; filename="audit-log.jsonl"',
            "Cache-Control": "no-store",
        },
    )
