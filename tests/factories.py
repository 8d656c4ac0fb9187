"""factory_boy factories for the directory's models."""

import factory
from django.utils.text import slugify

from partners.models import Country, Organization, Region, RelationshipType


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
