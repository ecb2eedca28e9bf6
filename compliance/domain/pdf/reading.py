"""Reading a document's own parts back from a PDF that other programs have rewritten.

A file re-saved with object streams keeps its Subject only inside a compressed stream, and a
file printed to PDF usually loses it altogether; the QR code on the first page still carries
the link. A re-saved summary's records attachment may be compressed too. All are read through
pdfium (and zxing-cpp), only when the plain reading fails.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import zxingcpp

_QR_DPI = 150
_LARGEST_PAGE = 17 * 72  # points: an upload's page is rendered only up to 17 inches a side


def subject_of(pdf: bytes) -> str | None:
    """Return the document's Subject as pdfium reads it, or None."""
    try:
        with pdfium.PdfDocument(pdf) as document:
            return document.get_metadata_dict().get("Subject") or None
    except pdfium.PdfiumError:
        return None


def qr_texts_on_first_page(pdf: bytes) -> list[str]:
    """Return the text of every QR code on the first page, rendered at 150 dpi."""
    try:
        with pdfium.PdfDocument(pdf) as document:
            if len(document) == 0:
                return []
            page = document[0]
            if max(page.get_size()) > _LARGEST_PAGE:  # a huge page would take gigabytes
                return []
            image = page.render(scale=_QR_DPI / 72, grayscale=True).to_pil()
    except pdfium.PdfiumError:
        return []
    codes = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.Plain
    )
    return [code.text for code in codes]


MAX_ATTACHMENT_BYTES = 1024 * 1024


def attachment_named(pdf: bytes, name: str) -> bytes | None:
    """Return the data of the document's attached file called `name`, or None."""
    try:
        with pdfium.PdfDocument(pdf) as document:
            for index in range(document.count_attachments()):
                attachment = document.get_attachment(index)
                if attachment.get_name() == name:
                    data = bytes(attachment.get_data())
                    return data if len(data) <= MAX_ATTACHMENT_BYTES else None
    except pdfium.PdfiumError:
        return None
    return None
