"""English and Spanish for the pages attendees see; their choice is remembered in the session."""

from __future__ import annotations

from flask import Flask, g, request, session
from flask_babel import Babel

from compliance.config import PACKAGE_DIR

LANGUAGES = ("en", "es")
babel = Babel()


def chosen_language() -> str:
    """Return the page language: the attendee's saved choice, else the browser's preference."""
    for choice in (getattr(g, "language", None), session.get("language")):
        if choice in LANGUAGES:
            return choice
    return request.accept_languages.best_match(LANGUAGES) or "en"


def remember_language(language: str) -> None:
    if language in LANGUAGES:
        session["language"] = language
        g.language = language


def init_app(app: Flask) -> None:
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(PACKAGE_DIR / "translations")
    )
    babel.init_app(app, locale_selector=chosen_language)
    app.jinja_env.globals["current_language"] = chosen_language
