"""Every answer carries headers that forbid framing, sniffing and inline script."""

import pytest


@pytest.mark.parametrize("path", ["/", "/verify", "/healthz", "/.well-known/jwks.json", "/nope"])
def test_security_headers_everywhere(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in headers  # plain HTTP in tests


def test_hsts_on_https(client):
    headers = client.get("/verify", base_url="https://verify.example.org").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_an_answer_that_sets_its_own_policy_keeps_it():
    from compliance.web.security import SecurityHeaders

    def inner(environ, start_response):
        start_response("200 OK", [("Content-Security-Policy", "sandbox"), ("X-A", "1")])
        return [b"ok"]

    seen = {}

    def start_response(status, headers, exc_info=None):
        seen.update(headers)

    SecurityHeaders(inner)({"wsgi.url_scheme": "http"}, start_response)
    assert seen["Content-Security-Policy"] == "sandbox" and seen["X-A"] == "1"
    assert seen["X-Frame-Options"] == "DENY" and "Strict-Transport-Security" not in seen
    # X-Forwarded-Proto alone is anyone's word: only a trusted proxy (ProxyFix) sets the scheme.
    SecurityHeaders(inner)(
        {"wsgi.url_scheme": "http", "HTTP_X_FORWARDED_PROTO": "https"}, start_response
    )
    assert "Strict-Transport-Security" not in seen
    SecurityHeaders(inner)({"wsgi.url_scheme": "https"}, start_response)
    assert seen["Strict-Transport-Security"].startswith("max-age=")
