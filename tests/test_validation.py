"""The rules an entry must follow: one rule in one place (the model), with a message
next to the field, in the admin and for the loader alike; never a 500."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.models import Country, Organization, RelationshipType
from partners.sources.loading import FixtureError, load, read_fixture
from tests.staff import make_editor, organization_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model, directory):
    client.force_login(make_editor(django_user_model))
    return client


def post_change(client, organization, **changes):
    url = reverse("admin:partners_organization_change", args=[organization.pk])
    return client.post(url, organization_form_data(organization, **changes))


def field_errors(response):
    assert response.status_code == 200, "the form should be shown again with its errors"
    return response.context["adminform"].form.errors


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"acronym": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "name": "Short name"}, "acronym", "longer"),
        ({"website": "ftp://files.example.org/"}, "website", "http:// or https://"),
        ({"website": "javascript:alert(1)"}, "website", "http:// or https://"),
        ({"partner_since": "1913"}, "partner_since", "founded in 1914"),
        ({"partner_since": "2999"}, "partner_since", "in the future"),
        ({"last_verified": "2999-01-01"}, "last_verified", "in the future"),
    ],
)
def test_the_admin_shows_each_rule_next_to_its_field(editor_client, changes, field, message):
    organization = Organization.objects.get(acronym="CAMA")
    before = Organization.objects.values().get(pk=organization.pk)
    errors = field_errors(post_change(editor_client, organization, **changes))
    assert message in " ".join(errors[field])
    assert Organization.objects.values().get(pk=organization.pk) == before


def test_a_duplicate_name_in_a_country_is_refused_whatever_its_case(editor_client):
    canada = Country.objects.get(code="CA")
    organization = Organization.objects.get(acronym="CAMA")
    duplicate = Organization.objects.create(
        name="Another association",
        slug="another",
        country=canada,
        relationship_type=organization.relationship_type,
    )
    errors = field_errors(post_change(editor_client, duplicate, name=organization.name.upper()))
    assert "already has a partner called" in errors["name"][0]


def test_a_multinational_partner_needs_countries_served(editor_client):
    flacma = Organization.objects.get(acronym="FLACMA")
    errors = field_errors(post_change(editor_client, flacma, countries_served=[]))
    assert "needs the countries it serves" in errors["countries_served"][0]
    served = list(Country.objects.filter(code__in=["CR", "DO"]).values_list("pk", flat=True))
    assert post_change(editor_client, flacma, countries_served=served).status_code == 302


def test_a_bilateral_partner_serves_no_other_countries(editor_client):
    cama = Organization.objects.get(acronym="CAMA")
    served = [Country.objects.get(code="CR").pk]
    errors = field_errors(post_change(editor_client, cama, countries_served=served))
    assert "serves no other countries" in errors["countries_served"][0]
    assert not cama.countries_served.exists()


def test_the_model_rules_apply_to_full_clean_everywhere(directory):
    organization = Organization(
        name="Tiny",
        acronym="TOO LONG",
        slug="tiny",
        country=Country.objects.get(code="CZ"),
        relationship_type=RelationshipType.objects.get(slug="bilateral"),
        website="mailto:someone@example.org",
        partner_since=1900,
    )
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert set(error.value.message_dict) >= {"acronym", "website", "partner_since"}


def test_the_loader_refuses_an_entry_that_breaks_a_rule_and_writes_nothing(
    fixture_path, tmp_path, empty_directory
):
    records = read_fixture(fixture_path)
    cama = next(r for r in records if r["fields"].get("acronym") == "CAMA")
    cama["fields"]["acronym"] = "A" * 30 + "B" * 0
    cama["fields"]["name"] = "Short"
    path = tmp_path / "partners.json"
    path.write_text(json.dumps(records))
    with pytest.raises(
        FixtureError, match="field 'acronym': An acronym cannot be longer than the name"
    ):
        load(read_fixture(path))
    assert not Organization.objects.exists()
