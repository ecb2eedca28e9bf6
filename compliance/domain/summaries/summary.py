"""A signed summary of one attendee's records over a period ("90 meetings in 90 days")."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from compliance.domain.pdf.attachment import read_attached_json
from compliance.domain.pdf.reading import attachment_named
from compliance.domain.slips import token as slip_token


@dataclass(frozen=True)
class SummaryLine:
    """One record as the summary lists it."""

    code: str
    day: date
    meeting: str
    program: str
    minutes: int
    name: str = ""  # as printed on the record's slip


def names_on(names: Iterable[str], fallback: str) -> str:
    """Return who a summary is about: the names printed on its slips, each once, in order
    ("Dana Kowalski / Dana M. Kowalski" after a change); `fallback` when it lists none."""
    distinct = list(dict.fromkeys(names))
    return " / ".join(distinct) if distinct else fallback


@dataclass(frozen=True)
class Summary:
    """What a summary says; the token signs its digest, so the list cannot be edited."""

    summary_id: str
    name: str
    date_from: date
    date_to: date
    lines: tuple[SummaryLine, ...]
    issued_at: datetime
    language: str = "en"
    # Summaries signed since records travel with the file carry them as an attachment.
    carries_records: bool = True

    @property
    def meetings(self) -> int:
        return len(self.lines)

    @property
    def total_minutes(self) -> int:
        return sum(line.minutes for line in self.lines)

    @property
    def codes(self) -> list[str]:
        return [line.code for line in self.lines]


def summary_digest(record_tokens: Iterable[tuple[str, str]]) -> str:
    """Return a SHA-256 over (code, token) pairs: it binds the summary to the exact slips."""
    hasher = hashlib.sha256()
    for code, token in sorted(record_tokens):
        hasher.update(f"{code}:{token}\n".encode())
    return base64.urlsafe_b64encode(hasher.digest()).rstrip(b"=").decode("ascii")


RECORDS_ATTACHMENT = "summary-records.json"
_RECORDS_MARKER = b'{"summary_records":'


def records_attachment(summary: Summary) -> bytes:
    """Return the records a summary lists as canonical ASCII JSON: what a verifier needs,
    with the signed claims, to re-create the file offline."""
    lines = [
        [line.code, line.day.isoformat(), line.meeting, line.program, line.minutes, line.name]
        for line in summary.lines
    ]
    return json.dumps({"summary_records": lines}, separators=(",", ":")).encode("ascii")


def records_digest(attachment: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(attachment).digest()).rstrip(b"=").decode()


def read_records_attachment(pdf_bytes: bytes) -> bytes | None:
    """Return the records attachment of a summary PDF (as issued, or re-saved by a program
    that compressed it), or None."""
    found = read_attached_json(pdf_bytes, _RECORDS_MARKER)
    return found if found is not None else attachment_named(pdf_bytes, RECORDS_ATTACHMENT)


def carries_other_records(claims: Mapping, pdf_bytes: bytes) -> bool:
    """Whether a summary file carries a records attachment other than the one its claims
    signed (a copy without one, re-saved or printed, carries none and is not this)."""
    attachment = read_records_attachment(pdf_bytes)
    return attachment is not None and "ld" in claims and records_digest(attachment) != claims["ld"]


def summary_from_claims(claims: Mapping, attachment: bytes) -> Summary:
    """Return the summary that verified claims and its records attachment describe; raise
    ValueError if the attachment is not the one the claims signed, or either is malformed."""
    if claims.get("ld") != records_digest(attachment):
        raise ValueError("the records attached are not the ones the summary signed")
    rows = json.loads(attachment)["summary_records"]
    lines = tuple(
        SummaryLine(code, date.fromisoformat(day), meeting, program, minutes, name)
        for code, day, meeting, program, minutes, name in rows
    )
    return Summary(
        summary_id=claims["jti"],
        name=claims["name"],
        date_from=date.fromisoformat(claims["from"]),
        date_to=date.fromisoformat(claims["to"]),
        lines=lines,
        issued_at=datetime.fromtimestamp(claims["iat"], UTC),
        language=claims["lang"],
    )


def summary_claims(
    summary: Summary, issuer: str, with_codes: bool, extra: dict | None = None
) -> dict:
    """Return the signed claims; the code list only when the QR can still hold it. `ld` signs
    the records attachment, so neither the list nor the file can be edited. (Summaries signed
    before it carried `dig` instead: a digest of the records' tokens, checkable only online.)
    `extra` adds the claims of a document built on a summary (an officer's compliance report)."""
    claims = {
        "iss": issuer,
        "jti": summary.summary_id,
        "iat": int(summary.issued_at.timestamp()),
        "name": summary.name,
        "from": summary.date_from.isoformat(),
        "to": summary.date_to.isoformat(),
        "n": summary.meetings,
        "min": summary.total_minutes,
        "ld": records_digest(records_attachment(summary)),
        "lang": summary.language,
    }
    if with_codes:
        claims["codes"] = summary.codes
    return {**claims, **(extra or {})}


def sign_summary(
    summary: Summary,
    issuer: str,
    private_key,
    kid: str,
    with_codes: bool,
    extra: dict | None = None,
) -> str:
    claims = summary_claims(summary, issuer, with_codes, extra)
    return slip_token.sign(claims, private_key, kid, slip_token.SUMMARY_TYP)


def meeting_clusters(spans: Sequence[tuple[datetime, datetime, int]]) -> list[list[int]]:
    """Return the positions of the spans, (start, end, minutes present), grouped by meetings
    that overlap in time, in time order: nobody is present at two meetings at once."""
    clusters: list[list[int]] = []
    cluster_end: datetime | None = None
    for index in sorted(range(len(spans)), key=lambda i: spans[i]):
        start, end, _ = spans[index]
        if cluster_end is not None and start < cluster_end:
            clusters[-1].append(index)
            cluster_end = max(cluster_end, end)
            continue
        clusters.append([index])
        cluster_end = end
    return clusters


def distinct_meetings(spans: Iterable[tuple[datetime, datetime, int]]) -> tuple[int, int]:
    """Return (meetings, minutes) over records given as (start, end, minutes present): records
    whose meetings overlap in time count once, with the most minutes among them (nobody is
    present at two meetings at once)."""
    spans = list(spans)
    clusters = meeting_clusters(spans)
    return len(clusters), sum(max(spans[i][2] for i in cluster) for cluster in clusters)
