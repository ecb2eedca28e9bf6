"""Whether two PDFs look the same to a reader: every page rendered and compared pixel by pixel.

A genuine file re-saved by qpdf, linearised, or printed to PDF by an ordinary tool keeps what a
person sees while its bytes change. Pages are rendered in grey at 150 dpi. A pixel counts as
changed only when it went from ink to paper or back (past 96 of 255 grey levels) and no pixel
next to it in the other render explains it: a writer that moves a glyph by a fraction of a
pixel (cairo does) changes edges, never that. Changing "58" to "59" minutes on a slip still
leaves at least ten pixels unexplained; four are allowed for noise.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PIL import Image, ImageChops

DPI = 150
_INK_CHANGE = 96  # of 255 grey levels: from ink to paper or back
MAX_DIFFERENT_PIXELS = 4  # per page: cairo's 0.1 % rescaling of A4 leaves up to 3
MAX_PAGES = 50
_PAGE_SIZE_TOLERANCE = 1.0  # points
_SCALES = (0.9, 1.1)  # how much a copy's drawing may have been scaled, printing it
_SCALE_SKEW = 0.004  # width and height scaled alike, within a pixel or two


class UnreadablePdf(ValueError):
    """The file could not be opened or rendered as a PDF."""


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Return each page's size in points; UnreadablePdf if it cannot be read."""
    with _open(pdf) as document:
        return [document[i].get_size() for i in range(len(document))]


def looks_the_same(uploaded: bytes, issued: bytes) -> bool:
    """Return whether every page of `uploaded` shows what the same page of `issued` shows."""
    with _open(uploaded) as theirs, _open(issued) as ours:
        if len(theirs) != len(ours) or len(ours) > MAX_PAGES:
            return False
        for number in range(len(ours)):
            page, issued_page = theirs[number], ours[number]
            if not _same_size(page.get_size(), issued_page.get_size()):
                return False
            expected = _render(issued_page)
            seen = _registered(page, expected)
            if seen is None or _different_pixels(seen, expected) > MAX_DIFFERENT_PIXELS:
                return False
    return True


def _open(pdf: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise UnreadablePdf(str(error)) from error


def _same_size(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return all(abs(x - y) <= _PAGE_SIZE_TOLERANCE for x, y in zip(a, b, strict=True))


def _render(page: pdfium.PdfPage, scale: float = 1.0) -> Image.Image:
    """Return the page as a reader shows it (annotations and form fields too), in grey, without
    smoothing: a pixel is ink or paper, so a writer's rounding moves edges by whole pixels."""
    bitmap = page.render(
        scale=scale * DPI / 72,
        grayscale=True,
        may_draw_forms=True,
        draw_annots=True,
        no_smoothtext=True,
        no_smoothpath=True,
    )
    return bitmap.to_pil().convert("L")


def _registered(page: pdfium.PdfPage, expected: Image.Image) -> Image.Image | None:
    """Return the page rendered so that its ink covers the same box as `expected`'s.

    Printing to PDF may shift a page or scale it a little (cairo by 0.1 %, "fit to page" by a
    few per cent); what matters is whether the drawing is the same, so the page is drawn again
    at the scale that matches and moved into place. None when the proportions differ beyond
    that, or only one page is blank.
    """
    seen = _render(page)
    seen_box, expected_box = _ink_box(seen), _ink_box(expected)
    if seen_box is None or expected_box is None:
        return seen if seen_box == expected_box else None
    if seen_box == expected_box:
        return seen
    scale_x = (expected_box[2] - expected_box[0]) / (seen_box[2] - seen_box[0])
    scale_y = (expected_box[3] - expected_box[1]) / (seen_box[3] - seen_box[1])
    if not (_SCALES[0] <= scale_x <= _SCALES[1] and abs(scale_x - scale_y) <= _SCALE_SKEW):
        return None
    seen = _render(page, (scale_x + scale_y) / 2)
    seen_box = _ink_box(seen)
    registered = Image.new("L", expected.size, 255)
    registered.paste(seen.crop(seen_box), expected_box[:2])
    return registered


def _ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """Return the box around everything drawn on the page, or None for a blank page."""
    return ImageChops.invert(image).point(_ink_change).getbbox()


def _different_pixels(a: Image.Image, b: Image.Image) -> int:
    """Return how many pixels of either render the other cannot explain: ink where the other
    has only paper within a pixel around, or paper where the other has only ink around."""
    if a.size != b.size:
        return a.width * a.height
    box = _changed_box(a, b)
    if box is None:
        return 0  # the same pixels: a re-save that left the page's drawing alone
    a, b = a.crop(box), b.crop(box)
    return _unexplained(a, b) + _unexplained(b, a)


def _changed_box(a: Image.Image, b: Image.Image) -> tuple[int, int, int, int] | None:
    """Return the box around every pixel that changed from ink to paper or back, with a margin
    for the neighbourhoods compared around them, or None."""
    box = ImageChops.difference(a, b).point(_ink_change).getbbox()
    if box is None:
        return None
    left, top, right, bottom = box
    margin = 2
    return (
        max(left - margin, 0),
        max(top - margin, 0),
        min(right + margin, a.width),
        min(bottom + margin, a.height),
    )


def _unexplained(a: Image.Image, b: Image.Image) -> int:
    """Return how many pixels of `a` are darker than all of b's 3x3 neighbourhood, or lighter,
    by more than half the grey range (a glyph edge shifted by less than a pixel is explained)."""
    darkest, lightest = _neighbourhood_extremes(b)
    darker = ImageChops.subtract(darkest, a)  # a has ink where b has none near
    lighter = ImageChops.subtract(a, lightest)  # a has paper where b has only ink near
    return ImageChops.lighter(darker, lighter).point(_ink_change).histogram()[255]


def _neighbourhood_extremes(image: Image.Image) -> tuple[Image.Image, Image.Image]:
    """Return each pixel's darkest and lightest 3x3 neighbour (Pillow's rank filters are slow)."""
    darkest = lightest = image
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            if dx or dy:
                shifted = ImageChops.offset(image, dx, dy)
                darkest = ImageChops.darker(darkest, shifted)
                lightest = ImageChops.lighter(lightest, shifted)
    return darkest, lightest


def _ink_change(level: int) -> int:
    return 255 if level >= _INK_CHANGE else 0
