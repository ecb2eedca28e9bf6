"""Published public keys, so anyone can verify a slip offline."""

from flask import Blueprint, Response, abort, jsonify

from compliance.models import KeyPurpose
from compliance.services import document_signing, keyring, revocation

bp = Blueprint("wellknown", __name__, url_prefix="/.well-known")


@bp.get("/jwks.json")
def jwks():
    return _public_key_set(keyring.published_jwks(KeyPurpose.DOCUMENTS))


@bp.get("/audit-jwks.json")
def audit_jwks():
    """The keys audit-log heads are signed with, to check an exported anchor file elsewhere."""
    return _public_key_set(keyring.published_jwks(KeyPurpose.AUDIT))


def _public_key_set(jwks: dict):
    response = jsonify(jwks)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/document-signing.pem")
def document_signing_certificate():
    """The certificate (and any chain) that signs slip and summary PDFs, for PDF readers."""
    response = Response(document_signing.published_pem(), mimetype="application/x-pem-file")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/crl/<kid>.json")
def revocation_list(kid: str):
    crl = revocation.revocation_list(kid)
    if crl is None:
        abort(404)
    response = jsonify(crl)
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
