"""Time `mail send` delivering a signed 500-person session's slip mails, PDFs attached, to a
real SMTP server on loopback (aiosmtpd, in this process).

Run: .venv/bin/python bench/bench_mail_send.py [--people 500]

Signs a session of `--people` attendees (each with an email) on an SQLite file under /tmp,
which queues one slip mail per person, then times `mail_delivery.deliver_due()`: claiming
batches, making each message (slip PDF re-rendered, links signed), one SMTP connection per
batch, each outcome committed. The same run times rendering the same slip PDFs alone, the part
no mail system can skip, for the ratio. Bounded: about 30 s. Target: ≤ 20 s for 500.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import time
from datetime import UTC, datetime

from bench_finalize import seed_roster
from common import (
    facilitator_and_session,
    make_app,
    print_header,
    sqlite_url,
    tmp_workdir,
    verdict_line,
)

TARGET_SECONDS = 20.0


class CountingInbox:
    def __init__(self) -> None:
        self.received = 0
        self.with_pdf = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received += 1
        self.with_pdf += b"application/pdf" in envelope.content
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    from compliance.extensions import db
    from compliance.models import AttendanceRecord, User
    from compliance.services import mail_delivery
    from compliance.services.finalize import finalize_session
    from compliance.services.slips import slip_pdf

    print_header(f"mail send: {args.people} slip mails with their PDFs to a local SMTP server")
    work = tmp_workdir("bench-mail-")
    inbox, port = CountingInbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        app = make_app(sqlite_url(work / "mail.sqlite3"), work / "keys", f"smtp://127.0.0.1:{port}")
        starts_at = datetime(2025, 3, 5, 1, 0, tzinfo=UTC)
        user_id, session_id = facilitator_and_session(app, starts_at)
        seed_roster(app, session_id, args.people, starts_at)
        with app.app_context():
            finalize_session(db.session.get(User, user_id), session_id)
            records = db.session.query(AttendanceRecord).all()
            began = time.perf_counter()
            for record in records:
                slip_pdf(record)
            render_only = time.perf_counter() - began
            db.session.remove()
        with app.app_context():
            began = time.perf_counter()
            result = mail_delivery.deliver_due()
            seconds = time.perf_counter() - began
        if result.sent != args.people or inbox.received != args.people:
            raise SystemExit(f"sent {result.sent}, received {inbox.received} of {args.people}")
        if inbox.with_pdf != args.people:
            raise SystemExit(f"only {inbox.with_pdf} of {args.people} messages carried a PDF")
        print(f"rendering the {args.people} slip PDFs alone: {render_only:.2f} s")
        print(
            f"mail send: {args.people} messages in {seconds:.2f} s "
            f"({seconds / args.people * 1000:.1f} ms each, x{seconds / render_only:.2f} of "
            "rendering alone)"
        )
        ok = seconds <= TARGET_SECONDS
        verdict_line(
            f"mail send {args.people} slip mails",
            f"{seconds:.2f} s",
            ok,
            f"<= {TARGET_SECONDS:.0f} s",
        )
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
