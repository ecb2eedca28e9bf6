"""Verifying a slip with nothing but published files: the JWKS and, optionally, a CRL."""

from __future__ import annotations

from collections.abc import Mapping

from compliance.domain import slip_token
from compliance.domain.slip_pdf import render_slip
from compliance.domain.slip_token import TokenError
from compliance.domain.verdict import Status, Verdict


def keys_from_jwks(jwks: Mapping) -> dict:
    """Return the Ed25519 keys of a JWK Set by kid; other key types are ignored."""
    keys = {}
    for jwk in jwks.get("keys", []) if isinstance(jwks, Mapping) else []:
        if not isinstance(jwk, Mapping) or not isinstance(jwk.get("kid"), str):
            continue
        try:
            keys[jwk["kid"]] = slip_token.public_key_from_jwk(jwk)
        except (ValueError, TokenError):
            continue
    return keys


def revoked_codes(crl: Mapping | None, kid: str) -> dict[str, dict]:
    """Return the revoked record codes a CRL lists for one key."""
    if not isinstance(crl, Mapping) or crl.get("kid") != kid:
        return {}
    entries = crl.get("revoked", [])
    return {
        e["code"]: e for e in entries if isinstance(e, Mapping) and isinstance(e.get("code"), str)
    }


def verify_offline(
    token: str, jwks: Mapping, crl: Mapping | None = None, issuer: str | None = None
) -> Verdict:
    """Return the verdict the published files support (they cannot know about later changes)."""
    keys = keys_from_jwks(jwks)
    try:
        verified = slip_token.verify(token, keys, issuer)
        if verified.typ == slip_token.SUMMARY_TYP:
            return _summary_verdict(verified)
        slip = slip_token.slip_from_claims(verified.claims)
    except TokenError as error:
        reason = str(error).capitalize() + "."
        if error.problem is slip_token.TokenProblem.UNKNOWN_KEY:
            reason = "Not signed by any key in the given JWKS (unknown, or withdrawn)."
        return Verdict(Status.INVALID, reason=reason)
    revoked = revoked_codes(crl, verified.kid).get(slip.code)
    if revoked is not None:
        return Verdict(Status.REVOKED, slip, verified.kid, str(revoked.get("reason") or ""))
    return Verdict(Status.VALID, slip, verified.kid)


def _summary_verdict(verified: slip_token.VerifiedToken) -> Verdict:
    """Offline, a summary shows what it signed; each record's standing needs the service."""
    claims = verified.claims
    summary = {key: claims.get(key) for key in ("name", "from", "to", "n", "min", "codes")}
    return Verdict(Status.VALID, kid=verified.kid, summary=summary)


def check_file(verdict: Verdict, token: str, pdf: bytes) -> Verdict:
    """Turn a valid verdict into `altered` when the file is not byte-for-byte the issued one."""
    if verdict.status is not Status.VALID or verdict.slip is None:
        return verdict  # re-creating a summary's file needs its records: online only
    issuer = slip_token.read_claims_unverified(token).get("iss", "")
    if render_slip(verdict.slip, f"{issuer}/v/{token}") == pdf:
        return verdict
    return Verdict(
        Status.ALTERED,
        verdict.slip,
        verdict.kid,
        reason="This file was changed after issue; only the record shown here is genuine.",
    )
