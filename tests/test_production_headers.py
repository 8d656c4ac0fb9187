"""Security headers on every response: pages, static files, redirects, error pages and
the health check, in the test settings; HSTS with the production values over HTTPS."""

import pytest
from django.urls import path

from icma_site.urls import handler500  # noqa: F401 - this module is a URLconf too
from icma_site.urls import urlpatterns as site_urlpatterns
from tests.test_production_availability import UnreachableDatabase

pytestmark = [pytest.mark.django_db, pytest.mark.database_independent]


def boom(request):
    raise RuntimeError("/srv/icma/partners/views.py: something broke")


# The site's URLs plus a view that fails, for the 500 page.
# (Added to, not included: i18n_patterns may only be in the root URLconf.)
urlpatterns = [
    path("test-boom/", boom),
    *site_urlpatterns,
]

RESPONSES = {
    "home page": "/",
    "directory": "/partners/?q=association",
    "admin login": "/admin/login/",
    "stylesheet": "/static/css/site.css",
    "admin script": "/static/admin/js/core.js",
    "404 page": "/no-such-page/",
    "redirect": "/partners",
    "health check": "/healthz",
}
PERMISSIONS_POLICY_FEATURES = ["camera=()", "geolocation=()", "microphone=()", "payment=()"]


def assert_security_headers(response, *, hsts=False):
    csp = response["Content-Security-Policy"]
    directives = {}
    for part in csp.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["img-src"] == "'self' data:"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    for feature in PERMISSIONS_POLICY_FEATURES:
        assert feature in response["Permissions-Policy"]
    if hsts:
        assert (
            response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        )


@pytest.fixture
def production_hsts(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


@pytest.mark.parametrize("url", RESPONSES.values(), ids=RESPONSES.keys())
def test_security_headers_on_every_response(client, directory, url):
    response = client.get(url)
    assert response.status_code in {200, 301, 404}
    assert_security_headers(response)
    assert "Strict-Transport-Security" not in response  # Plain HTTP: no HSTS.


@pytest.mark.parametrize("url", RESPONSES.values(), ids=RESPONSES.keys())
def test_hsts_over_https_with_production_values(client, directory, production_hsts, url):
    response = client.get(url, secure=True)
    assert_security_headers(response, hsts=True)


def test_static_files_are_served_by_whitenoise_with_the_headers(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert_security_headers(response)


@pytest.mark.urls(__name__)
def test_security_headers_on_the_500_page(client, production_hsts):
    client.raise_request_exception = False
    response = client.get("/test-boom/", secure=True)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "/srv/icma" not in html and "Traceback" not in html and "RuntimeError" not in html
    assert_security_headers(response, hsts=True)


def test_security_headers_on_the_503_page(client, production_hsts):
    outage = UnreachableDatabase()
    try:
        page = client.get("/partners/", secure=True)
        health = client.get("/healthz", secure=True)
    finally:
        outage.undo()
    assert page.status_code == 503 and health.status_code == 503
    assert_security_headers(page, hsts=True)
    assert_security_headers(health, hsts=True)


def test_pages_have_no_inline_script_or_style(client, directory):
    # The policy forbids them: a page that had some would break.
    for url in ["/", "/partners/", "/countries/", "/countries/india/", "/admin/login/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and " style=" not in html and "<style" not in html, url
