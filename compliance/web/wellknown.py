"""Published public keys, so anyone can verify a slip offline."""

from flask import Blueprint, jsonify

from compliance.services import keyring

bp = Blueprint("wellknown", __name__, url_prefix="/.well-known")


@bp.get("/jwks.json")
def jwks():
    response = jsonify(keyring.published_jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
