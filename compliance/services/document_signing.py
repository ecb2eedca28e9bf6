"""The document-signing certificate: made with the keys on first use, or installed by an operator.

keys/document-signing.pem holds the private key, the certificate and any chain, as PEM. The
service makes a self-signed one the first time it needs it; an operator who wants readers to
trust the files without installing anything puts a bundle from a CA there instead (see the
README). The certificates are published at /.well-known/document-signing.pem.
"""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from flask import current_app

from compliance.domain.pdf.signature import DocumentSigner, self_signed_bundle
from compliance.services.keyring import write_private_file

BUNDLE_FILE = "document-signing.pem"


def document_signer() -> DocumentSigner:
    """Return the signer of issued files, making its key and certificate on first use."""
    path = Path(current_app.config["KEYS_DIR"]) / BUNDLE_FILE
    if not path.exists():
        host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
        # Another worker may make it first; then everyone uses theirs.
        with contextlib.suppress(FileExistsError):
            write_private_file(path, self_signed_bundle(f"Attendance slips, {host}"))
    return _signer_from(str(path), os.stat(path).st_mtime_ns)


@lru_cache(maxsize=4)
def _signer_from(path: str, mtime_ns: int) -> DocumentSigner:
    """Read the bundle once per version of the file (an operator may replace it)."""
    return DocumentSigner.from_pem(Path(path).read_bytes())


def reason() -> str:
    """Return the reason a reader shows with the signature."""
    return f"Issued by {current_app.config['BASE_URL']}; check it at /verify there"


def sign(pdf: bytes, reason: str) -> bytes:
    """Return the file signed with the document-signing certificate."""
    return document_signer().sign(pdf, reason)


def trusted_certificates() -> tuple[x509.Certificate, ...]:
    """Return the certificates an upload's signature must chain to."""
    return document_signer().certificates


def published_pem() -> bytes:
    """Return the public certificates (signing certificate, then chain) as PEM."""
    return document_signer().certificates_pem()
