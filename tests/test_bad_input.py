"""Any value in any parameter gives a clear page, never a 500, and is escaped."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("partners:directory")


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"country": "zz"}, 200, "There is no partner country with that code."),
        ({"region": "atlantis"}, 200, "There is no region by that name."),
        ({"type": "<script>alert(1)</script>"}, 200, "There is no relationship type"),
        ({"q": "x" * 10_000}, 200, "The search text is too long"),
        ({"q": "a\x00b"}, 200, "Null characters are not allowed."),
        ({"page": "abc"}, 404, "There is no such page of results"),
        ({"page": "999999"}, 404, "There is no such page of results"),
        ({"page": "-1"}, 404, "There is no such page of results"),
    ],
)
def test_bad_parameter_is_explained(client, directory, params, status, message):
    response = client.get(URL, params)
    assert response.status_code == status
    assert message in response.content.decode()


def test_bad_filter_is_ignored_and_the_others_still_apply(client, directory):
    response = client.get(URL, {"country": "zz", "region": "oceania"})
    assert [p.acronym for p in response.context["page_obj"].object_list] == ["LGPA NSW"]


def test_markup_in_parameters_is_escaped(client, directory):
    response = client.get(URL, {"q": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_repeated_parameters_use_the_last_value(client, directory):
    response = client.get(f"{URL}?country=zz&country=IN&type=bilateral&type=bilateral")
    assert response.status_code == 301
    assert response["Location"] == f"{URL}?country=IN&type=bilateral"
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 4


def test_unicode_and_punctuation_search_is_fine(client, directory):
    for query in ["%", "_", "'; DROP TABLE partners_organization; --", "日本", "🙂", "\\"]:
        assert client.get(URL, {"q": query}).status_code == 200


def test_last_page_keyword_works(client, directory):
    assert client.get(URL, {"page": "last"}).status_code == 200


def test_invalid_field_points_at_its_message(client, directory):
    html = client.get(URL, {"country": "zz", "q": "x" * 300}).content.decode()
    assert 'aria-describedby="id_country_error"' in html
    assert 'id="id_country_error"' in html
    assert 'aria-invalid="true" aria-describedby="id_q_error"' in html
    assert 'id="id_q_error"' in html
