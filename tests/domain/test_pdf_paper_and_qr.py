"""Letter or A4, and a QR code that scans from a phone's photo of the printed page."""

from dataclasses import replace

import pytest

from compliance.domain.pdf.paper import A4_PAPER, LETTER, paper_for_locale, paper_named
from compliance.domain.pdf.qr import QR_MAX_VERSION, QR_QUIET_ZONE
from compliance.domain.slips.pdf import QR_PRINTED_SIZE, read_embedded_verify_url, render_slip
from compliance.domain.summaries.pdf import QR_PRINTED_SIZE as SUMMARY_QR_SIZE
from compliance.domain.summaries.pdf import render_summary
from tests.domain.test_pdf_scripts import slip_url, summary_url
from tests.domain.test_slip_pdf import SLIP
from tests.domain.test_summary_pdf import make_summary
from tests.support.pdf_tools import (
    decode_qr_photo,
    decode_qr_texts,
    pdf_text,
    phone_photo,
    qpdf_check,
    render_pages,
)

MM_PER_POINT = 25.4 / 72
PAGE_SIZES = {LETTER: (612, 792), A4_PAPER: (595.28, 841.89)}


def _page_size(pdf: bytes) -> tuple[float, float]:
    info = pdf_text(pdf, "-bbox").split("<page ", 1)[1].split(">", 1)[0]
    width = float(info.split('width="')[1].split('"')[0])
    height = float(info.split('height="')[1].split('"')[0])
    return width, height


@pytest.mark.parametrize("size", [QR_PRINTED_SIZE, SUMMARY_QR_SIZE])
def test_the_largest_qr_a_document_prints_has_modules_of_at_least_0_8_mm(size):
    modules = 4 * QR_MAX_VERSION + 17 + 2 * QR_QUIET_ZONE
    assert size / modules * MM_PER_POINT >= 0.8


# A realistic slip link is version 19: blur radius 1 px at 100 dpi is a soft phone photo.
@pytest.mark.parametrize("paper", [LETTER, A4_PAPER])
def test_a_slip_qr_decodes_from_a_phone_photo(paper, tmp_path):
    url = slip_url(SLIP)
    pdf = render_slip(SLIP, url, paper)
    (page,) = render_pages(pdf, dpi=100, directory=tmp_path)
    assert decode_qr_photo(phone_photo(page, blur=1.0)) == [url]


@pytest.mark.parametrize("paper", [LETTER, A4_PAPER])
def test_a_summary_qr_decodes_from_a_phone_photo(paper, tmp_path):
    summary = make_summary(12)
    url = summary_url(summary)
    pdf = render_summary(summary, url, paper)
    page = render_pages(pdf, dpi=100, directory=tmp_path)[0]
    assert decode_qr_photo(phone_photo(page, blur=1.0)) == [url]


def test_the_longest_name_a_slip_takes_still_decodes_from_a_phone_photo(tmp_path):
    slip = replace(SLIP, name="Maximiliane Wolfeschlegelsteinhausenbergerdorff " * 2)
    url = slip_url(slip)
    pdf = render_slip(slip, url)
    (page,) = render_pages(pdf, dpi=100, directory=tmp_path)
    assert decode_qr_photo(phone_photo(page, blur=0.8)) == [url]


@pytest.mark.parametrize("paper", [LETTER, A4_PAPER])
def test_a4_and_letter_carry_the_same_link_on_their_own_page_size(paper, tmp_path):
    url = slip_url(SLIP)
    pdf = render_slip(SLIP, url, paper)
    qpdf_check(pdf)
    assert _page_size(pdf) == pytest.approx(PAGE_SIZES[paper], abs=0.01)
    assert read_embedded_verify_url(pdf) == url
    (page,) = render_pages(pdf, dpi=150, directory=tmp_path)
    assert decode_qr_texts(page) == [url]


def test_a4_summary_is_a4_on_every_page(tmp_path):
    summary = make_summary(80)
    url = summary_url(summary)
    pdf = render_summary(summary, url, A4_PAPER)
    qpdf_check(pdf)
    pages = pdf_text(pdf, "-bbox").split("<page ")[1:]
    assert len(pages) >= 2
    for page in pages:
        assert 'width="595.' in page[:80] and 'height="841.' in page[:80]
    assert read_embedded_verify_url(pdf) == url


def test_letter_and_a4_files_differ_but_each_is_byte_stable():
    url = slip_url(SLIP)
    letter, a4 = render_slip(SLIP, url, LETTER), render_slip(SLIP, url, A4_PAPER)
    assert letter != a4
    assert render_slip(SLIP, url, A4_PAPER) == a4


@pytest.mark.parametrize(
    ("locale", "paper"),
    [
        ("en", LETTER),
        ("es", LETTER),
        ("en-US", LETTER),
        ("es-MX", LETTER),
        ("en-CA", LETTER),
        ("en-GB", A4_PAPER),
        ("es-ES", A4_PAPER),
        ("es_AR", A4_PAPER),
        ("es-419", LETTER),
        (None, LETTER),
    ],
)
def test_the_default_paper_follows_the_locale(locale, paper):
    assert paper_for_locale(locale) == paper


@pytest.mark.parametrize(
    ("value", "paper"), [("a4", A4_PAPER), ("A4", A4_PAPER), ("letter", LETTER), ("b5", None)]
)
def test_paper_names(value, paper):
    assert paper_named(value) == paper
