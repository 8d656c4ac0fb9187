"""A broad search is capped (partners/search/query.py COUNT_CAP): it counts and ranks only the
first COUNT_CAP + 1 of its matches by name, lists the best COUNT_CAP of them, best first,
on the pages that exist, and says in words that more match. The cap is set low here, so
that a few dozen partners pass it. Run on SQLite and PostgreSQL (DATABASE_URL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.listing.filters import OrganizationFilter
from partners.models import Organization
from partners.search import paginator as search
from partners.search.paginator import SearchPaginator
from partners.search.ranks import NAMED
from partners.views import PartnerDirectoryView
from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db

CAP = 20


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", CAP)
    return CAP


@pytest.fixture
def grown(directory):
    """The real directory and generated partners up to 100: "Municipal Association 37" …
    "Municipal Association 99", so that "municipal" finds 70-odd partners, most of
    them at one rank (a whole word of the name) and a few at another ("Municipalities")."""
    grow_directory_to(100)


def paginator_for(params, per_page):
    filterset = OrganizationFilter(params, queryset=Organization.objects.published().for_listing())
    filterset.qs  # The search is made as the filters are applied.  # noqa: B018
    return filterset, SearchPaginator(filterset.search, filterset.unsearched, per_page)


def capped_list(filterset, cap):
    """What a capped list holds: the partners of a country the query names, and the first
    cap + 1 of the others by name, best first (then by name); the first `cap` of them."""
    ranked = filterset.qs
    named = set(ranked.filter(search_rank=NAMED).values_list("pk", flat=True))
    others = ranked.exclude(search_rank=NAMED).order_by("name", "pk")
    first = set(others.values_list("pk", flat=True)[: cap + 1])
    return [pk for pk in ranked.values_list("pk", flat=True) if pk in named | first][:cap]


def test_a_search_finding_more_than_the_cap_counts_only_up_to_it(grown, cap):
    filterset, paginator = paginator_for({"q": "municipal"}, 50)
    assert filterset.qs.count() > cap
    assert paginator.capped
    assert paginator.count == cap
    assert paginator.num_pages == 1


def test_a_search_finding_no_more_than_the_cap_is_counted_whole(grown, monkeypatch):
    filterset, paginator = paginator_for({"q": "municipal"}, 50)
    monkeypatch.setattr(search, "COUNT_CAP", filterset.qs.count())
    assert not paginator.capped
    assert paginator.count == filterset.qs.count()
    assert paginator.country_count == filterset.qs.values("country").distinct().count()


@pytest.mark.parametrize(
    ("params", "cap"),
    [
        ({"q": "municipal"}, CAP),
        ({"q": "municipal"}, 70),  # the cap among the second rank's partners
        ({"q": "association"}, CAP),
        ({"q": "municipal", "type": "bilateral"}, CAP),
        ({"q": "in"}, 7),  # India's 6 partners (named by its code), then 1 of 3 others
    ],
)
@pytest.mark.parametrize("per_page", [3, 7, 50])
# Read along the name index from the start of each rank, or (0) every read bounded by the
# last name counted, as pages deep into a rank are.
@pytest.mark.parametrize("deep_in_rank", [search.DEEP_IN_RANK, 0])
def test_every_page_of_a_capped_search_holds_the_best_of_the_first_matches_by_name(
    grown, monkeypatch, params, cap, per_page, deep_in_rank
):
    monkeypatch.setattr(search, "COUNT_CAP", cap)
    monkeypatch.setattr(search, "DEEP_IN_RANK", deep_in_rank)
    filterset, paginator = paginator_for(params, per_page)
    expected = capped_list(filterset, cap)
    assert paginator.capped
    assert paginator.count == len(expected) == cap
    rows = []
    for number in paginator.page_range:
        page = paginator.page(number)
        on_page = [partner.pk for partner in page.object_list]
        assert on_page == expected[page.start_index() - 1 : page.end_index()], number
        rows += on_page
    assert rows == expected


def test_a_capped_search_keeps_the_ranking_of_the_partners_it_lists(grown, cap):
    _, paginator = paginator_for({"q": "municipal"}, cap)
    listed = paginator.page(1).object_list
    ranks = [partner.search_rank for partner in listed]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) > 1  # The cap falls among partners of more than one rank.


# The directory page.


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def test_the_page_says_more_partners_match_than_it_lists(client, grown, cap, seven_a_page):
    response = get(client, "/partners/?q=municipal")
    assert response.context["summary"] == "More than 20 partners"
    text = response.content.decode()
    assert "<strong>More than 20 partners</strong> match your filters" in text
    assert "Only the best matches among the first 20 by name are listed." in text
    assert "Add words or choose a country to narrow the list." in text
    assert "(every partner that matches, not just these pages)" in text
    assert "all 20" not in text
    assert "To print more of them, use “Print this list”" in text


def test_an_uncapped_search_says_how_many_partners_in_how_many_countries(client, grown, cap):
    response = get(client, "/partners/?q=salga")
    assert response.context["summary"] == "1 partner in 1 country"
    assert not response.context["capped"]
    assert b"by name are listed" not in response.content


@pytest.mark.parametrize(
    ("prefix", "summary", "advice"),
    [
        ("", "More than 1,000 partners", "among the first 1,000 by name"),
        ("/es", "Más de 1\xa0000 socios", "entre los primeros 1\xa0000 por nombre"),
        ("/fr", "Plus de 1\xa0000 partenaires", "parmi les 1\xa0000 premiers par nom"),
    ],
)
def test_the_cap_is_written_as_numbers_are_in_the_pages_language(
    client, directory, monkeypatch, prefix, summary, advice
):
    monkeypatch.setattr(search, "COUNT_CAP", 1000)
    grow_directory_to(1100)
    response = get(client, f"{prefix}/partners/?q=municipal")
    assert response.context["summary"] == summary
    assert advice in response.content.decode()


def test_the_print_page_of_a_capped_search_says_more_match(client, grown, monkeypatch, cap):
    monkeypatch.setattr(PartnerDirectoryView, "paginate_by", 7)
    monkeypatch.setattr("partners.views.PartnerDirectoryPrintView.paginate_by", 7)
    response = get(client, "/print/partners/?q=municipal")
    text = response.content.decode()
    assert "<strong>More than 20 partners</strong>" in text
    assert "Only the first 7 of more than 20 partners are listed" in text


# Pagination at and past the cap: 20 partners, 7 a page, so 3 pages (7, 7, 6).


@pytest.fixture
def seven_a_page(monkeypatch):
    monkeypatch.setattr(PartnerDirectoryView, "paginate_by", 7)


def test_the_last_page_of_a_capped_search_is_the_one_the_cap_fills(
    client, grown, cap, seven_a_page
):
    response = get(client, "/partners/?q=municipal&page=last")
    page = response.context["page_obj"]
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (3, 3, 6)
    assert response.context["problems"] == []
    first = get(client, "/partners/?q=municipal").content.decode()
    assert 'href="?q=municipal&amp;page=3"' in first
    assert "page=4" not in first


def test_a_page_past_the_cap_is_reported_and_page_one_shown(client, grown, cap, seven_a_page):
    response = get(client, "/partners/?q=municipal&page=4")
    assert response.context["page_obj"].number == 1
    assert response.context["problems"] == [
        (
            "page",
            "Page: There is no page 4 of these results (they fill 3 pages), so page 1 is shown.",
        )
    ]


# Queries.


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        get(client, path)
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/partners/?q=municipal",
        "/partners/?q=municipal&page=last",  # spans two ranks when capped
        "/partners/?q=india",
        "/print/partners/?q=municipal",
    ],
)
def test_a_capped_search_costs_the_queries_an_uncapped_one_does(
    client, grown, monkeypatch, seven_a_page, path
):
    uncapped = queries_for(client, path)
    monkeypatch.setattr(search, "COUNT_CAP", CAP)
    assert queries_for(client, path) == uncapped


@pytest.mark.parametrize("lookups", [False, True])
def test_every_page_of_a_capped_search_lists_the_capped_list(
    client, grown, cap, seven_a_page, request, lookups
):
    if lookups:  # Rows read as the listing reads them, country and type from the lookups.
        request.getfixturevalue("kept_lookups")
    filterset, _ = paginator_for({"q": "municipal"}, 7)
    expected = capped_list(filterset, cap)
    shown = []
    for number in (1, 2, 3):
        response = get(client, f"/partners/?q=municipal&page={number}")
        shown += [(partner.pk, partner.country.code) for partner in response.context["page_obj"]]
    countries = dict(Organization.objects.values_list("pk", "country__code"))
    assert shown == [(pk, countries[pk]) for pk in expected]


def test_a_read_deep_into_a_rank_is_bounded_by_the_last_name_counted(grown, monkeypatch, cap):
    monkeypatch.setattr(search, "DEEP_IN_RANK", 3)
    _, paginator = paginator_for({"q": "municipal"}, 3)
    last_counted = paginator.tally.last_name
    with CaptureQueriesContext(connection) as shallow:
        paginator.page(1)
    with CaptureQueriesContext(connection) as deep:
        paginator.page(3)  # Partners 7 to 9 of the first rank.
    assert last_counted not in shallow[-1]["sql"]
    assert last_counted in deep[-1]["sql"]
