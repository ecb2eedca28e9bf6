"""A signed summary of one attendee's records over a period ("90 meetings in 90 days")."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from compliance.domain import slip_token


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


def summary_claims(
    summary: Summary, issuer: str, digest: str, with_codes: bool, extra: dict | None = None
) -> dict:
    """Return the signed claims; the code list only when the QR can still hold it. `extra`
    adds claims of a document built on a summary (an officer's compliance report)."""
    claims = {
        "iss": issuer,
        "jti": summary.summary_id,
        "iat": int(summary.issued_at.timestamp()),
        "name": summary.name,
        "from": summary.date_from.isoformat(),
        "to": summary.date_to.isoformat(),
        "n": summary.meetings,
        "min": summary.total_minutes,
        "dig": digest,
        "lang": summary.language,
    }
    if with_codes:
        claims["codes"] = summary.codes
    return {**claims, **(extra or {})}


def sign_summary(
    summary: Summary,
    issuer: str,
    digest: str,
    private_key,
    kid: str,
    with_codes: bool,
    extra: dict | None = None,
) -> str:
    claims = summary_claims(summary, issuer, digest, with_codes, extra)
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
