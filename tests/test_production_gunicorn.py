"""The README's production command for real: bin/serve-production migrates, loads the
partners, collects the static files and starts gunicorn with the production settings;
then pages and static files are fetched over HTTP.

On SQLite (the default) the server gets a database file of its own. With DATABASE_URL
pointing at PostgreSQL it gets a PostgreSQL database of its own (<name>_gunicorn, dropped
afterwards), reached through a TCP proxy that the test can cut, to watch the site answer
503 while the database is away and recover by itself when it is back.
"""

import json
import os
import re
import time

import pytest

from tests.production_server import HTTPS, ProductionServer, proxied_database

# One server for the module, in one process when the suite runs in several (its
# PostgreSQL database has one name).
pytestmark = pytest.mark.xdist_group("production-server")


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("production")


@pytest.fixture(scope="module")
def server_database(folder):
    """(DATABASE_URL for the server, TcpProxy or None)."""
    url = postgres_url()
    if url is None:
        yield f"sqlite:///{folder / 'production.sqlite3'}", None
        return
    with proxied_database(url, "gunicorn") as (proxied_url, proxy):
        yield proxied_url, proxy


@pytest.fixture(scope="module")
def server(folder, server_database):
    """One server for the module's tests (starting one takes a few seconds)."""
    database_url, _ = server_database
    with ProductionServer(
        database_url, folder, ALLOWED_HOSTS="127.0.0.1,localhost", WEB_CONCURRENCY="2"
    ) as server:
        yield server


def assert_security_headers(headers):
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


def test_gunicorn_serves_pages_and_static_files(server):
    status, headers, body = server.get("/admin/login/", HTTPS)
    assert status == 200
    assert b"ICMA partner directory" in body
    assert_security_headers(headers)
    assert "Secure" in headers["Set-Cookie"]  # The CSRF cookie.

    status, headers, body = server.get("/partners/", HTTPS)
    html = body.decode()
    assert status == 200
    assert "Canadian Association of Municipal Administrators" in html  # Loaded by the script.
    assert_security_headers(headers)
    assert headers["ETag"]
    assert server.get("/partners/", {**HTTPS, "If-None-Match": headers["ETag"]})[0] == 304

    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    status, headers, body = server.get(stylesheet, {**HTTPS, "Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert_security_headers(headers)


def test_gunicorn_redirects_plain_http_but_not_the_health_check(server):
    status, headers, _ = server.get("/partners/")
    assert status == 301
    assert headers["Location"] == "https://127.0.0.1/partners/"
    status, _, body = server.get("/healthz", host="10.0.0.7")
    assert status == 200
    assert json.loads(body)["status"] == "ok"


def test_gunicorn_answers_friendly_error_pages_and_logs_requests(server):
    status, headers, body = server.get("/no-such-page/", HTTPS)
    assert status == 404
    assert b"Page not found" in body and b"Traceback" not in body
    assert_security_headers(headers)
    deadline = time.monotonic() + 5  # The access log line follows the response.
    while '"GET /no-such-page/ HTTP/1.1" 404' not in server.output():
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.1)


def test_gunicorn_logs_a_forged_host_as_one_short_warning(server):
    assert server.get("/partners/", HTTPS, host="forged.example")[0] == 400
    deadline = time.monotonic() + 5
    while "forged.example" not in server.output():
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.1)
    lines = [line for line in server.output().splitlines() if "forged.example" in line]
    assert len(lines) == 1, lines
    assert "WARNING django.security.DisallowedHost Rejected a request for a host" in lines[0]
    assert "Traceback" not in server.output()


@pytest.mark.skipif(postgres_url() is None, reason="needs DATABASE_URL on PostgreSQL")
def test_gunicorn_answers_503_while_the_database_is_away_and_recovers(server, server_database):
    _, proxy = server_database
    assert server.get("/partners/", HTTPS)[0] == 200

    proxy.stop()
    for _ in range(4):  # Each worker in turn finds its connection dead.
        status, headers, body = server.get("/countries/", HTTPS)
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert b"temporarily unavailable" in body and b"Traceback" not in body
        assert_security_headers(headers)
    assert server.get("/healthz")[0] == 503

    proxy.start()
    deadline = time.monotonic() + 20
    while server.get("/healthz")[0] != 200:
        assert time.monotonic() < deadline, server.output()
        time.sleep(0.2)
    for _ in range(6):  # Every worker reconnected, without a restart.
        assert server.get("/countries/", HTTPS)[0] == 200
        assert server.get("/healthz")[0] == 200


@pytest.mark.skipif(postgres_url() is None, reason="needs DATABASE_URL on PostgreSQL")
def test_gunicorn_answers_503_within_5_seconds_while_the_database_is_silent(
    server, server_database
):
    _, proxy = server_database
    for _ in range(6):  # Every worker holds a persistent connection through the proxy.
        assert server.get("/countries/", HTTPS)[0] == 200
    workers_booted = server.output().count("Booting worker")

    proxy.freeze()
    try:
        for path in ["/healthz", "/countries/", "/partners/?q=union", "/", "/healthz"]:
            started = time.monotonic()
            status, headers, body = server.get(path, HTTPS)
            took = time.monotonic() - started
            assert status == 503, (path, body[:300])
            assert took < 5, f"{path} took {took:.1f} s"
            assert headers["Retry-After"] == "30"
            assert b"Traceback" not in body
    finally:
        proxy.thaw()

    # Every worker answers again by itself (each waits a second after a failure before
    # trying the database again): six pages in a row, without a restart.
    deadline = time.monotonic() + 20
    answered = 0
    while answered < 6:
        assert time.monotonic() < deadline, server.output()
        answered = answered + 1 if server.get("/partners/", HTTPS)[0] == 200 else 0
        time.sleep(0.1)
    output = server.output()
    assert "WORKER TIMEOUT" not in output
    assert output.count("Booting worker") == workers_booted
