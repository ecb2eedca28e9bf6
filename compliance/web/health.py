"""Liveness for load balancers: is the database reachable?"""

import sqlalchemy as sa
from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError

from compliance.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "unavailable", "error": "The database is unreachable."}), 503
    return jsonify({"status": "ok"})
