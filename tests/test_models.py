"""The models keep their own invariants."""

import pytest
from django.db import IntegrityError
from django.utils import translation

from partners.models import Country, Organization, _address
from partners.search.query import Search
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


def test_renaming_a_country_keeps_its_partners_findable(empty_directory):
    organization = OrganizationFactory(name="City Managers")
    country = organization.country
    country.other_names = "Bohemia"
    country.save()
    assert Search("bohemia").apply(Organization.objects.all()).get() == organization


def test_str_shows_the_acronym():
    assert str(
        OrganizationFactory.build(name="Slovak City Managers Association", acronym="SCMA")
    ) == ("Slovak City Managers Association (SCMA)")


def test_published_excludes_unpublished(empty_directory):
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


def test_a_link_is_in_the_language_it_is_asked_in(directory):
    """get_absolute_url remembers each address (partners.models._address), and the
    process-wide memory never gives one language's address in another."""
    partner = Organization.objects.published().select_related("country").first()
    _address.cache_clear()
    with translation.override("es"):
        assert partner.get_absolute_url() == f"/es/partners/{partner.slug}/"
        assert partner.country.get_absolute_url() == f"/es/countries/{partner.country.slug}/"
    assert partner.get_absolute_url() == f"/partners/{partner.slug}/"
    with translation.override("es"):
        assert partner.get_absolute_url() == f"/es/partners/{partner.slug}/"
