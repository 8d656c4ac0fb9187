"""/healthz, and the friendly 503 page while the database cannot be reached.

The database is made unreachable by pointing the default connection at a closed port on
127.0.0.1 (a PostgreSQL connection, whichever database the suite runs on), then back.
"""

import json
import socket

import pytest
from django.db import OperationalError, connections
from django.db.utils import load_backend
from django.template.loader import render_to_string
from django.test import RequestFactory

from icma_site.health import is_database_unavailable, server_error

pytestmark = [pytest.mark.django_db, pytest.mark.database_independent]

DATABASE_PASSWORD = "not-a-real-password-6f1d"
PUBLIC_PAGES = ["/", "/partners/", "/partners/?q=association", "/countries/", "/countries/india/"]


def closed_port():
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class UnreachableDatabase:
    """Swaps the default connection for one to a closed port; `restore()` brings the
    database back, the way an outage ends: on PostgreSQL by pointing the same connection
    object back at the server, on SQLite by putting the original connection back."""

    def __init__(self):
        self.original = connections["default"]
        self.port = closed_port()
        if self.original.vendor == "postgresql":
            settings_dict = {**self.original.settings_dict}
        else:
            settings_dict = {
                **self.original.settings_dict,
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "icma",
                "USER": "icma",
                "OPTIONS": {},
            }
        settings_dict.update(
            HOST="127.0.0.1",
            PORT=str(self.port),
            PASSWORD=DATABASE_PASSWORD,
            CONN_MAX_AGE=600,
            CONN_HEALTH_CHECKS=True,
        )
        settings_dict["OPTIONS"] = {**settings_dict["OPTIONS"], "connect_timeout": 2}
        self.wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
            settings_dict, "default"
        )
        connections["default"] = self.wrapper

    def restore(self):
        if self.original.vendor == "postgresql":
            self.wrapper.settings_dict.update(
                PORT=self.original.settings_dict["PORT"],
                PASSWORD=self.original.settings_dict["PASSWORD"],
            )
        else:
            connections["default"] = self.original

    def undo(self):
        self.wrapper.close()
        connections["default"] = self.original


@pytest.fixture
def database_down(db):
    outage = UnreachableDatabase()
    try:
        yield outage
    finally:
        outage.undo()


def assert_friendly_503(response):
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "temporarily unavailable" in html
    assert 'class="site-header"' in html  # The site's design (base.html).
    assert 'href="/partners/"' in html and 'href="/"' in html
    for leak in ("Traceback", "OperationalError", "psycopg", "127.0.0.1", DATABASE_PASSWORD):
        assert leak not in html


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_whatever_the_host_header(client):
    # Load balancers probe each app server by its address.
    assert client.get("/healthz", headers={"host": "10.0.0.7:8000"}).status_code == 200
    assert client.get("/partners/", headers={"host": "10.0.0.7:8000"}).status_code == 400


def test_healthz_is_503_without_the_database_and_tells_no_secret(client, settings, database_down):
    response = client.get("/healthz")
    body = response.content.decode()
    assert response.status_code == 503
    assert json.loads(body) == {"status": "unavailable", "database": "unreachable", "cache": "ok"}
    assert response["Retry-After"] == "30"  # Like the pages' 503.
    for secret in (settings.SECRET_KEY, DATABASE_PASSWORD, str(database_down.port), "127.0.0.1"):
        assert secret not in body


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_answer_a_friendly_503_without_the_database(client, database_down, url):
    assert_friendly_503(client.get(url))


def test_staff_pages_answer_a_friendly_503_without_the_database(admin_client, database_down):
    # The session is read from the database: that fails too, and is a 503 as well.
    assert_friendly_503(admin_client.get("/admin/"))
    assert_friendly_503(admin_client.get("/admin/partners/organization/"))


def test_a_post_answers_a_friendly_503_without_the_database(admin_client, database_down):
    assert_friendly_503(admin_client.post("/admin/partners/country/add/", {"name": "Atlantis"}))


def test_the_site_recovers_by_itself_when_the_database_comes_back(client, database_down):
    assert client.get("/healthz").status_code == 503
    assert client.get("/countries/").status_code == 503
    database_down.restore()
    assert client.get("/healthz").status_code == 200
    assert client.get("/countries/").status_code == 200
    assert client.get("/partners/").status_code == 200


def test_server_error_handler_answers_503_for_a_database_error():
    # Database errors raised outside a view (in a middleware, or while rendering an error
    # page) reach handler500, which tells them apart.
    request = RequestFactory().get("/")
    try:
        raise OperationalError('connection to server at "10.0.0.5", port 5432 failed')
    except OperationalError:
        response = server_error(request)
    assert_friendly_503(response)
    assert "10.0.0.5" not in response.content.decode()


def test_server_error_handler_answers_the_friendly_500_page_otherwise():
    request = RequestFactory().get("/")
    try:
        raise RuntimeError("/srv/app/secret/path.py exploded")
    except RuntimeError:
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html and 'class="site-header"' in html
    assert "/srv/app" not in html and "RuntimeError" not in html


def test_database_errors_are_recognised_through_their_causes():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as error:
            raise RuntimeError("while rendering") from error
    except RuntimeError as error:
        assert is_database_unavailable(error)
    assert not is_database_unavailable(ValueError("no"))
    assert not is_database_unavailable(None)


@pytest.mark.parametrize("template", ["404.html", "500.html", "503.html"])
def test_error_pages_render_without_context_or_database(template, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string(template)
    assert 'class="site-header"' in html and 'href="/partners/"' in html
    assert "{{" not in html and "{%" not in html


def test_404_page_is_friendly(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and 'href="/partners/"' in html
    assert "Resolver404" not in html and "no-such-page" not in html and "Traceback" not in html


def test_404_page_shows_only_the_reason_written_for_the_visitor():
    """partners.views.page_not_found passes `message` only for a NotFound; Django's own
    Http404 text ("No organization found matching the query") never reaches the page."""
    reason = "No published partner is in this country."
    assert reason in render_to_string("404.html", {"message": reason})
    for exception in ["No organization found matching the query", "Resolver404", "Http404"]:
        assert exception not in render_to_string("404.html", {"exception": exception})
