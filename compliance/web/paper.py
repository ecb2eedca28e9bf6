"""Which paper a downloaded slip or summary is laid out for: `?paper=`, else the reader's locale."""

from __future__ import annotations

from flask import abort, request

from compliance.domain.pdf.paper import paper_for_locale, paper_named


def requested_paper() -> str:
    """Return 'letter' or 'a4': the query's `paper`, else the browser's first language's region
    (en-GB → A4, en-US or a bare 'es' → Letter). An unknown `paper` is a 400."""
    asked = request.args.get("paper")
    if asked is not None:
        paper = paper_named(asked)
        if paper is None:
            abort(400, description="paper must be 'letter' or 'a4'")
        return paper
    locales = request.accept_languages.values()
    return paper_for_locale(next(iter(locales), None))
