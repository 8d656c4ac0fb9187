"""Entries that exist when history begins get a first version, so that they can be
restored after their first edit."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target):
    """Migrate the partners app to `target`, or every app to its latest migration; the
    models as they are at `target` (the current ones have columns a later migration
    adds)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = executor.loader.graph.leaf_nodes() if target is None else [("partners", target)]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def unapplied_migrations():
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def test_existing_entries_get_a_first_version(empty_directory):
    apps = migrate("0006_directory_editors_corrections")
    try:
        Country = apps.get_model("partners", "Country")
        country = Country.objects.create(code="CZ", name="Czechia", slug="czechia", region="europe")
        other = Country.objects.create(code="SK", name="Slovakia", slug="slovakia", region="europe")
        kind = apps.get_model("partners", "RelationshipType").objects.create(
            name="Multinational", slug="multinational"
        )
        organization = apps.get_model("partners", "Organization").objects.create(
            name="Visegrad Towns", slug="visegrad", country=country, relationship_type=kind
        )
        organization.countries_served.set([country, other])
        apps.get_model("partners", "HistoricalOrganization").objects.all().delete()
        apps.get_model("partners", "HistoricalCountry").objects.all().delete()
        apps = migrate("0007_history_of_existing_entries")
        version = apps.get_model("partners", "HistoricalOrganization").objects.get(
            id=organization.pk
        )
        assert version.history_type == "+"
        assert version.name == "Visegrad Towns"
        served = apps.get_model("partners", "HistoricalOrganization_countries_served")
        assert {row.country_id for row in served.objects.filter(history=version)} == {
            country.pk,
            other.pk,
        }
        assert apps.get_model("partners", "HistoricalCountry").objects.count() == 2
    finally:
        # Every migration applied again, for the rest of the run.
        migrate(None)
    assert unapplied_migrations() == []
