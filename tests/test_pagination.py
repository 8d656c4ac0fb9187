"""ListingPaginator (partners/pagination.py) gives exactly the rows that slicing the listing
would, on every page, whatever the filters."""

import pytest

from partners.filters import OrganizationFilter
from partners.models import Organization
from partners.pagination import ListingPaginator
from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"region": "africa"},
        {"q": "association"},
        {"type": "multinational"},
        {"country": "in"},
        {"country": "ke"},  # A country served by a multinational partner.
        {"q": "nothing matches this"},
    ],
)
@pytest.mark.parametrize("per_page", [7, 50])
def test_every_page_holds_the_rows_slicing_would_give(directory, params, per_page):
    grow_directory_to(400)
    listing = OrganizationFilter(params, queryset=Organization.objects.published().for_listing()).qs
    expected = list(listing.values_list("pk", flat=True))
    paginator = ListingPaginator(listing, per_page)
    assert paginator.count == len(expected)
    assert paginator.country_count == listing.values("country").distinct().count()
    rows = []
    for number in paginator.page_range:
        page = paginator.page(number)
        on_page = [partner.pk for partner in page.object_list]
        assert on_page == expected[page.start_index() - 1 : page.end_index()]
        rows += on_page
    assert rows == expected


def test_orphans_join_the_last_page(directory):
    listing = Organization.objects.published().for_listing()  # 37 partners
    paginator = ListingPaginator(listing, 10, orphans=7)
    assert paginator.num_pages == 3
    assert len(paginator.page(3).object_list) == 17
