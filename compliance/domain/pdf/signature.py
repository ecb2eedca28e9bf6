"""PDF signatures (PAdES baseline B, with pyHanko): signing an issued file, and checking one.

Every slip and summary file is signed with the service's document-signing certificate, so any
PDF reader shows it as signed and unmodified since; an upload's signature is checked with
pyHanko, including its modification analysis: anything saved after the signature (an
incremental update, even one that changes nothing visible) is an edit.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import partial
from typing import TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, validation
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from compliance.domain.pdf.cms import FastPadesSigner

_T = TypeVar("_T")
_DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # RFC 9336 id-kp-documentSigning
_MS_DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")  # what Acrobat looks for


class SignatureState(Enum):
    """What an upload's PDF signature says about the file."""

    UNSIGNED = "unsigned"  # no signature (printed to PDF, or re-saved by a tool that drops it)
    INTACT = "intact"  # signed with our certificate, nothing changed or added since
    UPDATED = "updated"  # the signature is intact but something was saved after it
    BROKEN = "broken"  # the signed bytes changed (a re-save rewrites them; so does an edit)
    OTHER_SIGNER = "other_signer"  # a good signature, but not by our certificate


@dataclass(frozen=True)
class DocumentSigner:
    """The certificate that signs issued files, its private key, and any chain up to a CA."""

    signer: signers.SimpleSigner
    certificates: tuple[x509.Certificate, ...]  # the signing certificate first

    @classmethod
    def from_pem(cls, pem: bytes) -> DocumentSigner:
        """Read a private key and its certificate (then any chain) from one PEM bundle."""
        key = serialization.load_pem_private_key(pem, password=None)
        certificates = tuple(x509.load_pem_x509_certificates(pem))
        public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        ours = [c for c in certificates if _public_der(c) == public]
        if not ours:
            raise ValueError("no certificate in the bundle matches its private key")
        ordered = (ours[0], *(c for c in certificates if c is not ours[0]))
        der = [c.public_bytes(serialization.Encoding.DER) for c in ordered]
        fast = isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
        make = partial(FastPadesSigner, key, ordered[0]) if fast else signers.SimpleSigner
        signer = make(
            signing_cert=asn1_x509.Certificate.load(der[0]),
            signing_key=asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
            cert_registry=SimpleCertificateStore.from_certs(
                [asn1_x509.Certificate.load(d) for d in der[1:]]
            ),
        )
        return cls(signer=signer, certificates=ordered)

    def certificates_pem(self) -> bytes:
        """Return the public certificates, signing certificate first, as PEM."""
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.certificates)

    def sign(self, pdf: bytes, reason: str, field_name: str = "Signature") -> bytes:
        """Return the file with a PAdES signature appended as an incremental update."""
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        # The room the signature takes in the file; without it pyHanko signs twice to measure.
        room = self.signer.room_needed() if isinstance(self.signer, FastPadesSigner) else None
        signed = outside_any_event_loop(
            lambda: signers.sign_pdf(writer, metadata, signer=self.signer, bytes_reserved=room)
        )
        return signed.getvalue()


def outside_any_event_loop(call: Callable[[], _T]) -> _T:
    """Return call(), run where no event loop is running: pyHanko's calls start their own
    (asyncio.run), which fails inside a running one (an async server, Playwright's sync API),
    so there they run on a thread of their own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def _public_der(certificate: x509.Certificate) -> bytes:
    return certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def self_signed_bundle(common_name: str, now: datetime | None = None) -> bytes:
    """Return a new P-256 private key and a 10-year self-signed document-signing certificate
    for it, as one PEM bundle (key first)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = now or datetime.now(UTC)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Attendance verification service"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [_DOCUMENT_SIGNING, _MS_DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem + certificate.public_bytes(serialization.Encoding.PEM)


def signature_state(pdf: bytes, trusted: tuple[x509.Certificate, ...]) -> SignatureState:
    """Return what the file's last signature says, checked by pyHanko against `trusted`
    certificates (the service's own and its chain), with its modification analysis."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - a file pyHanko cannot read carries no signature we know
        return SignatureState.UNSIGNED
    if not embedded:
        return SignatureState.UNSIGNED
    der = [c.public_bytes(serialization.Encoding.DER) for c in trusted]
    roots = [asn1_x509.Certificate.load(d) for d in der]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = outside_any_event_loop(
            lambda: validation.validate_pdf_signature(embedded[-1], context)
        )
    except (SigningError, ValueError, KeyError, TypeError):
        return SignatureState.BROKEN
    if not status.intact or not status.valid:
        return SignatureState.BROKEN
    unchanged = status.modification_level == ModificationLevel.NONE
    if status.coverage != validation.SignatureCoverageLevel.ENTIRE_FILE or not unchanged:
        return SignatureState.UPDATED
    return SignatureState.INTACT if status.trusted else SignatureState.OTHER_SIGNER
