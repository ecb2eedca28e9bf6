"""Is an uploaded PDF the file that was issued? The same bytes, or the same pages to the eye.

A genuine file re-saved by qpdf, linearised or printed to PDF shows exactly what was issued:
it is valid, with a note. Any visible change (an edited name or number, a swapped page, an
annotation drawn over it) makes it altered, whatever its token says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from compliance.domain.pdf import likeness, signature
from compliance.domain.pdf.paper import PAGE_SIZES
from compliance.domain.verdict import Status, Verdict

ALTERED_REASON = "This file was changed after issue; only the record shown here is genuine."
RESAVED_NOTE = (
    "This file is a re-saved copy (for example re-saved or printed to PDF by another program): "
    "its pages show exactly what was issued."
)


def signature_says(state: signature.SignatureState, signer_known: bool) -> tuple[str | None, bool]:
    """Return what a file's PDF signature says: why the file counts as edited (or None), and
    whether the signature covers all of it.

    pyHanko's modification analysis finds anything saved after the signature. A good signature
    by anyone but the known document-signing certificate means someone re-signed the file;
    when that certificate is not at hand (offline without it), any whole-file signature over
    the very rendering of the token still vouches for the content. A broken or missing
    signature is what re-saving does: the pages are compared next.
    """
    if state is signature.SignatureState.UPDATED:
        return (
            "This file was changed after it was signed; only the record shown here is genuine.",
            False,
        )
    if state is signature.SignatureState.OTHER_SIGNER and signer_known:
        return (
            "This file was signed again by someone else; only the record shown here is genuine.",
            False,
        )
    intact = (
        state is signature.SignatureState.INTACT or state is signature.SignatureState.OTHER_SIGNER
    )
    return None, intact


def paper_of(pdf: bytes) -> str | None:
    """Return the paper ('letter' or 'a4') of the file's first page, or None if neither."""
    try:
        sizes = likeness.page_sizes(pdf)
    except likeness.UnreadablePdf:
        return None
    if not sizes:
        return None
    width, height = sizes[0]
    for paper, (paper_width, paper_height) in PAGE_SIZES.items():
        if abs(width - paper_width) <= 1 and abs(height - paper_height) <= 1:
            return paper
    return None


def compare_with_issued(
    verdict: Verdict,
    uploaded: bytes,
    issued_on: Callable[[str], bytes],
    signed_intact: bool = False,
) -> Verdict:
    """Return the verdict for an upload that is not byte for byte a file handed out:
    `issued_on(paper)` gives the issued file on the upload's paper to compare with (unsigned,
    or as handed out); `signed_intact` says the upload's PDF signature covers all of it."""
    paper = paper_of(uploaded)
    if paper is not None:
        issued = issued_on(paper)
        if issued == uploaded:
            return verdict
        if uploaded.startswith(issued):
            # The issued rendering with its signature appended is the file as issued; anything
            # else appended is an incremental update, how PDF editors save an edit, whether or
            # not this one changed what the page shows.
            return verdict if signed_intact else altered(verdict)
        try:
            if likeness.looks_the_same(uploaded, issued):
                return replace(verdict, note=RESAVED_NOTE)
        except likeness.UnreadablePdf:
            pass
    return altered(verdict)


def altered(verdict: Verdict, reason: str = ALTERED_REASON) -> Verdict:
    """Return the `altered` verdict for a file of this (otherwise valid) record."""
    return Verdict(
        Status.ALTERED, verdict.slip, verdict.kid, reason=reason, summary=verdict.summary
    )
