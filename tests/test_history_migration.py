"""Entries that exist when history begins get a first version, so that they can be
restored after their first edit."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partners.models import Country, Organization

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target):
    """Migrate the partners app to `target`, or every app to its latest migration."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = executor.loader.graph.leaf_nodes() if target is None else [("partners", target)]
    executor.migrate(targets)
    return executor


def unapplied_migrations():
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def test_existing_entries_get_a_first_version(empty_directory):
    migrate("0006_directory_editors_corrections")
    try:
        country = Country.objects.create(code="CZ", name="Czechia", slug="czechia", region="europe")
        other = Country.objects.create(code="SK", name="Slovakia", slug="slovakia", region="europe")
        from partners.models import RelationshipType

        kind = RelationshipType.objects.create(name="Multinational", slug="multinational")
        organization = Organization.objects.create(
            name="Visegrad Towns", slug="visegrad", country=country, relationship_type=kind
        )
        organization.countries_served.set([country, other])
        Organization.history.all().delete()
        Country.history.all().delete()
        migrate("0007_history_of_existing_entries")
        version = organization.history.get()
        assert version.history_type == "+"
        assert version.name == "Visegrad Towns"
        assert {row.country_id for row in version.countries_served.all()} == {country.pk, other.pk}
        assert Country.history.count() == 2
    finally:
        # Every migration applied again, for the rest of the run.
        migrate(None)
    assert unapplied_migrations() == []
