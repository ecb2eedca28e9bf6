"""Names in every script print as themselves: right fonts, shaped, embedded, never as boxes."""

import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from reportlab.pdfbase import pdfmetrics

from compliance.domain.pdf.fonts import BOLD, REGULAR, font_for, unprintable_character
from compliance.domain.pdf.runs import pieces
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.pdf import render_slip
from compliance.domain.summaries.pdf import render_summary
from compliance.domain.summaries.summary import sign_summary
from tests.domain.test_slip_pdf import ISSUER, SLIP, assert_single_readable_qr
from tests.domain.test_summary_pdf import make_summary
from tests.support.pdf_tools import pdf_text, qpdf_check, render_pages, require_tool

KEY = Ed25519PrivateKey.generate()
KID = slip_token.thumbprint(KEY.public_key())


def slip_url(slip) -> str:
    claims = slip_token.slip_claims(slip, ISSUER)
    return f"{ISSUER}/v/{slip_token.sign(claims, KEY, KID, slip_token.SLIP_TYP)}"


def summary_url(summary) -> str:
    return f"{ISSUER}/v/{sign_summary(summary, ISSUER, KEY, KID, with_codes=False)}"

NAMES = {
    "latin": "Zoë Ñúñez-Kowalski",
    "greek": "Γιώργος Παπαδόπουλος",
    "cyrillic": "Олена Коваль",
    "arabic": "محمد عبد الله",
    "persian": "فاطمه\u200cزاده",
    "hebrew": "שָׁלוֹם כהן",
    "devanagari": "प्रियंका क्षत्रिय",
    "thai": "สมชาย ใจดี",
    "chinese": "李小龍",
    "japanese": "山田 さくら サクラ",
    "korean": "김민준",
}


def plain_text(pdf_bytes: bytes) -> str:
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", pdf_text(pdf_bytes))
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
@pytest.mark.parametrize("style", [REGULAR, BOLD])
def test_every_character_of_a_name_has_a_real_glyph_in_the_font_it_is_drawn_in(name, style):
    assert unprintable_character(name) is None
    for piece in pieces(name, style):
        face = pdfmetrics.getFont(piece.font).face
        for ch in piece.drawn:
            assert face.charToGlyph.get(ord(ch), 0) != 0, (name, piece.font, ch)


def test_each_script_goes_to_its_own_font():
    fonts = {
        script: {font_for(ch, REGULAR) for ch in name.replace(" ", "")}
        for script, name in NAMES.items()
    }
    assert fonts["latin"] == fonts["greek"] == fonts["cyrillic"] == {"SlipSans"}
    assert fonts["arabic"] == {"SlipArabic"}
    assert fonts["devanagari"] == {"SlipDevanagari"}
    assert fonts["thai"] == {"SlipThai"}
    assert fonts["chinese"] == fonts["korean"] == {"SlipCJK"}


def test_arabic_letters_are_joined_and_devanagari_conjuncts_formed_by_shaping():
    (arabic,) = pieces("محمد", REGULAR)
    # Joined forms are glyphs of their own: fewer or other codes than the letters typed.
    assert [ch for ch in arabic.drawn] != list("محمد"[::-1])
    assert arabic.actual_text is not None
    (devanagari,) = pieces("क्ष", REGULAR)
    assert len(devanagari.drawn) == 1  # the kṣa conjunct is one glyph


def test_a_discretionary_ligature_never_adds_marks_nobody_typed():
    # Noto Sans Arabic's "dlig" draws محمد with vowel marks; the slip prints what was typed.
    (plain,) = pieces("محمد", REGULAR)
    assert len(plain.drawn) == 4


def test_right_to_left_runs_sit_in_reading_order_in_a_left_to_right_line():
    drawn = pieces("Ana محمد 2", REGULAR)
    assert drawn[0].drawn.startswith("Ana")
    assert drawn[-1].drawn.endswith("2")


@pytest.mark.parametrize("text", ["😀", "Sam 👩🏽\u200d⚕️ Lee", "\U0001f9ec", "\U00013000"])
def test_what_no_font_can_print_is_named(text):
    assert unprintable_character(text) is not None


def test_joiners_a_script_needs_are_printable():
    assert unprintable_character("क्\u200dष") is None
    assert unprintable_character("فاطمه\u200cزاده") is None


@pytest.mark.parametrize("script", NAMES.keys())
def test_a_slip_in_each_script_holds_the_name_as_text_with_every_font_embedded(script, tmp_path):
    name = NAMES[script]
    slip = replace(SLIP, name=name)
    url = slip_url(slip)
    pdf = render_slip(slip, url)
    qpdf_check(pdf)
    assert unicodedata.normalize("NFKC", name) in plain_text(pdf)
    assert_all_fonts_embedded(pdf, tmp_path)
    assert b"/Lang (en)" in pdf
    assert_single_readable_qr(pdf, url, tmp_path)


def test_a_summary_in_every_script_embeds_its_fonts(tmp_path):
    scripts = ("chinese", "korean", "devanagari", "thai", "greek", "arabic")
    summary = make_summary(3, name=" ".join(NAMES[script] for script in scripts))
    pdf = render_summary(summary, summary_url(summary))
    qpdf_check(pdf)
    text = plain_text(pdf)
    for script in scripts:
        assert unicodedata.normalize("NFKC", NAMES[script]) in text
    assert_all_fonts_embedded(pdf, tmp_path)


def assert_all_fonts_embedded(pdf: bytes, tmp_path) -> None:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        [require_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing
    for row in listing:
        assert " yes yes " in row, row
    assert "Helvetica" not in "\n".join(listing)


def test_rendered_names_are_not_blank(tmp_path):
    # A missing glyph would leave the name's line almost white; every script inks it.
    for script, name in NAMES.items():
        slip = replace(SLIP, name=name)
        directory = tmp_path / script
        directory.mkdir()
        (page,) = render_pages(render_slip(slip, slip_url(slip)), dpi=50, directory=directory)
        with Image.open(page) as image:
            # The name's line, between "This is to certify that" and "attended…", at 50 dpi.
            band = image.convert("L").crop((36, 97, 400, 122)).tobytes()
        assert sum(value < 128 for value in band) > 150, script  # "." inks 40


def test_a_space_between_right_to_left_words_stays_in_their_run():
    assert font_for(" ", REGULAR, previous="SlipArabic") == "SlipArabic"
    assert font_for(" ", REGULAR) == "SlipSans"


def test_the_attendance_sheet_sets_cjk_and_devanagari_names_in_fonts_that_have_them(tmp_path):
    from compliance.domain.attendance_sheet import AttendanceSheet, SheetLine, render_sheet

    lines = (SheetLine(NAMES["korean"], 60, "Qualifies"), SheetLine(NAMES["chinese"], 50, "Short"))
    sheet = AttendanceSheet("Circle", "SMART", "Tue", "Sam R.", "Not signed yet", 60, lines)
    pdf = render_sheet(sheet)
    qpdf_check(pdf)
    assert_all_fonts_embedded(pdf, tmp_path)
    text = plain_text(pdf)
    assert NAMES["korean"] in text and NAMES["chinese"] in text


def test_shaped_names_give_the_same_bytes_whatever_the_process_rendered_before():
    # Glyphs without a character (joined forms, conjuncts) get private codes when the fonts are
    # registered, never in the order a process happens to meet them.
    slip = replace(SLIP, name="प्रियंका محمد สมชาย")
    url = slip_url(slip)
    here = render_slip(slip, url)
    script = (
        "import json, sys\n"
        "from dataclasses import replace\n"
        "from compliance.domain.slips.pdf import render_slip\n"
        "from compliance.domain.slips.token import slip_from_claims\n"
        "from tests.domain.test_slip_pdf import SLIP\n"
        "for name in ('क्षत्रिय त्र', 'عبد الله لا', 'ใจดี'):\n"  # other glyphs met first
        "    render_slip(replace(SLIP, name=name), sys.argv[1])\n"
        "slip = slip_from_claims(json.loads(sys.argv[2]))\n"
        "sys.stdout.buffer.write(render_slip(slip, sys.argv[1]))\n"
    )
    claims = json.dumps(slip_token.slip_claims(slip, ISSUER))
    there = subprocess.run(
        [sys.executable, "-c", script, url, claims],
        capture_output=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout
    assert there == here


@pytest.mark.parametrize("text", ["محمد ١٢٣", "محمد 123", "שלום 123"])
def test_numbers_in_right_to_left_names_read_left_to_right(text):
    digits = "".join(ch for ch in text if ch.isdigit())
    drawn = "".join(piece.drawn for piece in pieces(text, REGULAR))
    assert digits in drawn and digits[::-1] not in drawn


def test_what_is_refused_is_exactly_what_no_font_would_set():
    from compliance.domain.pdf import fonts

    fonts.register_fonts()
    every_covered = frozenset().union(*fonts._COVERAGE.values())
    for code in sorted(every_covered | set(range(0x20, 0x30000, 97))):
        ch = chr(code)
        if ch.isspace() or code in fonts._PICTOGRAPHS or ch in "\u200c\u200d\ufe0f":
            continue
        has_font = fonts.font_for(ch, fonts.REGULAR) is not None
        assert (fonts.unprintable_character(ch) is None) == has_font, hex(code)
