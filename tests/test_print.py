"""/print/partners/: the whole filtered list on one page, its filters named, dated."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partners import views
from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db
PRINT = reverse("partners:directory-print")
DIRECTORY = reverse("partners:directory")


def test_the_whole_filtered_list_is_on_one_page(client, directory):
    grow_directory_to(130)
    assert client.get(DIRECTORY, {"type": "bilateral"}).context["page_obj"].has_next()
    response = client.get(PRINT, {"type": "bilateral"})
    assert response.status_code == 200
    assert response.context["total"] == 127
    html = response.content.decode()
    assert html.count('<th scope="row">') == 127
    assert "Municipal Association 37<" in html
    assert "South African Local Government Association" in html
    assert "Environmental Center for Arab Towns" not in html  # multinational


def test_the_filters_and_the_date_are_named(client, directory):
    html = client.get(PRINT, {"country": "in", "type": "bilateral"}).content.decode()
    assert "<strong>4 partners in 1 country</strong> match these filters:" in html
    assert "<li>Country: <strong>India</strong></li>" in html
    assert "<li>Relationship: <strong>Bilateral</strong></li>" in html
    today = timezone.now().strftime("%d %B %Y").lstrip("0")
    assert f"Printed {today} from http://testserver/partners/?country=in&amp;type=bilateral" in html


def test_an_unfiltered_list_says_so(client, directory):
    html = client.get(PRINT).content.decode()
    assert "37 partners in 31 countries</strong>: every partner, no filters." in html


def test_the_directory_links_to_the_print_view_with_its_filters_but_not_its_page(client, directory):
    grow_directory_to(130)
    html = client.get(DIRECTORY, {"type": "bilateral", "page": "2"}).content.decode()
    assert f'href="{PRINT}?type=bilateral">Print this list' in html
    assert re.search(r'class="print-only">Page 2 of 3 of these results\. To print all 127', html)


def test_an_empty_result_has_no_print_link(client, directory):
    html = client.get(DIRECTORY, {"q": "nowhere-at-all"}).content.decode()
    assert "Print this list" not in html


def test_bad_filters_are_reported_on_the_print_view_too(client, directory):
    response = client.get(PRINT, {"country": "zz", "region": "oceania"})
    html = response.content.decode()
    assert "Country: There is no partner country with that code." in html
    assert response.context["total"] == 1


def test_a_list_longer_than_the_limit_says_it_is_cut(client, directory, monkeypatch):
    monkeypatch.setattr(views.PartnerDirectoryPrintView, "paginate_by", 10)
    response = client.get(PRINT)
    html = response.content.decode()
    assert "Only the first 10 of the 37 partners are listed" in html
    assert html.count('<th scope="row">') == 10


def test_the_print_view_is_never_in_the_shared_page_cache(client, directory):
    response = client.get(PRINT)
    assert "private" in response["Cache-Control"]
    assert 'content="noindex"' in response.content.decode()


def test_the_print_view_has_no_pages(client, directory):
    response = client.get(PRINT, {"type": "bilateral", "page": "2"})
    assert response.status_code == 301
    assert response["Location"] == f"{PRINT}?type=bilateral"
