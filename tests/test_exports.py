"""/partners.csv and /partners.json (partners/opendata/exports.py, partners/opendata/views.py): the
directory's partners as data, exactly as /partners/ lists them."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Country, Organization, RelationshipType
from partners.opendata import exports
from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db

FILTER_QUERIES = [
    "",
    "?q=association",
    "?q=swaziland",
    "?country=in",
    "?country=BW",
    "?region=africa&type=bilateral",
    "?type=multinational",
    "?q=city+managers&region=asia",
    "?q=nothing-matches-this",
    "?region=atlantis&type=bilateral",
    "?country=zz&q=municipal",
]
CARD_LINK = re.compile(r'class="partner-card__name"><a href="/partners/([^/"]+)/"')


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def json_data(response):
    return json.loads(body(response).decode("utf-8"))


def html_slugs(client, query):
    response = client.get(f"/partners/{query}")
    assert response.status_code == 200
    return CARD_LINK.findall(response.content.decode())


@pytest.mark.parametrize("query", FILTER_QUERIES)
def test_csv_json_and_html_list_the_same_partners_in_the_same_order(client, directory, query):
    shown = html_slugs(client, query)
    in_csv = [row["slug"] for row in csv_rows(client.get(f"/partners.csv{query}"))]
    data = json_data(client.get(f"/partners.json{query}"))
    assert in_csv == shown
    assert [partner["slug"] for partner in data["partners"]] == shown
    assert data["count"] == len(shown)


def test_exports_hold_every_partner_not_one_page(client, directory):
    grow_directory_to(130)
    shown = []
    for page in (1, 2, 3):
        shown += html_slugs(client, f"?page={page}")
    assert len(shown) == 130
    assert [row["slug"] for row in csv_rows(client.get("/partners.csv?page=2"))] == shown
    assert [p["slug"] for p in json_data(client.get("/partners.json"))["partners"]] == shown


@pytest.fixture
def awkward_partner(directory):
    """A partner whose every text field has something a CSV writer can get wrong."""
    return Organization.objects.create(
        name='Svaz měst a obcí "Nová, Česká"',
        acronym="SMO ČR",
        other_name="Union of Towns\nand Municipalities, Czechia",
        native_name="Svaz měst a obcí České republiky",
        native_name_language="cs",
        slug="svaz-mest-a-obci",
        country=Country.objects.get(code="CZ"),
        relationship_type=RelationshipType.objects.get(slug="bilateral"),
        website="https://www.smocr.cz/?a=1&b=2",
        partner_since=1996,
        last_verified="2026-05-04",
    )


def test_csv_round_trip_keeps_every_field_exact(client, awkward_partner):
    rows = csv_rows(client.get("/partners.csv?country=cz"))
    row = next(row for row in rows if row["slug"] == "svaz-mest-a-obci")
    assert list(row) == exports.FIELDS
    assert row == {
        "slug": "svaz-mest-a-obci",
        "name": 'Svaz měst a obcí "Nová, Česká"',
        "acronym": "SMO ČR",
        "other_name": "Union of Towns\nand Municipalities, Czechia",
        "country_code": "CZ",
        "country_name": "Czechia",
        "region": "Europe",
        "relationship_type": "Bilateral",
        "countries_served": "",
        "website": "https://www.smocr.cz/?a=1&b=2",
        "partner_since": "1996",
        "last_verified": "2026-05-04",
        "url": "http://testserver/partners/svaz-mest-a-obci/",
        "native_name": "Svaz měst a obcí České republiky",
        "native_name_language": "cs",
    }


def test_json_record_has_typed_values(client, awkward_partner):
    data = json_data(client.get("/partners.json?q=svaz"))
    assert data["partners"] == [
        {
            "slug": "svaz-mest-a-obci",
            "name": 'Svaz měst a obcí "Nová, Česká"',
            "acronym": "SMO ČR",
            "other_name": "Union of Towns\nand Municipalities, Czechia",
            "country_code": "CZ",
            "country_name": "Czechia",
            "region": "Europe",
            "relationship_type": "Bilateral",
            "countries_served": [],
            "website": "https://www.smocr.cz/?a=1&b=2",
            "partner_since": 1996,
            "last_verified": "2026-05-04",
            "url": "http://testserver/partners/svaz-mest-a-obci/",
            "native_name": "Svaz měst a obcí České republiky",
            "native_name_language": "cs",
        }
    ]


def test_multinational_partners_list_the_countries_they_serve(client, directory):
    ecat = Organization.objects.get(slug="environmental-center-for-arab-towns")
    ecat.countries_served.set(Country.objects.filter(code__in=["AE", "PS", "IL"]))
    data = json_data(client.get("/partners.json?type=multinational"))
    served = {p["slug"]: p["countries_served"] for p in data["partners"]}
    assert served[ecat.slug] == ["IL", "PS", "AE"]  # By country name
    assert len(served) == 3 and not any(v for k, v in served.items() if k != ecat.slug)
    rows = csv_rows(client.get("/partners.csv?type=multinational"))
    assert {row["slug"]: row["countries_served"] for row in rows}[ecat.slug] == "IL; PS; AE"
    # And the country filter finds it by the countries it serves, in every format.
    assert ecat.slug in html_slugs(client, "?country=ps")
    assert ecat.slug in [
        p["slug"] for p in json_data(client.get("/partners.json?country=ps"))["partners"]
    ]


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]
)
def test_a_value_a_spreadsheet_would_run_is_neutralised(client, directory, name):
    Organization.objects.create(
        name=name,
        slug="formula",
        country=Country.objects.get(code="CZ"),
        relationship_type=RelationshipType.objects.get(slug="bilateral"),
    )
    row = next(r for r in csv_rows(client.get("/partners.csv")) if r["slug"] == "formula")
    assert row["name"] == "'" + name
    # The JSON is data, not a spreadsheet: the value is untouched there.
    data = json_data(client.get("/partners.json"))
    assert next(p for p in data["partners"] if p["slug"] == "formula")["name"] == name


def test_neutralise_formula_leaves_ordinary_text_alone():
    assert exports.neutralise_formula("Local Government Association") == (
        "Local Government Association"
    )
    assert exports.neutralise_formula("") == ""
    assert exports.neutralise_formula("=1+1") == "'=1+1"


def test_csv_is_a_utf8_download_named_for_its_filters(client, directory):
    response = client.get("/partners.csv?country=in&type=bilateral&page=3&utm_source=x")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv; charset=utf-8")
    assert response["Content-Disposition"] == (
        'attachment; filename="icma-partners-country-in-type-bilateral.csv"'
    )
    assert body(response).startswith(b"\xef\xbb\xbfslug,name,")


def test_json_names_its_file_and_allows_any_origin(client, directory):
    response = client.get("/partners.json?q=City+Managers")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'inline; filename="icma-partners-q-city-managers.json"'
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get("/partners.json")["Content-Disposition"] == (
        'inline; filename="icma-partners.json"'
    )


def test_json_reports_count_filters_and_last_change(client, directory):
    data = json_data(client.get("/partners.json?country=in&region=asia"))
    assert list(data) == ["count", "filters", "problems", "last_modified", "partners"]
    assert data["count"] == 4
    assert data["filters"] == {"country": "IN", "region": "asia"}
    assert data["problems"] == []
    latest = max(
        Organization.objects.filter(country__code="IN").values_list("updated_at", flat=True)
    )
    assert data["last_modified"] == latest.isoformat()


def test_json_of_an_empty_list_is_valid(client, directory):
    data = json_data(client.get("/partners.json?q=no-such-partner"))
    assert data == {
        "count": 0,
        "filters": {"q": "no-such-partner"},
        "problems": [],
        "last_modified": None,
        "partners": [],
    }


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?region=atlantis", "region"),
        ("?country=xx", "country"),
        ("?type=enemy", "type"),
        ("?q=" + "x" * 201, "q"),
        ("?q=a%00b", "q"),
    ],
)
def test_bad_parameters_are_reported_and_ignored_never_a_500(client, directory, query, parameter):
    response = client.get(f"/partners.json{query}")
    assert response.status_code == 200
    data = json_data(response)
    assert [problem["parameter"] for problem in data["problems"]] == [parameter]
    assert data["problems"][0]["message"]
    assert data["count"] == Organization.objects.published().count()
    assert parameter not in data["filters"]
    csv_response = client.get(f"/partners.csv{query}")
    assert csv_response.status_code == 200
    assert len(csv_rows(csv_response)) == data["count"]


def test_unpublished_partners_are_in_no_export(client, directory):
    hidden = Organization.objects.get(slug="city-managers-association-of-karnataka")
    hidden.is_published = False
    hidden.save()
    for query in ("", "?country=in", "?q=karnataka"):
        assert hidden.slug not in [r["slug"] for r in csv_rows(client.get(f"/partners.csv{query}"))]
        data = json_data(client.get(f"/partners.json{query}"))
        assert hidden.slug not in [p["slug"] for p in data["partners"]]
    assert client.get(f"/partners/{hidden.slug}.json").status_code == 404


def test_exports_only_answer_reads(client, directory):
    assert client.post("/partners.csv").status_code == 405
    assert client.head("/partners.json").status_code == 200


@pytest.mark.parametrize("url", ["/partners.csv", "/partners.json?country=in&type=bilateral&q=a"])
def test_exports_run_the_same_queries_however_large_the_directory(client, directory, url):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            body(response)
        return len(captured)

    small = queries()
    grow_directory_to(1500)
    assert queries() == small
    assert small <= 6  # A search reads the country vocabulary (partners/search/query.py) too.


def test_the_directory_links_to_both_exports_with_its_filters(client, directory):
    page = client.get("/partners/?country=in&type=bilateral&page=1").content.decode()
    assert "Download this list:" in page
    assert 'href="/partners.csv?country=in&amp;type=bilateral"' in page
    assert 'href="/partners.json?country=in&amp;type=bilateral"' in page
    unfiltered = client.get("/partners/").content.decode()
    assert 'href="/partners.csv"' in unfiltered


# Cached like pages (icma_site/pagecache/)


@pytest.mark.parametrize("url", ["/partners.csv?region=asia", "/partners.json?region=asia"])
def test_a_repeat_request_gets_304_without_a_query(
    client, directory, page_cache, django_assert_num_queries, url
):
    first = client.get(url)
    content = body(first)
    assert first["ETag"] and first["Last-Modified"]
    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    with django_assert_num_queries(0):
        cached = client.get(url)
    assert cached["X-Cache"] == "hit"
    assert body(cached) == content
    assert cached["Content-Disposition"] == first["Content-Disposition"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_change_to_the_directory_retires_cached_exports(
    client, directory, page_cache, django_capture_on_commit_callbacks
):
    first = client.get("/partners.json?country=in")
    assert json_data(first)["count"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        partner = Organization.objects.get(slug="city-managers-association-of-karnataka")
        partner.is_published = False
        partner.save()
    again = client.get("/partners.json?country=in", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert json_data(again)["count"] == 3


def test_an_export_too_large_for_the_cache_is_streamed_each_time(
    client, directory, page_cache, settings
):
    settings.EXPORT_CACHE_MAX_BYTES = 1000
    content = body(client.get("/partners.csv"))
    assert len(content) > 1000
    again = client.get("/partners.csv")
    assert "X-Cache" not in again
    assert body(again) == content
