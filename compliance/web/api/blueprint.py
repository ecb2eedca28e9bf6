"""The API's blueprint, apart from the views that attach to it (so none imports its package)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
