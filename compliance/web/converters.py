"""URL converters of our own."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import PathConverter


class TailConverter(PathConverter):
    """The rest of the path, slashes and all, like `path` but matched greedily.

    `path` is lazy (`[^/].*?`): the regex engine takes a step per character, which on a slip
    token of 600 characters was most of the routing cost of a verify. As the last part of a
    rule both match exactly the same text.
    """

    regex = "[^/].*"


def init_app(app: Flask) -> None:
    app.url_map.converters["tail"] = TailConverter
