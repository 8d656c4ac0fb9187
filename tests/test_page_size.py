"""No public page grows with the directory: with three times the partners, every page is
no larger (give or take the digits of its counts)."""

import pytest

from partners.models import Country
from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/about/",
    "/about/icma/",
    "/partners/",
    # Search results come best first, each card naming its country; whichever generated
    # partners (and so countries) a page of a many-country search shows changes with
    # their numbers, so the searches here list one country's partners.
    "/partners/?q=association&country=in",
    "/partners/?q=india",
    "/partners/?region=europe",
    "/partners/?country=in",
    "/partners/?page=2",
    "/countries/",
    "/countries/india/",
    "/partners/city-managers-association-of-karnataka/",
]
# Counts shown on a page gain a digit or two ("32 partners" → "97 partners").
DIGITS = 100


def sizes(client):
    sizes = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        sizes[url] = len(response.content)
    return sizes


def test_no_public_page_grows_between_1000_and_3000_partners(client, directory):
    # India gets many pages of partners from the start, as the larger countries would
    # in a directory of a thousand (so that its pagination is already elided).
    grow_directory_to(437, countries=Country.objects.filter(code="IN"))
    grow_directory_to(1000)
    at_1000 = sizes(client)
    grow_directory_to(3000)
    at_3000 = sizes(client)
    grown = {
        url: (at_1000[url], at_3000[url]) for url in PAGES if at_3000[url] > at_1000[url] + DIGITS
    }
    assert not grown, grown
