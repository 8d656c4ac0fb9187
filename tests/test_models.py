"""The models keep their own invariants."""

import pytest
from django.db import IntegrityError
from django.utils import translation

from partners.models import Country, Organization
from tests.factories import CountryFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_name_is_unique_within_a_country():
    first = OrganizationFactory(name="Municipal Association")
    with pytest.raises(IntegrityError):
        OrganizationFactory(name="Municipal Association", country=first.country, slug="other")


def test_same_name_is_allowed_in_another_country():
    OrganizationFactory(name="Municipal Association")
    india = CountryFactory(code="IN", name="India", region="asia")
    OrganizationFactory(name="Municipal Association", country=india, slug="ma-in")
    assert Organization.objects.filter(name="Municipal Association").count() == 2


def test_partner_since_cannot_predate_icma():
    with pytest.raises(IntegrityError):
        OrganizationFactory(partner_since=1900)


def test_renaming_a_country_keeps_its_partners_findable():
    organization = OrganizationFactory(name="City Managers")
    country = organization.country
    country.other_names = "Bohemia"
    country.save()
    assert Organization.objects.search("bohemia").get() == organization


def test_str_shows_the_acronym():
    assert str(
        OrganizationFactory.build(name="Slovak City Managers Association", acronym="SCMA")
    ) == ("Slovak City Managers Association (SCMA)")


def test_published_excludes_unpublished():
    shown = OrganizationFactory()
    OrganizationFactory(is_published=False)
    assert list(Organization.objects.published()) == [shown]


@pytest.mark.parametrize(
    "language, region, shown",
    [("en", "africa", "Africa"), ("fr", "africa", "Afrique"), ("es", "americas", "Américas")],
)
def test_a_countrys_region_is_named_in_the_pages_language(language, region, shown):
    with translation.override(language):
        assert Country(region=region).get_region_display() == shown
        assert Country(region="").get_region_display() == ""
