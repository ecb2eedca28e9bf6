"""Response headers that make the pages hard to frame, sniff or inject into."""

from __future__ import annotations

from flask import Flask

# No inline script or style anywhere: everything comes from /static. Inline SVG (the check-in
# QR) is markup, which the policy allows.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


ALWAYS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"


_ALWAYS_LIST = list(ALWAYS.items())
_ALWAYS_NAMES = frozenset(name.lower() for name in ALWAYS)


class SecurityHeaders:
    """WSGI middleware adding the headers above to every answer that does not set its own.

    At the WSGI layer the headers are plain (name, value) pairs: adding them costs a list
    extend, where Flask's after-request hook went through werkzeug's validating Headers object
    on every request (the constants here need no validating). It also covers every answer,
    whatever produced it.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        # Behind a trusted proxy, ProxyFix (outside this) has set the scheme it was told.
        secure = environ.get("wsgi.url_scheme") == "https"

        def start_response_with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            if present.isdisjoint(_ALWAYS_NAMES):
                headers.extend(_ALWAYS_LIST)
            else:
                headers.extend(pair for pair in _ALWAYS_LIST if pair[0].lower() not in present)
            if secure and "strict-transport-security" not in present:
                headers.append(("Strict-Transport-Security", HSTS))
            return start_response(status, headers, exc_info)

        return self.app(environ, start_response_with_headers)


def init_app(app: Flask) -> None:
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
