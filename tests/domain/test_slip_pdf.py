import json
import os
import random
import re
import subprocess
import sys
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_8BIT_BYTE, QRData

from compliance.domain.pdf.qr import (
    QR_MASK_PATTERN,
    qr_matrix,
    qr_path_operators,
    qr_rows,
    qr_version_for,
)
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.labels import (
    ENGLISH,
    SPANISH,
    format_long_date,
    format_time_range,
    labels_for,
)
from compliance.domain.slips.pdf import (
    QR_MAX_VERSION,
    VERIFICATION_BOX_BOTTOM,
    VERIFICATION_BOX_TOP,
    VERIFICATION_TEXT_LEFT,
    qr_fits,
    read_embedded_verify_url,
    render_slip,
    verification_page_url,
)
from compliance.domain.slips.slip import Slip, format_code
from tests.support.pdf_tools import (
    decode_qr_codes,
    decode_qr_texts,
    pdf_text,
    qpdf_check,
    render_pages,
    require_tool,
)

ISSUER = "https://verify.example.org"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
PAGE_WIDTH, PAGE_HEIGHT = 612, 792
FRAME = 36  # the printed border, half an inch in

SLIP = Slip(
    code="ABCD2345EFGH6789",
    name="Zoë Ñúñez-Kowalski",
    meeting="Tuesday Evening Recovery Circle",
    program="SMART Recovery",
    starts_at=datetime(2025, 3, 5, 1, 0, tzinfo=UTC),
    ends_at=datetime(2025, 3, 5, 2, 0, tzinfo=UTC),
    timezone="America/Chicago",
    present_minutes=58,
    facilitator="Sam R.",
    facilitator_id="F-1A2B3C4D",
    issued_at=datetime(2025, 3, 5, 2, 5, tzinfo=UTC),
)
LONG_NAME = "Maximiliane Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh Jr."
LONG_MEETING = "Thursday Night Big Book Study, Step Work and Fellowship Meeting for Early Recovery"


@pytest.fixture(scope="module")
def key():
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def sign(key):
    kid = slip_token.thumbprint(key.public_key())

    def signed_url(slip: Slip) -> str:
        claims = slip_token.slip_claims(slip, ISSUER)
        return f"{ISSUER}/v/{slip_token.sign(claims, key, kid, slip_token.SLIP_TYP)}"

    return signed_url


@pytest.fixture(scope="module")
def url(sign):
    return sign(SLIP)


@pytest.fixture(scope="module")
def pdf(url):
    return render_slip(SLIP, url)


def plain_text(pdf_bytes: bytes) -> str:
    """Return the text layer without bidi controls, presentation forms folded (NFKC)."""
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", pdf_text(pdf_bytes))
    return unicodedata.normalize("NFKC", text)


def words_with_boxes(pdf_bytes: bytes) -> list[tuple[str, float, float, float, float]]:
    """Return (word, x_min, y_min, x_max, y_max), y measured down from the top of the page."""
    page = pdf_text(pdf_bytes, "-bbox")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [
        (word, float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, word in re.findall(pattern, page)
    ]


def assert_single_readable_qr(pdf_bytes: bytes, expected: str, tmp_path: Path) -> None:
    pages = render_pages(pdf_bytes, dpi=150, directory=tmp_path)
    assert len(pages) == 1
    assert decode_qr_texts(pages[0]) == [expected]


def test_the_realistic_verify_url_is_about_620_characters(url):
    assert 600 <= len(url) <= 660


def test_qpdf_finds_no_errors_or_warnings(pdf):
    qpdf_check(pdf)


def test_qr_code_decodes_to_exactly_the_verify_url_at_150_dpi(pdf, url, tmp_path):
    assert_single_readable_qr(pdf, url, tmp_path)


def test_qr_code_is_printed_at_least_1_8_inches_wide(pdf, tmp_path):
    (page,) = render_pages(pdf, dpi=150, directory=tmp_path)
    (code,) = decode_qr_codes(page)
    width_px = code.position.top_right.x - code.position.top_left.x
    assert width_px >= 1.8 * 150


def test_text_layer_holds_name_code_meeting_and_details(pdf):
    text = plain_text(pdf)
    for expected in (
        SLIP.name,
        format_code(SLIP.code),
        SLIP.meeting,
        SLIP.program,
        "Tuesday, 4 March 2025",
        "7:00 PM – 8:00 PM CST (UTC−06:00), America/Chicago",
        "Present for 58 of 60 scheduled minutes",
        "Sam R. (facilitator ID F-1A2B3C4D)",
        "https://verify.example.org/verify",
        "only if the verification page says VALID",
    ):
        assert expected in " ".join(text.split()), expected


def test_spanish_slip_has_spanish_labels_and_dates(sign):
    slip = replace(SLIP, language="es")
    text = " ".join(plain_text(render_slip(slip, sign(slip))).split())
    for expected in (
        "CONSTANCIA DE ASISTENCIA",
        "Se hace constar que",
        "asistió a la siguiente reunión en línea:",
        "Martes, 4 de marzo de 2025",
        "19:00 – 20:00 CST (UTC−06:00), America/Chicago",
        "Presente durante 58 de 60 minutos programados",
        "CÓDIGO DE VERIFICACIÓN",
        "dice VALID (válida)",
    ):
        assert expected in text, expected
    assert "Proof of attendance" not in text


def test_same_slip_gives_identical_bytes_in_process_and_in_another_process(pdf, url, sign):
    other = replace(SLIP, name="Олена Коваль", code="ZZZZ2345EFGH6789")
    render_slip(other, sign(other))
    assert render_slip(SLIP, url) == pdf

    claims = json.dumps(slip_token.slip_claims(SLIP, ISSUER))
    script = (
        "import json, sys\n"
        "from compliance.domain.slips.pdf import render_slip\n"
        "from compliance.domain.slips.token import slip_from_claims\n"
        "slip = slip_from_claims(json.loads(sys.argv[2]))\n"
        "sys.stdout.buffer.write(render_slip(slip, sys.argv[1]))\n"
    )
    # Another clock zone, locale, hash seed and reportlab's SOURCE_DATE_EPOCH must not matter.
    env = {
        **os.environ,
        "TZ": "Asia/Tokyo",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "12345",
        "SOURCE_DATE_EPOCH": "1234567890",
    }
    result = subprocess.run(
        [sys.executable, "-c", script, url, claims],
        capture_output=True,
        check=True,
        cwd=PROJECT_ROOT,
        env=env,
    )
    assert result.stdout == pdf


def test_metadata_dates_come_from_the_issue_time(pdf):
    assert b"(D:20250305020500+00'00')" in pdf


def test_long_name_and_meeting_fit_the_page_and_the_qr_still_decodes(sign, tmp_path):
    slip = replace(SLIP, name=LONG_NAME, meeting=LONG_MEETING, language="es")
    url = sign(slip)
    assert qr_fits(url)
    pdf = render_slip(slip, url)
    qpdf_check(pdf)
    assert_single_readable_qr(pdf, url, tmp_path)
    text = " ".join(plain_text(pdf).split())
    assert "Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh" in text
    assert LONG_MEETING in text


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"name": LONG_NAME, "meeting": LONG_MEETING},
        {"name": "Олександра-Вікторія Коваль-Шевченко-Приходько", "meeting": "Big Book (Open)"},
        {"name": "W" * 60, "meeting": "M" * 90},
        # Wide short words in every long field: the tallest body that still fits the QR code.
        {"name": "WMWM " * 12, "program": "MWM " * 15, "facilitator": "MW " * 10},
    ],
)
def test_no_text_leaves_the_frame_overlaps_or_crosses_into_the_qr_box(sign, fields):
    slip = replace(SLIP, language="es", **fields)
    words = words_with_boxes(render_slip(slip, sign(slip)))
    box_top = PAGE_HEIGHT - VERIFICATION_BOX_TOP
    box_bottom = PAGE_HEIGHT - VERIFICATION_BOX_BOTTOM
    for word, x0, y0, x1, y1 in words:
        assert FRAME < x0 < x1 < PAGE_WIDTH - FRAME, word
        assert FRAME < y0 < y1 < PAGE_HEIGHT - FRAME, word
        # Near the box, the only text is the box's own, right of the QR code; the body keeps
        # clear by more than its last rule and padding.
        if y1 > box_top - 10 and y0 < box_bottom:
            assert y0 >= box_top and x0 >= VERIFICATION_TEXT_LEFT, f"{word!r} runs into the box"
    for i, (word, x0, y0, x1, y1) in enumerate(words):
        for other, u0, v0, u1, v1 in words[i + 1 :]:
            overlap_x = min(x1, u1) - max(x0, u0)
            overlap_y = min(y1, v1) - max(y0, v0)
            assert overlap_x <= 0.5 or overlap_y <= 0.5, f"{word!r} overlaps {other!r}"


@pytest.mark.parametrize(
    "name",
    ["Zoë Ñúñez", "Łukasz Wójcik", "Олена Коваль", "Γιώργος Παπαδόπουλος", "محمد", "محمد عبد الله"],
)
def test_non_latin_names_are_real_text(sign, name, tmp_path):
    slip = replace(SLIP, name=name)
    url = sign(slip)
    pdf = render_slip(slip, url)
    qpdf_check(pdf)
    assert name in plain_text(pdf)
    assert_single_readable_qr(pdf, url, tmp_path)


def test_qr_refuses_a_2000_character_url():
    url = f"{ISSUER}/v/" + "a" * (2000 - len(ISSUER) - 3)
    assert len(url) == 2000
    assert not qr_fits(url)
    with pytest.raises(ValueError):
        render_slip(SLIP, url)


def test_qr_fits_exactly_what_qrcode_puts_in_version_22_or_below():
    for length in (700, 770, 779, 780, 800):
        text = "h" * length
        reference = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
        reference.add_data(QRData(text.encode(), mode=MODE_8BIT_BYTE))
        assert qr_fits(text) == (reference.best_fit() <= QR_MAX_VERSION), length


def test_qr_modules_match_the_qrcode_library_for_every_version():
    rng = random.Random(3)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/"
    seen_versions = set()
    for length in [*range(1, 40), *range(40, 780, 9)]:
        text = "".join(rng.choice(alphabet) for _ in range(length))
        reference = qrcode.QRCode(
            error_correction=ERROR_CORRECT_M, mask_pattern=QR_MASK_PATTERN, border=0
        )
        reference.add_data(QRData(text.encode(), mode=MODE_8BIT_BYTE))
        reference.make(fit=True)
        assert qr_version_for(text) == reference.version, length
        assert qr_matrix(text) == reference.modules, length
        seen_versions.add(reference.version)
    assert seen_versions == set(range(1, QR_MAX_VERSION + 1))


def _runs_module_by_module(rows: list[bytes]) -> str:
    """The QR path as the PDF has always held it, worked out the slow, obvious way."""
    size, runs = len(rows), []
    for y, row in enumerate(rows):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"{start} {size - 1 - y} {x - start} 1 re")
            x += 1
    return "\n".join(runs) + "\nf"


@pytest.mark.parametrize("text_length", [1, 100, 620, 770])
def test_qr_path_is_one_rectangle_per_dark_run_as_issued_slips_hold_it(text_length):
    # Issued PDFs are verified by re-rendering them byte for byte: the path must never change.
    rng = random.Random(text_length)
    rows = qr_rows("".join(rng.choice("ABCxyz019-_.") for _ in range(text_length)))
    assert qr_path_operators(rows) == _runs_module_by_module(rows)


def test_qr_path_handles_runs_touching_both_edges_and_empty_rows():
    rows = [b"\x01\x01\x00\x01", b"\x00\x00\x00\x00", b"\x01\x01\x01\x01", b"\x00\x01\x00\x01"]
    expected = ["0 3 2 1 re", "3 3 1 1 re", "0 1 4 1 re", "1 0 1 1 re", "3 0 1 1 re", "f"]
    assert qr_path_operators(rows) == "\n".join(expected)


def test_reportlab_runs_with_its_c_accelerator():
    # Without rl_accel reportlab falls back to pure Python and a slip takes ~15 % longer.
    from reportlab.lib import rl_accel

    assert type(rl_accel.fp_str).__name__ == "builtin_function_or_method"


def test_embedded_verify_url_reads_back(pdf, url):
    assert read_embedded_verify_url(pdf) == url


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"not a pdf",
        random.Random(0).randbytes(20_000),
        b"%PDF-1.4\n/Subject (https://verify.example.org/v/abc",
        b"%PDF-1.4\n/Subject <68747470733a2f2f",
        b"%PDF-1.4\n/Subject (\\",
        b"%PDF-1.4\n/Subject (not a url)",
        b"%PDF-1.4\n/Subject",
        b"%PDF-1.4\n/Subject <<>>",
        b"%PDF-1.4\n/Subject (" + b"(" * 50_000,
        "a str, not bytes",
        None,
    ],
)
def test_reading_the_url_from_garbage_gives_none(garbage):
    assert read_embedded_verify_url(garbage) is None


def test_embedded_url_is_read_from_escaped_and_hex_strings():
    target = "https://verify.example.org/v/a.b.c"
    escaped = b"%PDF-1.4\n/Subject (https:\\/\\/verify.example.org\\/v\\/a.b\\056c)"
    hexed = b"%PDF-1.4\n/Subject <" + target.encode().hex().encode() + b">"
    utf16 = b"%PDF-1.4\n/Subject <feff" + target.encode("utf-16-be").hex().encode() + b">"
    for document in (escaped, hexed, utf16):
        assert read_embedded_verify_url(document) == target


def test_verification_page_is_next_to_the_v_links():
    assert verification_page_url(f"{ISSUER}/v/abc.def") == f"{ISSUER}/verify"
    assert verification_page_url("https://x.example/base/v/abc") == "https://x.example/base/verify"


def test_dates_and_times_are_written_without_the_process_locale():
    start, end = SLIP.local_start, SLIP.local_end
    assert format_long_date(start, ENGLISH) == "Tuesday, 4 March 2025"
    assert format_long_date(start, SPANISH) == "Martes, 4 de marzo de 2025"
    assert (
        format_time_range(start, end, SLIP.timezone, ENGLISH)
        == "7:00 PM – 8:00 PM CST (UTC−06:00), America/Chicago"
    )
    assert labels_for("fr") is ENGLISH


def test_time_range_handles_midnight_zones_without_abbreviations_and_clock_changes():
    late = replace(
        SLIP,
        starts_at=datetime(2025, 3, 5, 2, 30, tzinfo=UTC),
        ends_at=datetime(2025, 3, 5, 3, 30, tzinfo=UTC),
        timezone="America/Sao_Paulo",
    )
    assert (
        format_time_range(late.local_start, late.local_end, late.timezone, ENGLISH)
        == "11:30 PM – 12:30 AM (next day) (UTC−03:00), America/Sao_Paulo"
    )
    spring_forward = replace(
        SLIP,
        starts_at=datetime(2025, 3, 9, 7, 30, tzinfo=UTC),
        ends_at=datetime(2025, 3, 9, 8, 30, tzinfo=UTC),
    )
    assert (
        format_time_range(
            spring_forward.local_start, spring_forward.local_end, SLIP.timezone, SPANISH
        )
        == "01:30 CST (UTC−06:00) – 03:30 CDT (UTC−05:00), America/Chicago"
    )


@pytest.mark.parametrize(("ci", "outcome"), [(None, "skip"), ("0", "skip"), ("true", "fail")])
def test_a_missing_tool_skips_locally_but_fails_in_ci(monkeypatch, ci, outcome):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    expected = pytest.skip.Exception if outcome == "skip" else pytest.fail.Exception
    with pytest.raises(expected):
        require_tool("no-such-tool-for-slip-tests")
