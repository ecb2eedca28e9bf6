"""A reportlab canvas whose file depends only on what is drawn on it and on the caller's inputs.

The service re-renders documents to compare them with uploaded files, so nothing here may
depend on the clock, randomness, the process locale or environment, or on earlier renders.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from datetime import UTC, datetime

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

AUTHOR = "Attendance verification service"


def deterministic_canvas(
    buffer: io.BytesIO,
    *,
    language: str,
    title: str,
    subject: str,
    keywords: str,
    created: datetime,
    identity: str,
    font: str,
    pagesize: tuple[float, float] = letter,
) -> Canvas:
    """Return a canvas (US Letter unless told): fixed metadata, dates `created`, ID derived
    from `identity`.

    `font`, a registered embedded font, is the page's starting font: reportlab's default, an
    unembedded Helvetica, would otherwise be listed in every file.
    """
    pdf = Canvas(
        buffer,
        pagesize=pagesize,
        invariant=1,
        pageCompression=1,
        lang=language,
        initialFontName=font,
    )
    pdf.setTitle(title)
    pdf.setAuthor(AUTHOR)
    pdf.setCreator(AUTHOR)
    pdf.setProducer(AUTHOR)
    pdf.setSubject(subject)
    pdf.setKeywords(keywords)
    moment = created.astimezone(UTC)
    pdf.setDateFormatter(lambda *_: f"D:{moment:%Y%m%d%H%M%S}+00'00'")
    _pin_document_id(pdf, identity)
    return pdf


def _pin_document_id(pdf: Canvas, identity: str) -> None:
    """Derive the file ID from `identity`; reportlab's own still mixes in SOURCE_DATE_EPOCH."""
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32].upper()
    pdf._doc._ID = f"\n[<{digest}><{digest}>]\n".encode("ascii")


def compress_last_page(pdf: Canvas) -> None:
    """Flate-compress the page just finished with showPage() ourselves.

    reportlab would also ASCII85-encode it, slowly, whenever the process-wide rl_config.useA85
    is set, and a process-wide switch must not change a document's bytes.
    """
    page = pdf._doc.Pages.pages[-1]
    # Level 1: QR runs and table text compress ~9x faster than at the default for ~2 KB more.
    page.Contents = flate_stream(zlib.compress(page.stream.encode("utf-8"), 1))


def flate_stream(compressed: bytes) -> pdfdoc.PDFStream:
    """Return a stream object for content that is already Flate-compressed."""
    stream = pdfdoc.PDFStream(content=compressed)
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    return stream
