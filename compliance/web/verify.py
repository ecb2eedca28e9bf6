"""Officers' pages: the QR target and the type-a-code form. No login, one slip only."""

from flask import Blueprint, render_template, request

from compliance.services import verification

bp = Blueprint("verify", __name__)


@bp.get("/v/<path:token>")
def verdict_for_token(token: str):
    verdict = verification.verify_token(token)
    return render_template("verify/verdict.html", verdict=verdict)


@bp.get("/verify")
def verify_form():
    code = request.args.get("code", "").strip()[:64]
    verdict = verification.verify_code(code) if code else None
    return render_template("verify/form.html", code=code, verdict=verdict)


@bp.get("/")
def home():
    return render_template("home.html")
