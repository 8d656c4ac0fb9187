"""The models keep their own invariants."""

from unittest import mock

import pytest
from django.db import IntegrityError
from django.utils import translation

from partners.models import Country, Organization, PageLinks, _address
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


def test_page_links_read_the_language_once_and_give_get_absolute_url(directory):
    partners = list(Organization.objects.published().select_related("country")[:5])
    with translation.override("es"):
        with mock.patch("partners.models.get_language", wraps=translation.get_language) as read:
            page_of = PageLinks()
            links = [(page_of(partner), page_of(partner.country)) for partner in partners]
        assert read.call_count == 1
        assert links == [
            (partner.get_absolute_url(), partner.country.get_absolute_url()) for partner in partners
        ]
    assert links[0][0].startswith("/es/partners/")


def test_a_link_is_kept_in_the_language_it_was_asked_in(directory):
    """A PageLinks used after the language changed still gives its own language's
    address, and the process-wide cache does not keep it under the wrong one."""
    partner = Organization.objects.published().first()
    _address.cache_clear()
    with translation.override("es"):
        page_of = PageLinks()
    with translation.override("en"):
        assert page_of(partner) == f"/es/partners/{partner.slug}/"
        assert partner.get_absolute_url() == f"/partners/{partner.slug}/"
    with translation.override("es"):
        assert partner.get_absolute_url() == f"/es/partners/{partner.slug}/"
