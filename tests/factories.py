"""factory_boy factories for the directory's models."""

import factory
from django.utils.text import slugify

from partners.models import Country, Organization, Region, RelationshipType
from partners.text import searchable


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = "CZ"
    name = "Czechia"
    slug = factory.LazyAttribute(lambda country: slugify(country.name))
    region = Region.EUROPE
    other_names = ""


class RelationshipTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelationshipType
        django_get_or_create = ["slug"]

    name = "Bilateral"
    slug = factory.LazyAttribute(lambda kind: slugify(kind.name))
    description = ""


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Association of Local Authorities {n}")
    slug = factory.LazyAttribute(lambda organization: slugify(organization.name))
    country = factory.SubFactory(CountryFactory)
    relationship_type = factory.SubFactory(RelationshipTypeFactory)
    is_published = True


def grow_directory_to(total, countries=None):
    """Add generated bilateral partners, spread over `countries` (all of them unless
    given), until the directory holds `total` organizations (for query-count tests and
    benchmarks). May be called again to grow further: numbering goes on from the current
    size."""
    countries = list(countries or Country.objects.all())
    bilateral = RelationshipType.objects.get(slug="bilateral")
    start = Organization.objects.count()
    Organization.objects.bulk_create(
        (
            Organization(
                name=f"Municipal Association {n}",
                slug=f"municipal-association-{n}",
                country=countries[n % len(countries)],
                relationship_type=bilateral,
                search_text=searchable(f"Municipal Association {n}"),
            )
            for n in range(start, total)
        ),
        batch_size=1000,
    )
