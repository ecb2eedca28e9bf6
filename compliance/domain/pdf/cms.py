"""A PAdES CMS signature built from pre-encoded parts: pyHanko's own, built through asn1crypto,
took three quarters of a slip's signing time.

Everything but the document digest and the ECDSA signature is the same for every file one
certificate signs, so it is DER-encoded once. The signed attributes are those of PAdES baseline
B: content type, message digest and the ESS signing-certificate-v2 reference (the signing time
is the signature dictionary's /M, as PAdES wants). Used for P-256 keys, which the service makes;
an operator's certificate with another key type is signed through pyHanko's usual path.
"""

from __future__ import annotations

import hashlib

from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.sign import signers

_SEQUENCE, _SET, _OID, _OCTETS, _INTEGER = 0x30, 0x31, 0x06, 0x04, 0x02
_CONTEXT_0, _CONTEXT_4 = 0xA0, 0xA4


def _tlv(tag: int, content: bytes) -> bytes:
    """Return one DER element."""
    size = len(content)
    if size < 0x80:
        length = bytes([size])
    else:
        octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(octets)]) + octets
    return bytes([tag]) + length + content


def _oid(dotted: str) -> bytes:
    first, second, *rest = (int(part) for part in dotted.split("."))
    body = bytearray([40 * first + second])
    for value in rest:
        chunk = [value & 0x7F]
        value >>= 7
        while value:
            chunk.append(0x80 | (value & 0x7F))
            value >>= 7
        body.extend(reversed(chunk))
    return _tlv(_OID, bytes(body))


def _integer(value: int) -> bytes:
    return _tlv(_INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


_SHA256 = _tlv(_SEQUENCE, _oid("2.16.840.1.101.3.4.2.1"))
_ECDSA_SHA256 = _tlv(_SEQUENCE, _oid("1.2.840.10045.4.3.2"))
_ID_DATA = _oid("1.2.840.113549.1.7.1")
_SIGNED_DATA = _oid("1.2.840.113549.1.7.2")
_CONTENT_TYPE = _oid("1.2.840.113549.1.9.3")
_MESSAGE_DIGEST = _oid("1.2.840.113549.1.9.4")
_SIGNING_CERTIFICATE_V2 = _oid("1.2.840.113549.1.9.16.2.47")


class FastPadesSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner, with the CMS of a P-256 signature built from cached parts."""

    def __init__(self, key: ec.EllipticCurvePrivateKey, certificate: x509.Certificate, **kwargs):
        super().__init__(**kwargs)
        self._key = key
        der = certificate.public_bytes(serialization.Encoding.DER)
        issuer_and_serial = _tlv(
            _SEQUENCE, certificate.issuer.public_bytes() + _integer(certificate.serial_number)
        )
        issuer_serial = _tlv(
            _SEQUENCE,
            _tlv(_SEQUENCE, _tlv(_CONTEXT_4, certificate.issuer.public_bytes()))
            + _integer(certificate.serial_number),
        )
        # ESSCertIDv2 with the default hash algorithm (SHA-256) left out, as DER requires.
        cert_id = _tlv(_SEQUENCE, _tlv(_OCTETS, hashlib.sha256(der).digest()) + issuer_serial)
        signing_certificate = _tlv(_SEQUENCE, _tlv(_SEQUENCE, cert_id))
        self._fixed_attributes = (
            _tlv(_SEQUENCE, _CONTENT_TYPE + _tlv(_SET, _ID_DATA)),
            _tlv(_SEQUENCE, _SIGNING_CERTIFICATE_V2 + _tlv(_SET, signing_certificate)),
        )
        self._signer_info_head = _integer(1) + issuer_and_serial + _SHA256
        self._signed_data_head = (
            _integer(1) + _tlv(_SET, _SHA256) + _tlv(_SEQUENCE, _ID_DATA) + _tlv(_CONTEXT_0, der)
        )

    async def async_sign(self, data_digest: bytes, digest_algorithm: str, *args, **kwargs):
        """Return the CMS ContentInfo signing `data_digest` (SHA-256 only, else pyHanko's)."""
        if digest_algorithm != "sha256" or kwargs.get("timestamper") is not None:
            return await super().async_sign(data_digest, digest_algorithm, *args, **kwargs)
        return asn1_cms.ContentInfo.load(self.content_info(data_digest))

    def room_needed(self) -> int:
        """Return the room a signature needs in the file, as pyHanko counts it (hex digits):
        an ECDSA signature's DER varies by a few bytes, so 16 are added to one made now."""
        return 2 * (len(self.content_info(bytes(32))) + 16)

    def content_info(self, data_digest: bytes) -> bytes:
        """Return the DER of the CMS ContentInfo signing a SHA-256 document digest."""
        digest = _tlv(_SEQUENCE, _MESSAGE_DIGEST + _tlv(_SET, _tlv(_OCTETS, data_digest)))
        attributes = b"".join(sorted((*self._fixed_attributes, digest)))  # DER sorts a SET OF
        signature = self._key.sign(_tlv(_SET, attributes), ec.ECDSA(hashes.SHA256()))
        signer_info = _tlv(
            _SEQUENCE,
            self._signer_info_head
            + _tlv(_CONTEXT_0, attributes)
            + _ECDSA_SHA256
            + _tlv(_OCTETS, signature),
        )
        signed_data = _tlv(_SEQUENCE, self._signed_data_head + _tlv(_SET, signer_info))
        return _tlv(_SEQUENCE, _SIGNED_DATA + _tlv(_CONTEXT_0, signed_data))
