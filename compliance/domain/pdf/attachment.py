"""One JSON file attached to a document (PDF "embedded file"), and reading it back from bytes.

A summary carries its records as an attachment so that a verifier holding only the file and the
published keys can re-create it; a PDF reader lists it among the document's attachments. The
JSON is written uncompressed and ASCII-only, and starts with a fixed marker, so it can be found
without a PDF library.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

MAX_ATTACHMENT_BYTES = 1024 * 1024
_END_OF_STREAM = b"endstream"


def attach_json(pdf: Canvas, filename: str, description: str, payload: bytes) -> None:
    """Attach `payload` (ASCII JSON) to the document under `filename`."""
    kind = {"Type": pdfdoc.PDFName("EmbeddedFile"), "Subtype": pdfdoc.PDFName("application#2Fjson")}
    stream = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary(kind),
        payload.decode("ascii"),
        filters=[],  # stays readable in place: see the module docstring
    )
    document = pdf._doc
    spec = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("Filespec"),
            "F": pdfdoc.PDFString(filename),
            "UF": pdfdoc.PDFString(filename),
            "Desc": pdfdoc.PDFString(description),
            "AFRelationship": pdfdoc.PDFName("Data"),
            "EF": pdfdoc.PDFDictionary({"F": document.Reference(stream)}),
        }
    )
    names = pdfdoc.PDFArray([pdfdoc.PDFString(filename), document.Reference(spec)])
    document.Catalog.Names = pdfdoc.PDFDictionary(
        {"EmbeddedFiles": pdfdoc.PDFDictionary({"Names": names})}
    )


def read_attached_json(pdf_bytes: bytes, marker: bytes) -> bytes | None:
    """Return the last attached JSON that starts with `marker` (the one a later incremental
    update would show), or None; never raises."""
    if not isinstance(pdf_bytes, bytes | bytearray):
        return None
    start = pdf_bytes.rfind(marker)
    if start < 0:
        return None
    end = pdf_bytes.find(_END_OF_STREAM, start, start + MAX_ATTACHMENT_BYTES)
    if end < 0:
        return None
    return bytes(pdf_bytes[start:end]).rstrip(b"\r\n")
