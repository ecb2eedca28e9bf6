"""Median time to render a slip PDF, next to reportlab drawing a one-line page in the same process.

Run: .venv/bin/python bench/bench_slip_render.py
"""

from __future__ import annotations

import io
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from reportlab.pdfgen.canvas import Canvas

from compliance.domain.codes import new_code
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.pdf import render_slip
from compliance.domain.slips.slip import Slip

ISSUER = "https://verify.example.org"
WARM_UP = 30
RUNS = 200
LATIN_NAMES = ["Zoë Ñúñez-Kowalski", "Jordan Smith", "María José García López", "Łukasz Wójcik"]
OTHER_NAMES = [
    "Олена Коваль",
    "Γιώργος Παπαδόπουλος",
    "محمد عبد الله",
    "李小龍",
    "प्रियंका क्षत्रिय",
    "สมชาย ใจดี",
    "김민준",
    "שָׁלוֹם כהן",
]
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщыэюяґєії"


def unique_cyrillic_names(count: int) -> list[str]:
    """Return made-up Cyrillic names with differing letters: each needs its own font subset."""
    rng = random.Random(7)
    return [
        " ".join("".join(rng.sample(CYRILLIC, 6)).title() for _ in range(2)) for _ in range(count)
    ]


def median_ms(action: Callable[[int], object], runs: int = RUNS) -> float:
    """Return the median wall time of `action(i)` in milliseconds, after a warm-up."""
    for i in range(WARM_UP):
        action(i)
    times = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def one_line_page(_: int) -> bytes:
    """Return the smallest reasonable reportlab PDF: one line of text on one page."""
    buffer = io.BytesIO()
    pdf = Canvas(buffer, invariant=1)
    pdf.drawString(72, 720, "Proof of attendance")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def signed_slips(names: list[str], count: int) -> list[tuple[Slip, str]]:
    """Return `count` distinct slips with realistic signed verify URLs."""
    key = Ed25519PrivateKey.generate()
    kid = slip_token.thumbprint(key.public_key())
    start = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)
    slips = []
    for i in range(count):
        slip = Slip(
            code=new_code(),
            name=names[i % len(names)],
            meeting="Tuesday Evening Recovery Circle",
            program="SMART Recovery",
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=1),
            timezone="America/Chicago",
            present_minutes=58,
            facilitator="Sam R.",
            facilitator_id="F-1A2B3C4D",
            issued_at=start + timedelta(days=i, hours=1, minutes=5),
            language="es" if i % 5 == 0 else "en",
        )
        claims = slip_token.slip_claims(slip, ISSUER)
        token = slip_token.sign(claims, key, kid, slip_token.SLIP_TYP)
        slips.append((slip, f"{ISSUER}/v/{token}"))
    return slips


def main() -> None:
    latin = signed_slips(LATIN_NAMES, RUNS + WARM_UP)
    other = signed_slips(OTHER_NAMES, RUNS + WARM_UP)
    unseen = signed_slips(unique_cyrillic_names(RUNS + WARM_UP), RUNS + WARM_UP)
    slip_ms = median_ms(lambda i: render_slip(*latin[i]))
    other_ms = median_ms(lambda i: render_slip(*other[i]))
    unseen_ms = median_ms(lambda i: render_slip(*unseen[i]))
    baseline_ms = median_ms(one_line_page)
    print(f"render_slip, Latin-script names:               {slip_ms:.2f} ms median")
    print(f"render_slip, names in 8 other scripts:         {other_ms:.2f} ms median")
    print(f"render_slip, every name a new font subset:     {unseen_ms:.2f} ms median")
    print(f"reportlab one-line page (baseline):            {baseline_ms:.2f} ms median")
    print(f"ratio render_slip (Latin) / baseline:          {slip_ms / baseline_ms:.1f}x")


if __name__ == "__main__":
    main()
