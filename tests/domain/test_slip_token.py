import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from compliance.domain.slips import token as slip_token
from compliance.domain.slips.slip import Slip
from compliance.domain.slips.token import TokenError, TokenProblem

ISSUER = "https://verify.example.org"
RFC8037_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


SLIP = Slip(
    code="ABCD2345EFGH6789",
    name="Zoë Ñúñez-Kowalski",
    meeting="Tuesday Evening Recovery Circle",
    program="SMART Recovery",
    starts_at=datetime(2025, 3, 5, 1, 0, tzinfo=UTC),
    ends_at=datetime(2025, 3, 5, 2, 0, tzinfo=UTC),
    timezone="America/Chicago",
    present_minutes=58,
    facilitator="Sam R.",
    facilitator_id="F-1A2B3C4D",
    issued_at=datetime(2025, 3, 5, 2, 5, tzinfo=UTC),
)


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def kid(key):
    return slip_token.thumbprint(key.public_key())


@pytest.fixture(scope="module")
def token(key, kid):
    return slip_token.sign(slip_token.slip_claims(SLIP, ISSUER), key, kid, slip_token.SLIP_TYP)


def verify(token, keys):
    """Verify against public keys trusted for documents (or against TrustedKeys as given)."""
    trusted = {
        kid: key if isinstance(key, slip_token.TrustedKey) else trust_for_documents(key)
        for kid, key in keys.items()
    }
    return slip_token.verify(token, trusted, ISSUER)


def trust_for_documents(public_key, until=None):
    return slip_token.TrustedKey(public_key, slip_token.DOCUMENT_TYPES, until)


def test_round_trip_gives_back_the_same_slip(token, key, kid):
    verified = verify(token, {kid: key.public_key()})
    assert verified.kid == kid and verified.typ == slip_token.SLIP_TYP
    assert slip_token.slip_from_claims(verified.claims) == SLIP


def test_header_is_explicit(token, kid):
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": kid, "typ": slip_token.SLIP_TYP}


def test_any_jose_library_verifies_it_from_the_jwk(token, key):
    jwk = slip_token.public_jwk(key.public_key())
    public = jwt.PyJWK(jwk).key
    payload = jwt.api_jws.decode(token, public, algorithms=["EdDSA"])
    assert json.loads(payload)["jti"] == SLIP.code


def test_rfc8037_thumbprint_example():
    public = slip_token.public_key_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X})
    assert slip_token.thumbprint(public) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_rfc8037_signature_example_verifies_and_our_signer_reproduces_it():
    example = (
        "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
    )
    public = slip_token.public_key_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X})
    assert (
        jwt.api_jws.decode(example, public, algorithms=["EdDSA"]) == b"Example of Ed25519 signing"
    )
    private = Ed25519PrivateKey.from_private_bytes(unb64(RFC8037_D))
    signing_input = example.rsplit(".", 1)[0].encode()
    assert b64(private.sign(signing_input)) == example.rsplit(".", 1)[1]


def forge(header: dict, payload: dict, signature: bytes = b"x" * 64) -> str:
    return ".".join(
        [b64(json.dumps(header).encode()), b64(json.dumps(payload).encode()), b64(signature)]
    )


def test_alg_none_is_refused(token, key, kid):
    claims = slip_token.slip_claims(SLIP, ISSUER)
    forged = b64(json.dumps({"alg": "none", "kid": kid, "typ": slip_token.SLIP_TYP}).encode())
    forged += "." + b64(json.dumps(claims).encode()) + "."
    with pytest.raises(TokenError):
        verify(forged, {kid: key.public_key()})


def test_hs256_signed_with_the_public_key_bytes_is_refused(key, kid):
    header = {"alg": "HS256", "kid": kid, "typ": slip_token.SLIP_TYP}
    claims = slip_token.slip_claims(SLIP, ISSUER)
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    secret = slip_token.raw_public_bytes(key.public_key())
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(TokenError) as raised:
        verify(signing_input + "." + b64(mac), {kid: key.public_key()})
    assert raised.value.problem is TokenProblem.WRONG_ALGORITHM


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_rsa_or_ec_signature_under_our_kid_is_refused(algorithm, key, kid):
    other = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if algorithm == "RS256"
        else ec.generate_private_key(ec.SECP256R1())
    )
    forged = jwt.encode(
        slip_token.slip_claims(SLIP, ISSUER),
        other,
        algorithm=algorithm,
        headers={"kid": kid, "typ": slip_token.SLIP_TYP},
    )
    with pytest.raises(TokenError) as raised:
        verify(forged, {kid: key.public_key()})
    assert raised.value.problem is TokenProblem.WRONG_ALGORITHM


def test_eddsa_with_a_non_ed25519_key_in_the_key_map_is_refused(token, kid):
    with pytest.raises(TokenError) as raised:
        verify(token, {kid: ec.generate_private_key(ec.SECP256R1()).public_key()})
    assert raised.value.problem is TokenProblem.UNKNOWN_KEY


def test_unknown_kid(token, key):
    with pytest.raises(TokenError) as raised:
        verify(token, {"someone-else": key.public_key()})
    assert raised.value.problem is TokenProblem.UNKNOWN_KEY


def test_signature_from_another_ed25519_key(kid, key):
    other = Ed25519PrivateKey.generate()
    forged = slip_token.sign(slip_token.slip_claims(SLIP, ISSUER), other, kid, slip_token.SLIP_TYP)
    with pytest.raises(TokenError) as raised:
        verify(forged, {kid: key.public_key()})
    assert raised.value.problem is TokenProblem.BAD_SIGNATURE


def test_payload_changed_after_signing(token, key, kid):
    header, payload, signature = token.split(".")
    claims = json.loads(unb64(payload))
    claims["min"] = 60
    changed = ".".join([header, b64(json.dumps(claims).encode()), signature])
    with pytest.raises(TokenError) as raised:
        verify(changed, {kid: key.public_key()})
    assert raised.value.problem is TokenProblem.BAD_SIGNATURE


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-10],  # truncated signature
        lambda t: t.rsplit(".", 1)[0],  # two segments
        lambda t: t + ".AAAA",  # extra segment
        lambda t: t.replace(".", ".!", 1),  # not base64url
        lambda t: t + "A" * 100_000,  # 100 KB
        lambda t: "",
        lambda t: "...",
        lambda t: "a.b.c",
        lambda t: t.replace("e", "é", 1),
    ],
)
def test_malformed_tokens_are_refused(token, key, kid, mangle):
    with pytest.raises(TokenError):
        verify(mangle(token), {kid: key.public_key()})


def test_wrong_typ_and_wrong_issuer(key, kid):
    claims = slip_token.slip_claims(SLIP, ISSUER)
    wrong_typ = slip_token.sign(claims, key, kid, "JWT")
    with pytest.raises(TokenError) as raised:
        verify(wrong_typ, {kid: key.public_key()})
    assert raised.value.problem is TokenProblem.WRONG_TYPE
    wrong_iss = slip_token.sign(
        slip_token.slip_claims(SLIP, "https://evil.example"), key, kid, slip_token.SLIP_TYP
    )
    with pytest.raises(TokenError) as raised:
        verify(wrong_iss, {kid: key.public_key()})
    assert raised.value.problem is TokenProblem.WRONG_ISSUER


def test_embedded_key_headers_are_refused(key, kid):
    claims = slip_token.slip_claims(SLIP, ISSUER)
    header = {
        "kid": kid,
        "typ": slip_token.SLIP_TYP,
        "jwk": slip_token.public_jwk(key.public_key()),
    }
    payload = json.dumps(claims).encode()
    forged = jwt.api_jws.encode(payload, key, algorithm="EdDSA", headers=header)
    with pytest.raises(TokenError) as raised:
        verify(forged, {kid: key.public_key()})
    assert raised.value.problem is TokenProblem.MALFORMED


@pytest.mark.parametrize("missing", ["jti", "name", "min", "start", "tz"])
def test_claims_missing_a_field_are_malformed(missing):
    claims = slip_token.slip_claims(SLIP, ISSUER)
    del claims[missing]
    with pytest.raises(TokenError):
        slip_token.slip_from_claims(claims)


def test_public_key_from_jwk_refuses_other_key_types():
    with pytest.raises(ValueError):
        slip_token.public_key_from_jwk({"kty": "EC", "crv": "P-256", "x": RFC8037_X})
    with pytest.raises(ValueError):
        slip_token.public_key_from_jwk({"kty": "OKP", "crv": "Ed448", "x": RFC8037_X})


def test_a_key_for_another_purpose_vouches_for_nothing_here(token, key, kid):
    audit_only = slip_token.TrustedKey(key.public_key(), slip_token.AUDIT_TYPES)
    with pytest.raises(TokenError) as raised:
        verify(token, {kid: audit_only})
    assert raised.value.problem is TokenProblem.WRONG_PURPOSE


def test_an_audit_head_is_not_a_document_even_under_a_key_that_signs_both(key, kid):
    head = slip_token.sign(
        {"iss": ISSUER, "seq": 1, "hash": "x", "iat": 1}, key, kid, slip_token.AUDIT_HEAD_TYP
    )
    both = slip_token.TrustedKey(
        key.public_key(), slip_token.DOCUMENT_TYPES | slip_token.AUDIT_TYPES
    )
    with pytest.raises(TokenError) as raised:
        verify(head, {kid: both})
    assert raised.value.problem is TokenProblem.WRONG_TYPE


def test_a_retired_key_vouches_only_up_to_its_until(token, key, kid):
    issued = int(SLIP.issued_at.timestamp())
    assert verify(token, {kid: trust_for_documents(key.public_key(), until=issued)}).kid == kid
    with pytest.raises(TokenError) as raised:
        verify(token, {kid: trust_for_documents(key.public_key(), until=issued - 1)})
    assert raised.value.problem is TokenProblem.AFTER_KEY_RETIRED


@pytest.mark.parametrize("iat", [None, "1741140300", 1.5, True])
def test_a_token_without_a_whole_issue_time_is_malformed(key, kid, iat):
    claims = slip_token.slip_claims(SLIP, ISSUER)
    if iat is None:
        del claims["iat"]
    else:
        claims["iat"] = iat
    unsure = slip_token.sign(claims, key, kid, slip_token.SLIP_TYP)
    with pytest.raises(TokenError) as raised:
        verify(unsure, {kid: key.public_key()})
    assert raised.value.problem is TokenProblem.MALFORMED


def test_the_published_jwk_says_what_a_key_signs_and_until_when(key):
    retired = slip_token.TrustedKey(
        key.public_key(), slip_token.DOCUMENT_TYPES, until=1_700_000_000
    )
    jwk = slip_token.public_jwk(key.public_key(), retired)
    assert jwk["token_types"] == sorted(slip_token.DOCUMENT_TYPES)
    assert jwk["until"] == 1_700_000_000
    assert slip_token.trusted_key_from_jwk(jwk, frozenset()) == retired
    current = trust_for_documents(key.public_key())
    assert "until" not in slip_token.public_jwk(key.public_key(), current)


@pytest.mark.parametrize(
    "bad", [{"token_types": "attendance-slip+jwt"}, {"until": "soon"}, {"until": 1.5}]
)
def test_a_jwk_with_malformed_purpose_or_window_is_refused(key, bad):
    jwk = {**slip_token.public_jwk(key.public_key()), **bad}
    with pytest.raises(ValueError):
        slip_token.trusted_key_from_jwk(jwk, slip_token.DOCUMENT_TYPES)


def test_a_tokens_length_is_known_before_signing(key, kid):
    claims = slip_token.slip_claims(SLIP, ISSUER)
    token = slip_token.sign(claims, key, kid, slip_token.SLIP_TYP)
    payload = len(slip_token.payload_bytes(claims))
    expected = slip_token.token_length_without_payload(slip_token.SLIP_TYP)
    assert len(token) == expected + slip_token.base64url_length(payload)
