import json
import os
import random
import re
import subprocess
import sys
import time
import unicodedata
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from compliance.domain.pdf.qr import qr_fits
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.pdf import read_embedded_verify_url
from compliance.domain.slips.slip import format_code
from compliance.domain.summaries.labels import (
    ENGLISH_SUMMARY,
    SPANISH_SUMMARY,
    format_hours,
    format_meetings,
    format_row_date,
)
from compliance.domain.summaries.pdf import FOOTER_RULE, MARGIN, render_summary
from compliance.domain.summaries.summary import Summary, SummaryLine, sign_summary
from compliance.domain.summaries.table import paginate
from tests.support.pdf_tools import (
    decode_qr_codes,
    decode_qr_texts,
    pdf_text,
    qpdf_check,
    render_pages,
)

ISSUER = "https://verify.example.org"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
PAGE_WIDTH, PAGE_HEIGHT = 612, 792
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MEETINGS = [
    "Tuesday Evening Recovery Circle",
    "Big Book Study",
    "Morning Meditation",
    "Women's Step Group",
    "Grupo Esperanza en línea",
]
PROGRAMS = ["SMART Recovery", "Alcoholics Anonymous", "Narcotics Anonymous", "Refuge Recovery"]
LONG_MEETING = (
    "Thursday Night Big Book Study, Step Work and Fellowship Meeting for Early Recovery "
    "with Readings from the Twelve and Twelve and Open Sharing"
)


def make_code(i: int) -> str:
    """Return a distinct 16-character code for record i."""
    digits = []
    n = i * 7919 + 12345
    for _ in range(16):
        n, r = divmod(n * 31 + 17, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[r])
    return "".join(digits)


def make_summary(count: int, language: str = "en", name: str = "Zoë Ñúñez-Kowalski") -> Summary:
    start = date(2025, 1, 6)
    lines = tuple(
        SummaryLine(
            code=make_code(i),
            day=start + timedelta(days=i * 90 // max(count, 1)),
            meeting=MEETINGS[i % len(MEETINGS)],
            program=PROGRAMS[i % len(PROGRAMS)],
            minutes=(55, 58, 60, 90)[i % 4],
        )
        for i in range(count)
    )
    return Summary(
        summary_id=f"sum-{count}-{language}",
        name=name,
        date_from=start,
        date_to=start + timedelta(days=89),
        lines=lines,
        issued_at=datetime(2025, 4, 6, 15, 30, tzinfo=UTC),
        language=language,
    )


@pytest.fixture(scope="module")
def sign():
    key = Ed25519PrivateKey.generate()
    kid = slip_token.thumbprint(key.public_key())

    def signed_url(summary: Summary) -> str:
        """Sign as the service does: with the code list while the QR code can hold it."""
        for with_codes in (True, False):
            token = sign_summary(summary, ISSUER, key, kid, with_codes=with_codes)
            url = f"{ISSUER}/v/{token}"
            if qr_fits(url):
                return url
        raise AssertionError("even the summary without codes does not fit the QR code")

    return signed_url


@pytest.fixture(scope="module")
def twelve(sign):
    summary = make_summary(12)
    url = sign(summary)
    return summary, url, render_summary(summary, url)


@pytest.fixture(scope="module")
def many(sign):
    summary = make_summary(300)
    url = sign(summary)
    return summary, url, render_summary(summary, url)


def plain_text(pdf_bytes: bytes) -> str:
    """Return the text layer, whitespace collapsed, bidi controls dropped, forms folded."""
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", pdf_text(pdf_bytes))
    return " ".join(unicodedata.normalize("NFKC", text).split())


def page_texts(pdf_bytes: bytes) -> list[str]:
    """Return each page's text, whitespace collapsed (pdftotext ends pages with a form feed)."""
    pages = pdf_text(pdf_bytes).split("\f")
    return [" ".join(page.split()) for page in pages if page.strip()]


Word = tuple[str, float, float, float, float]


def words_by_page(pdf_bytes: bytes) -> list[list[Word]]:
    """Return (word, x_min, y_min, x_max, y_max) per page, y measured down from the top."""
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    pages = pdf_text(pdf_bytes, "-bbox").split("<page ")[1:]
    return [
        [
            _letter_box(word, float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, word in re.findall(pattern, page)
        ]
        for page in pages
    ]


_ARABIC = re.compile("[\u0600-\u06ff]")


def _letter_box(word: str, x0: float, y0: float, x1: float, y1: float) -> Word:
    """Return the word's box; an Arabic word's is cut to the middle half of its height.

    Noto Sans Arabic declares a line box of nearly two ems, room for stacked marks, so
    pdftotext boxes Arabic words far above and below their letters."""
    if _ARABIC.search(word):
        quarter = (y1 - y0) / 4
        y0, y1 = y0 + quarter, y1 - quarter
    return (word, x0, y0, x1, y1)


def page_count(pdf_bytes: bytes) -> int:
    return len(words_by_page(pdf_bytes))


def assert_page1_qr_reads(pdf_bytes: bytes, expected: str, tmp_path: Path) -> None:
    pages = render_pages(pdf_bytes, dpi=150, directory=tmp_path)
    assert decode_qr_texts(pages[0]) == [expected]


def test_qpdf_finds_no_errors_or_warnings(twelve, many):
    qpdf_check(twelve[2])
    qpdf_check(many[2])


def test_qr_code_on_page_1_decodes_to_exactly_the_verify_url_at_150_dpi(twelve, tmp_path):
    summary, url, pdf = twelve
    assert len(url) > 500  # a realistic signed token, without the code list here
    assert_page1_qr_reads(pdf, url, tmp_path)


def test_the_densest_code_the_qr_can_hold_still_decodes(tmp_path):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
    rng = random.Random(2)
    url = f"{ISSUER}/v/" + "".join(rng.choice(alphabet) for _ in range(779 - len(ISSUER) - 3))
    assert qr_fits(url) and not qr_fits(url + "A")  # version 22, the largest allowed
    assert_page1_qr_reads(render_summary(make_summary(3), url), url, tmp_path)


def test_embedded_verify_url_reads_back(twelve, many):
    for _, url, pdf in (twelve, many):
        assert read_embedded_verify_url(pdf) == url


def test_page_1_has_the_name_period_totals_issue_time_and_instructions(twelve):
    summary, _, pdf = twelve
    text = plain_text(pdf)
    minutes = summary.total_minutes
    for expected in (
        "ATTENDANCE SUMMARY",
        summary.name,
        "Monday, 6 January 2025 – Saturday, 5 April 2025",
        f"12 meetings · {format_hours(minutes, ENGLISH_SUMMARY)}",
        "6 April 2025, 3:30 PM UTC",
        "to see the live status of every record",
        "Records revoked after the summary was issued are flagged there.",
        "https://verify.example.org/verify",
        "only if the verification page says VALID",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    for line in summary.lines:
        assert format_code(line.code) in text
        assert format_row_date(line.day, ENGLISH_SUMMARY) in text


def test_a_dozen_records_fit_on_one_page_with_their_total(twelve):
    summary, _, pdf = twelve
    assert page_count(pdf) == 1
    hours = format_hours(summary.total_minutes, ENGLISH_SUMMARY)
    assert f"Total 12 meetings · {hours} {summary.total_minutes}" in plain_text(pdf)


def test_300_records_paginate_with_every_code_and_repeated_headers(many):
    summary, _, pdf = many
    pages = page_texts(pdf)
    assert 6 <= len(pages) <= 12
    text = " ".join(pages)
    codes = [format_code(line.code) for line in summary.lines]
    assert len(set(codes)) == 300
    for code in codes:
        assert text.count(code) == 1, code
    # Table order is the summary's order.
    positions = [text.index(code) for code in codes]
    assert positions == sorted(positions)
    for number, page in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in page
        assert "DATE MEETING PROGRAM MINUTES CODE" in page
        assert "only if the verification page says VALID" in page
        if number > 1:
            assert page.startswith(
                f"{summary.name} Attendance summary · 6 January 2025 – 5 April 2025"
            )
            assert "ATTENDANCE SUMMARY" not in page
    assert (
        f"Total 300 meetings · {format_hours(summary.total_minutes, ENGLISH_SUMMARY)}"
        in (pages[-1])
    )


def test_only_page_1_has_a_qr_code(many, tmp_path):
    _, url, pdf = many
    images = render_pages(pdf, dpi=100, directory=tmp_path)
    assert decode_qr_texts(images[1]) == []
    assert decode_qr_texts(images[-1]) == []


def test_spanish_summary_has_spanish_labels_numbers_and_dates(sign):
    summary = make_summary(40, language="es")
    pdf = render_summary(summary, sign(summary))
    pages = page_texts(pdf)
    text = " ".join(pages)
    hours = format_hours(summary.total_minutes, SPANISH_SUMMARY)
    assert "," in hours
    for expected in (
        "RESUMEN DE ASISTENCIA",
        "PARTICIPANTE",
        "Lunes, 6 de enero de 2025 – sábado, 5 de abril de 2025",
        f"40 reuniones · {hours}",
        "6 de abril de 2025, 15:30 UTC",
        "FECHA REUNIÓN PROGRAMA MINUTOS CÓDIGO",
        "lun, 6 ene 2025",
        "Allí se señalan los registros revocados",
        "dice VALID (válido)",
        f"Página 1 de {len(pages)}",
    ):
        assert expected in text, expected
    assert "Resumen de asistencia · 6 de enero de 2025 – 5 de abril de 2025" in pages[-1]
    assert "Attendance summary" not in text and "Page 1" not in text


def test_same_summary_gives_identical_bytes_in_process_and_in_another_process(many, sign):
    summary, url, pdf = many
    other = replace(make_summary(20), name="Олена Коваль", summary_id="other")
    render_summary(other, sign(other))
    assert render_summary(summary, url) == pdf

    fields = asdict(summary)
    script = (
        "import json, sys\n"
        "from datetime import date, datetime\n"
        "from compliance.domain.summaries.summary import Summary, SummaryLine\n"
        "from compliance.domain.summaries.pdf import render_summary\n"
        "f = json.loads(sys.argv[2])\n"
        "lines = tuple(\n"
        "    SummaryLine(**{**line, 'day': date.fromisoformat(line['day'])})\n"
        "    for line in f['lines']\n"
        ")\n"
        "summary = Summary(\n"
        "    summary_id=f['summary_id'], name=f['name'], lines=lines,\n"
        "    date_from=date.fromisoformat(f['date_from']),\n"
        "    date_to=date.fromisoformat(f['date_to']),\n"
        "    issued_at=datetime.fromisoformat(f['issued_at']), language=f['language'],\n"
        ")\n"
        "sys.stdout.buffer.write(render_summary(summary, sys.argv[1]))\n"
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
        [sys.executable, "-c", script, url, json.dumps(fields, default=str)],
        capture_output=True,
        check=True,
        cwd=PROJECT_ROOT,
        env=env,
    )
    assert result.stdout == pdf


def test_metadata_dates_come_from_the_issue_time_even_if_naive(twelve):
    summary, url, pdf = twelve
    assert b"(D:20250406153000+00'00')" in pdf
    naive = replace(summary, issued_at=summary.issued_at.replace(tzinfo=None))
    assert render_summary(naive, url) == pdf


def test_empty_summary_says_so_on_one_page(sign, tmp_path):
    summary = make_summary(0)
    url = sign(summary)
    pdf = render_summary(summary, url)
    qpdf_check(pdf)
    assert page_count(pdf) == 1
    text = plain_text(pdf)
    assert "No attendance records in this period." in text
    assert "lists no meetings attended from 6 January 2025 to 5 April 2025" in text
    assert "0 meetings · 0 hours" in text
    assert "MINUTES" not in text and "Total" not in text
    assert "Page 1 of 1" in text
    assert_page1_qr_reads(pdf, url, tmp_path)
    spanish = plain_text(render_summary(replace(summary, language="es"), url))
    assert "No hay registros de asistencia en este periodo." in spanish


def odd_summary(language: str = "es") -> Summary:
    """Return 60 records with long, unbreakable and non-Latin names and titles."""
    summary = make_summary(
        60,
        language,
        "Maximiliane Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh Jr. "
        "Олександра-Вікторія Коваль-Шевченко محمد عبد الله",
    )
    odd = [
        {"meeting": LONG_MEETING, "program": "Alcohólicos Anónimos — Área 12, Distrito 4"},
        {"meeting": "M" * 120, "program": "P" * 50},
        {"meeting": "اجتماع التعافي المسائي", "program": "Анонимные Алкоголики"},
        {"meeting": "Γιώργος Παπαδόπουλος: ομάδα", "program": "李小龍", "minutes": 12345},
        {"meeting": "WMWM " * 20, "program": "MWM " * 12},
    ]
    lines = [
        replace(line, **odd[i % len(odd)]) if i % 3 == 0 else line
        for i, line in enumerate(summary.lines)
    ]
    return replace(summary, lines=tuple(lines))


@pytest.mark.parametrize("language", ["en", "es"])
def test_long_and_non_latin_text_stays_in_its_place(sign, language, tmp_path):
    summary = odd_summary(language)
    url = sign(summary)
    pdf = render_summary(summary, url)
    qpdf_check(pdf)
    images = render_pages(pdf, dpi=150, directory=tmp_path)
    (code,) = decode_qr_codes(images[0])
    assert code.text == url
    # The QR code's square in points, from the top of the page.
    scale = 72 / 150
    qr_x0, qr_y0 = code.position.top_left.x * scale, code.position.top_left.y * scale
    qr_x1, qr_y1 = code.position.bottom_right.x * scale, code.position.bottom_right.y * scale
    rule = PAGE_HEIGHT - FOOTER_RULE
    pages = words_by_page(pdf)
    assert len(pages) == len(images) > 1
    for number, words in enumerate(pages, 1):
        for word, x0, y0, x1, y1 in words:
            assert MARGIN - 1 < x0 < x1 < PAGE_WIDTH - MARGIN + 1, (number, word)
            # pdftotext boxes reach up to the font's ascent, above the capitals.
            assert MARGIN - 4 < y0 < y1 < PAGE_HEIGHT - MARGIN + 4, (number, word)
            assert y1 <= rule or y0 >= rule, f"{word!r} crosses the footer rule on {number}"
            if number == 1:
                apart = x1 <= qr_x0 or x0 >= qr_x1 or y1 <= qr_y0 or y0 >= qr_y1
                assert apart, f"{word!r} runs into the QR code"
        for i, (word, x0, y0, x1, y1) in enumerate(words):
            for other, u0, v0, u1, v1 in words[i + 1 :]:
                overlap_x = min(x1, u1) - max(x0, u0)
                overlap_y = min(y1, v1) - max(y0, v0)
                assert overlap_x <= 0.5 or overlap_y <= 0.5, f"{word!r} overlaps {other!r}"
    text = plain_text(pdf)
    assert "Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh" in text
    assert "Олександра-Вікторія" in text
    assert "محمد عبد الله" in text
    assert "اجتماع التعافي المسائي" in text
    for line in summary.lines:
        assert format_code(line.code) in text


def test_a_url_too_long_for_the_qr_code_is_refused():
    with pytest.raises(ValueError):
        render_summary(make_summary(3), f"{ISSUER}/v/" + "a" * 2000)


def test_300_records_render_well_under_200_ms(many):
    summary, url, _ = many
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        render_summary(summary, url)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.2


@pytest.mark.parametrize(
    ("heights", "first", "later", "pages"),
    [
        ([], 100, 200, [(0, 0)]),
        ([10] * 5, 100, 200, [(0, 5)]),
        ([10] * 25, 100, 200, [(0, 10), (10, 25)]),
        # The total would stand alone on page 2: the last record goes with it.
        ([10] * 11, 100, 200, [(0, 9), (9, 11)]),
        # A row taller than the room still gets a page.
        ([150, 10], 100, 200, [(0, 1), (1, 2)]),
    ],
)
def test_paginate(heights, first, later, pages):
    assert paginate(heights, first, later) == pages


def test_hours_and_meetings_are_written_in_each_language():
    assert format_hours(698, ENGLISH_SUMMARY) == "11.6 hours"
    assert format_hours(698, SPANISH_SUMMARY) == "11,6 horas"
    assert format_hours(60, ENGLISH_SUMMARY) == "1 hour"
    assert format_hours(63, ENGLISH_SUMMARY) == "1.1 hours"
    assert format_hours(0, SPANISH_SUMMARY) == "0 horas"
    assert format_hours(18_000, ENGLISH_SUMMARY) == "300 hours"
    assert format_meetings(1, ENGLISH_SUMMARY) == "1 meeting"
    assert format_meetings(1, SPANISH_SUMMARY) == "1 reunión"
    assert format_meetings(90, SPANISH_SUMMARY) == "90 reuniones"
    assert format_row_date(date(2025, 3, 4), ENGLISH_SUMMARY) == "Tue, 4 Mar 2025"
    assert format_row_date(date(2025, 9, 10), SPANISH_SUMMARY) == "mié, 10 sept 2025"
