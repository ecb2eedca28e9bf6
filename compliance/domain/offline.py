"""Verifying a slip with nothing but published files: the JWKS and, optionally, a CRL."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, date, datetime

from cryptography import x509

from compliance.domain import issued_copy
from compliance.domain.cases.report import report_answer, report_layout
from compliance.domain.pdf import signature
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.pdf import render_slip
from compliance.domain.slips.token import TokenError
from compliance.domain.summaries.pdf import render_summary
from compliance.domain.summaries.summary import (
    Summary,
    carries_other_records,
    read_records_attachment,
    summary_from_claims,
)
from compliance.domain.verdict import Status, SummaryStanding, Verdict


def keys_from_jwks(
    jwks: Mapping, default_types: frozenset[str] = slip_token.DOCUMENT_TYPES
) -> dict[str, slip_token.TrustedKey]:
    """Return what each Ed25519 key of a JWK Set vouches for, by kid; other key types and
    malformed entries are ignored. The kid must be the key's own thumbprint."""
    keys = {}
    for jwk in jwks.get("keys", []) if isinstance(jwks, Mapping) else []:
        if not isinstance(jwk, Mapping) or not isinstance(jwk.get("kid"), str):
            continue
        try:
            trusted = slip_token.trusted_key_from_jwk(jwk, default_types)
        except (ValueError, TokenError):
            continue
        if slip_token.thumbprint(trusted.public_key) == jwk["kid"]:
            keys[jwk["kid"]] = trusted
    return keys


def revocation_id(kid: str, code: str) -> str:
    """Return the id a revocation list publishes for a record, as SMART Health Cards do: 64 bits
    of HMAC-SHA-256 keyed with the kid over the code. Whoever holds the slip can compute it;
    the list alone names no one and leads to no record."""
    digest = hmac.new(kid.encode("ascii"), code.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:8]).rstrip(b"=").decode("ascii")


def is_listed_as_revoked(crl: Mapping | None, kid: str, code: str) -> bool:
    """Return whether a revocation list of this key lists the record (by its derived id; lists
    from before derived ids named codes, and are read too)."""
    if not isinstance(crl, Mapping) or crl.get("kid") != kid:
        return False
    rids = crl.get("rids", [])
    if isinstance(rids, list) and revocation_id(kid, code) in rids:
        return True
    entries = crl.get("revoked", [])
    return isinstance(entries, list) and any(
        isinstance(e, Mapping) and e.get("code") == code for e in entries
    )


def verify_offline(
    token: str, jwks: Mapping, crl: Mapping | None = None, issuer: str | None = None
) -> Verdict:
    """Return the verdict the published files support (they cannot know about later changes)."""
    keys = keys_from_jwks(jwks)
    try:
        verified = slip_token.verify(token, keys, issuer)
        if verified.typ == slip_token.SUMMARY_TYP:
            return _summary_verdict(verified, _signed_summary(verified, crl))
        slip = slip_token.slip_from_claims(verified.claims)
    except TokenError as error:
        reason = str(error).capitalize() + "."
        if error.problem is slip_token.TokenProblem.UNKNOWN_KEY:
            reason = "Not signed by any key in the given JWKS (unknown, or withdrawn)."
        elif error.problem is slip_token.TokenProblem.AFTER_KEY_RETIRED:
            reason = "Signed with a retired key after the date the JWKS says it stopped signing."
        return Verdict(Status.INVALID, reason=reason)
    if is_listed_as_revoked(crl, verified.kid, slip.code):
        reason = "Withdrawn by the issuer; the reason is shown when the slip is checked online."
        return Verdict(Status.REVOKED, slip, verified.kid, reason)
    return Verdict(Status.VALID, slip, verified.kid)


def _summary_verdict(verified: slip_token.VerifiedToken, summary: SummaryStanding) -> Verdict:
    """Offline, a summary shows what it signed. With a revocation list and the codes the
    summary carries, records withdrawn since are counted out; a summary with none left is
    revoked. (A long summary carries only a digest: each record's standing needs the service.)"""
    if summary.proves_nothing_now:
        return Verdict(
            Status.REVOKED,
            kid=verified.kid,
            reason="Every record this summary lists has been withdrawn since it was made.",
            summary=summary,
        )
    return Verdict(Status.VALID, kid=verified.kid, summary=summary)


def _signed_summary(verified: slip_token.VerifiedToken, crl: Mapping | None) -> SummaryStanding:
    """Return what a verified summary token signed, and which of the codes it carries a
    revocation list of its key lists."""
    try:
        return _summary_claims(verified, crl)
    except (KeyError, TypeError, ValueError, OverflowError, OSError) as error:
        raise slip_token.TokenError(slip_token.TokenProblem.MALFORMED) from error


def _summary_claims(verified: slip_token.VerifiedToken, crl: Mapping | None) -> SummaryStanding:
    claims = verified.claims
    carried = claims.get("codes")
    codes = tuple(str(code) for code in carried) if isinstance(carried, list) else None
    revoked = None
    if crl is not None and codes is not None:
        revoked = tuple(c for c in codes if is_listed_as_revoked(crl, verified.kid, c))
    return SummaryStanding(
        name=claims["name"],
        date_from=date.fromisoformat(claims["from"]),
        date_to=date.fromisoformat(claims["to"]),
        issued_at=datetime.fromtimestamp(claims["iat"], UTC),
        listed=claims["n"],
        listed_minutes=claims["min"],
        codes=codes,
        revoked_codes=revoked,
        report=report_answer(claims),
    )


def check_file(
    verdict: Verdict, token: str, pdf: bytes, certificates: tuple[x509.Certificate, ...] = ()
) -> Verdict:
    """Turn a valid verdict into `altered` when the file was changed after it was signed (its
    PDF signature, checked with pyHanko's modification analysis; with `certificates`, the
    published document-signing ones, a signature by anyone else too), or does not show
    exactly what the document re-created from its token shows (for a summary, from the token
    and the records it carries, which the token signs)."""
    if verdict.status is not Status.VALID:
        return verdict
    state = signature.signature_state(pdf, certificates)
    edited, intact = issued_copy.signature_says(state, signer_known=bool(certificates))
    if edited is not None:
        return issued_copy.altered(verdict, edited)
    claims = slip_token.read_claims_unverified(token)
    url = f"{claims.get('iss', '')}/v/{token}"
    if verdict.slip is not None:
        slip = verdict.slip

        def issued_on(paper: str) -> bytes:
            return render_slip(slip, url, paper)

    elif "ld" not in claims:
        return Verdict(
            Status.INVALID,
            kid=verdict.kid,
            reason="This summary was made before summaries carried their records, so its file "
            "can be checked only online.",
        )
    elif carries_other_records(claims, pdf):
        return issued_copy.altered(verdict)
    else:
        summary = _summary_in_file(claims, pdf)
        if summary is None:
            return Verdict(
                Status.INVALID,
                kid=verdict.kid,
                reason="This copy of the summary does not carry the records it lists (a "
                "re-saved or printed copy), so it can be checked only online.",
            )

        def issued_on(paper: str) -> bytes:
            return render_summary(summary, url, paper=paper, **report_layout(claims))

    return issued_copy.compare_with_issued(verdict, pdf, issued_on, signed_intact=intact)


def _summary_in_file(claims: Mapping, pdf: bytes) -> Summary | None:
    """Return the summary its claims and the records attached to `pdf` describe; None when
    the attachment is missing or not the one signed."""
    attachment = read_records_attachment(pdf)
    if attachment is None:
        return None
    try:
        return summary_from_claims(claims, attachment)
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
