"""Helpers that inspect PDFs with real tools: qpdf, poppler's pdftoppm/pdftotext, and zxing-cpp."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageFilter

_FALSE_VALUES = {"", "0", "false", "no", "off"}
QPDF_WARNINGS = 3


def running_in_ci() -> bool:
    """Return whether the CI environment variable is set to a true value."""
    return os.environ.get("CI", "").strip().lower() not in _FALSE_VALUES


def require_tool(name: str) -> str:
    """Return the path of an executable; skip the test without it, but fail it in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"the {name!r} executable is not installed"
        if running_in_ci():
            pytest.fail(f"{message}, and CI must not skip tests that need it")
        pytest.skip(message)
    return path


def _as_file(pdf: bytes | str | Path, directory: Path) -> Path:
    if isinstance(pdf, bytes):
        path = directory / "document.pdf"
        path.write_bytes(pdf)
        return path
    return Path(pdf)


def qpdf_check(pdf: bytes | str | Path) -> None:
    """Assert that `qpdf --check` finds neither errors nor warnings in the PDF."""
    qpdf = require_tool("qpdf")
    with tempfile.TemporaryDirectory() as directory:
        path = _as_file(pdf, Path(directory))
        result = subprocess.run(
            [qpdf, "--check", str(path)], capture_output=True, text=True, check=False
        )
    kind = "warnings" if result.returncode == QPDF_WARNINGS else "errors"
    assert result.returncode == 0, (
        f"qpdf --check reported {kind} (exit {result.returncode}):\n"
        f"{result.stdout}\n{result.stderr}"
    )


def render_pages(pdf_bytes: bytes, dpi: int = 150, directory: Path | None = None) -> list[Path]:
    """Render every page to a PNG with pdftoppm; return the images in page order."""
    pdftoppm = require_tool("pdftoppm")
    directory = Path(directory or tempfile.mkdtemp(prefix="pdf-pages-"))
    source = _as_file(pdf_bytes, directory)
    subprocess.run(
        [pdftoppm, "-r", str(dpi), "-png", str(source), str(directory / "page")],
        check=True,
        capture_output=True,
    )
    # pdftoppm pads page numbers to the width of the page count, so sort numerically.
    return sorted(directory.glob("page-*.png"), key=lambda path: int(path.stem.split("-")[-1]))


def pdf_text(pdf_bytes: bytes, *extra_args: str) -> str:
    """Return the PDF's text layer as pdftotext extracts it (UTF-8)."""
    pdftotext = require_tool("pdftotext")
    with tempfile.TemporaryDirectory() as directory:
        path = _as_file(pdf_bytes, Path(directory))
        result = subprocess.run(
            [pdftotext, "-enc", "UTF-8", *extra_args, str(path), "-"],
            check=True,
            capture_output=True,
        )
    return result.stdout.decode("utf-8")


def decode_qr_texts(png_path: str | Path) -> list[str]:
    """Return the text of every QR code zxing-cpp finds in the image."""
    with Image.open(png_path) as image:
        results = zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.Plain
        )
    return [result.text for result in results]


def decode_qr_codes(png_path: str | Path) -> list[zxingcpp.Barcode]:
    """Return every QR code zxing-cpp finds in the image, with its position."""
    with Image.open(png_path) as image:
        return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def phone_photo(png_path: str | Path, blur: float = 1.0) -> Image.Image:
    """Return the page as a phone photo of it would be: blurred, turned 5°, seen slightly from
    below (the top edge 4% narrower), and JPEG-compressed at quality 40."""
    with Image.open(png_path) as page:
        image = page.convert("L").filter(ImageFilter.GaussianBlur(blur))
    image = image.rotate(5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    width, height = image.size
    inset = 0.02 * width
    corners = (inset, 0, 0, height, width, height, width - inset, 0)  # NW, SW, SE, NE
    image = image.transform(
        (width, height), Image.Transform.QUAD, corners, Image.Resampling.BICUBIC, fillcolor=255
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=40)
    buffer.seek(0)
    return Image.open(buffer)


def decode_qr_photo(image: Image.Image) -> list[str]:
    """Return the text of every QR code zxing-cpp finds in a photo."""
    results = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.Plain
    )
    return [result.text for result in results]
