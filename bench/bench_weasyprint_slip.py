"""Slip rendering: our reportlab layout against WeasyPrint rendering an equivalent HTML slip.

Targets: render_slip at least 25x faster than WeasyPrint (issue 7); render_slip with its PAdES
signature (issue 17) at most 15 ms median and still at least 10x faster than WeasyPrint. All
measured here, in the same process, on the same slip and QR link. WeasyPrint is a
benchmark-only tool:
.venv/bin/pip install -e '.[bench]'

Run: .venv/bin/python bench/bench_weasyprint_slip.py
"""

from __future__ import annotations

import html
import io
import statistics
import sys
import time
from datetime import UTC, datetime

import qrcode
import qrcode.image.svg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from compliance.domain.pdf.signature import DocumentSigner, self_signed_bundle
from compliance.domain.slips import token as slip_token
from compliance.domain.slips.pdf import render_slip
from compliance.domain.slips.slip import Slip, format_code

sys.path.insert(0, "bench")
from common import machine_description  # noqa: E402

ISSUER = "https://verify.example.org"
TARGET_RATIO = 25.0
TARGET_SIGNED_RATIO = 10.0
TARGET_SIGNED_MS = 15.0

SLIP = Slip(
    code="ABCD2345EFGH6789",
    name="Zoë Ñúñez-Kowalski",
    meeting="Tuesday Evening Recovery Circle",
    program="SMART Recovery",
    starts_at=datetime(2025, 3, 5, 1, tzinfo=UTC),
    ends_at=datetime(2025, 3, 5, 2, tzinfo=UTC),
    timezone="America/Chicago",
    present_minutes=58,
    facilitator="Sam R.",
    facilitator_id="F-1A2B3C4D",
    issued_at=datetime(2025, 3, 5, 2, 5, tzinfo=UTC),
)


def verify_url() -> str:
    key = Ed25519PrivateKey.generate()
    kid = slip_token.thumbprint(key.public_key())
    token = slip_token.sign(slip_token.slip_claims(SLIP, ISSUER), key, kid, slip_token.SLIP_TYP)
    return f"{ISSUER}/v/{token}"


def slip_html(url: str) -> str:
    """Return the same slip as an HTML page (QR as inline SVG, same fields, same fonts)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2)
    qr.add_data(url)
    svg = qr.make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string().decode()
    start, end = SLIP.local_start, SLIP.local_end
    rows = [
        ("Meeting", SLIP.meeting),
        ("Program", SLIP.program),
        ("Date", start.strftime("%A, %d %B %Y")),
        ("Time", f"{start:%I:%M %p} – {end:%I:%M %p} {start:%Z} (UTC{start:%z}), {SLIP.timezone}"),
        ("Attendance", f"Present for {SLIP.present_minutes} of {SLIP.scheduled_minutes} minutes"),
        ("Facilitator", f"{SLIP.facilitator} (facilitator ID {SLIP.facilitator_id})"),
        ("Issued", SLIP.issued_at.strftime("%d %B %Y, %I:%M %p UTC")),
    ]
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: letter; margin: 0.6in; }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 11pt; }}
h1 {{ text-align: center; letter-spacing: .1em; }} .name {{ font-size: 24pt; font-weight: bold; }}
table {{ width: 100%; border-collapse: collapse; }} th {{ text-align: left; font-size: 8pt; }}
th, td {{ border-bottom: 1px solid #999; padding: 4pt; }}
.box {{ border: 1px solid #000; padding: 10pt; display: flex; gap: 12pt; margin-top: 24pt; }}
.box svg {{ width: 3.6in; height: 3.6in; }}
.code {{ font-family: "DejaVu Sans Mono"; font-size: 20pt; }}
</style></head><body><h1>PROOF OF ATTENDANCE</h1><p>This is to certify that</p>
<p class="name">{html.escape(SLIP.name)}</p><p>attended the following online meeting:</p>
<table>{table}</table><div class="box">{svg}<div><p>VERIFICATION CODE</p>
<p class="code">{format_code(SLIP.code)}</p><p>Scan the QR code, or go to
{ISSUER}/verify and type the verification code.</p></div></div>
<p><b>This slip is proof of attendance only if the verification page says VALID.</b></p>
</body></html>"""


def median_ms(action, runs: int, warm_up: int = 3) -> float:
    for _ in range(warm_up):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    try:
        import weasyprint
    except ImportError:
        sys.exit("WeasyPrint is not installed: .venv/bin/pip install -e '.[bench]'")
    print(machine_description())
    url = verify_url()
    page = slip_html(url)
    signer = DocumentSigner.from_pem(self_signed_bundle("Attendance slips, verify.example.org"))
    reason = f"Issued by {ISSUER}; check it at /verify there"
    ours = median_ms(lambda: render_slip(SLIP, url), runs=200, warm_up=20)
    signed = median_ms(lambda: signer.sign(render_slip(SLIP, url), reason), runs=200, warm_up=20)
    theirs = median_ms(lambda: weasyprint.HTML(string=page).write_pdf(io.BytesIO()), runs=15)
    ratio, signed_ratio = theirs / ours, theirs / signed
    print(f"render_slip (reportlab)             median {ours:8.2f} ms")
    print(f"render_slip + PAdES signature       median {signed:8.2f} ms")
    version = weasyprint.__version__
    print(f"WeasyPrint, equivalent HTML         median {theirs:8.2f} ms  (weasyprint {version})")
    verdict = "PASS" if ratio >= TARGET_RATIO else "MISS"
    goal = f"target >= {TARGET_RATIO:.0f}x"
    print(f"{verdict}  render_slip is {ratio:.1f}x faster than WeasyPrint ({goal})")
    verdict = "PASS" if signed <= TARGET_SIGNED_MS else "MISS"
    print(f"{verdict}  signed slip median {signed:.2f} ms (target <= {TARGET_SIGNED_MS:.0f} ms)")
    verdict = "PASS" if signed_ratio >= TARGET_SIGNED_RATIO else "MISS"
    goal = f"target >= {TARGET_SIGNED_RATIO:.0f}x"
    print(f"{verdict}  signed slip is {signed_ratio:.1f}x faster than WeasyPrint ({goal})")


if __name__ == "__main__":
    main()
