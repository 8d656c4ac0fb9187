"""ListingPaginator (partners/listing/pagination.py) gives exactly the rows that slicing the listing
would, on every page, whatever the filters (searches: tests/test_search.py); page_or_first
reports a bad page number and gives the first page."""

import pytest
from django.core.paginator import Paginator

from partners.listing.filters import OrganizationFilter
from partners.listing.pagination import ListingPaginator, page_or_first
from partners.models import Organization
from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"region": "africa"},
        {"type": "multinational"},
        {"country": "in"},
        {"country": "ke"},  # A country served by a multinational partner.
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


@pytest.mark.parametrize("per_page", [10, 50])
def test_a_page_spanning_groups_is_one_query_in_the_listings_order(
    directory, django_assert_num_queries, per_page
):
    # 37 partners by 10: page 1 holds the first countries' groups whole and the next in
    # part, the last page runs from the last national partners into the multinational
    # ones. By 50: one page holding every group whole.
    listing = Organization.objects.published().for_listing()
    expected = [
        (partner.pk, partner.country.name, partner.relationship_type.slug) for partner in listing
    ]
    paginator = ListingPaginator(listing, per_page)
    assert paginator.count == 37  # The counts per group, read once for every page.
    for number in (1, paginator.num_pages):
        with django_assert_num_queries(1):  # Its partners' country and type included.
            on_page = [
                (partner.pk, partner.country.name, partner.relationship_type.slug)
                for partner in paginator.page(number).object_list
            ]
        assert len({(country, kind == "multinational") for _, country, kind in on_page}) > 1
        assert on_page == expected[(number - 1) * per_page : number * per_page]


def test_orphans_join_the_last_page(directory):
    listing = Organization.objects.published().for_listing()  # 37 partners
    paginator = ListingPaginator(listing, 10, orphans=7)
    assert paginator.num_pages == 3
    assert len(paginator.page(3).object_list) == 17


# A bad page number --------------------------------------------------------------------

PAGINATOR = Paginator(list(range(120)), 50)  # three pages


@pytest.mark.parametrize(
    ("number", "expected"), [(None, 1), ("", 1), ("1", 1), ("3", 3), ("last", 3)]
)
def test_good_numbers_give_their_page(number, expected):
    page, problem = page_or_first(PAGINATOR, number)
    assert (page.number, problem) == (expected, None)


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("abc", "“abc” is not a page number, so page 1 is shown."),
        ("2.0", "“2.0” is not a page number, so page 1 is shown."),
        ("4", "There is no page 4 of these results (they fill 3 pages), so page 1 is shown."),
        ("0", "There is no page 0 of these results (they fill 3 pages), so page 1 is shown."),
        ("-2", "There is no page -2 of these results (they fill 3 pages), so page 1 is shown."),
    ],
)
def test_bad_numbers_give_the_first_page_and_say_why(number, problem):
    page, said = page_or_first(PAGINATOR, number)
    assert (page.number, said) == (1, problem)


def test_a_long_bad_value_is_shortened_in_the_message():
    _, problem = page_or_first(PAGINATOR, "9" * 30 + "x")
    assert problem == "“9999999999999999999…” is not a page number, so page 1 is shown."


def test_an_empty_result_has_one_page():
    page, problem = page_or_first(Paginator([], 50), "2")
    assert page.number == 1
    assert problem == "There is no page 2 of these results (they fill 1 page), so page 1 is shown."
