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
