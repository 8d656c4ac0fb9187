"""Accessibility in a real browser: axe-core on every template at phone and desktop widths,
the focus indicator's contrast on each kind of control, and the world map by keyboard.

axe-core (pinned in dev.py, fetched from the npm registry) runs inside Debian's Chromium.
To check a page another issue adds, add one line to PAGES."""

from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from partners.models import Organization
from tests.factories import grow_directory_to

pytestmark = [pytest.mark.browser]

WIDTHS = [390, 1280]
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@dataclass
class Visit:
    """A page to check: its path (or a function of nothing giving it, once the data is
    loaded), whether it needs a signed-in superuser, and how many organizations the
    directory should have (more than a page of results, for a paginated list)."""

    path: object
    staff: bool = False
    organizations: int | None = None
    status: int = 200
    extra: dict = field(default_factory=dict)

    def url(self):
        return self.path() if callable(self.path) else self.path


def change_form():
    organization = Organization.objects.get(acronym="SALGA")
    return reverse("admin:partners_organization_change", args=[organization.pk])


PAGES = {
    "home": Visit("/"),
    "directory": Visit("/partners/"),
    "directory-filtered": Visit("/partners/?country=in&type=bilateral"),
    "directory-empty": Visit("/partners/?q=nowhere-at-all"),
    "directory-bad-input": Visit("/partners/?country=zz&region=atlantis&page=abc"),
    "directory-paginated": Visit("/partners/?type=bilateral&page=2", organizations=130),
    "directory-print": Visit("/partners/print/?type=bilateral", organizations=130),
    "country-list": Visit("/countries/"),
    "country": Visit("/countries/india/"),
    "partner-bilateral": Visit("/partners/city-managers-association-of-karnataka/"),
    "partner-multinational": Visit("/partners/environmental-center-for-arab-towns/"),
    "about-international": Visit("/about/"),
    "about-icma": Visit("/about/icma/"),
    "not-found": Visit("/partners/no-such-partner/", status=404),
    "admin-login": Visit("/admin/login/"),
    "admin-index": Visit("/admin/", staff=True),
    "admin-change-list": Visit("/admin/partners/organization/", staff=True),
    "admin-change-list-filtered": Visit(
        "/admin/partners/organization/?country__region=africa&q=association", staff=True
    ),
    "admin-change-form": Visit(change_form, staff=True),
    "admin-add-form": Visit("/admin/partners/organization/add/", staff=True),
}


def sign_in(page, live_server_url):
    """Give the page's browser context a superuser's session cookie."""
    user = get_user_model().objects.create_superuser("axe", "axe@example.org", "axe-password")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server_url,
            }
        ]
    )


def axe_violations(page, axe_script):
    """axe-core's WCAG 2.2 A/AA violations on the page, as readable lines."""
    page.evaluate(axe_script)
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:8])
        for violation in results["violations"]
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(site, open_page, axe_script, name, width):
    visit = PAGES[name]
    if visit.organizations:
        grow_directory_to(visit.organizations)
    page = open_page(width=width, height=900)
    if visit.staff:
        sign_in(page, site)
    response = page.goto(site + visit.url())
    assert response.status == visit.status
    violations = axe_violations(page, axe_script)
    assert not violations, "\n".join(violations)
