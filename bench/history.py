"""What keeping history costs: the first versions for an existing directory, and a save.

    .venv/bin/python bench/history.py [--partners 100000] [--saves 500] [--action 5000]

Builds a throw-away test database (SQLite, or PostgreSQL when DATABASE_URL points at
one), fills it with the real directory plus generated partners, and measures side by
side in one run:

- giving every existing entry its first version: the data migration
  (partners/migrations/0007_history_of_existing_entries.py, batched bulk inserts) vs.
  django-simple-history's own `populate_history` command on the same entries;
- saving an organization as the admin does, with and without its history record;
- an admin action ("mark verified today") on a selection: the bulk write with history
  (partners/editorial/history.py) vs. one save() per entry.
"""

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icma_site.settings.test")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

from partners.editorial.history import update_organizations  # noqa: E402
from partners.models import Country, Organization  # noqa: E402
from tests.factories import grow_directory_to  # noqa: E402

MIGRATION = "0007_history_of_existing_entries"


def forget_history():
    Organization.history.all().delete()
    apps.get_model("partners", "HistoricalOrganization_countries_served").objects.all().delete()
    Country.history.all().delete()


def with_migration():
    module = importlib.import_module(f"partners.migrations.{MIGRATION}")
    apps = MigrationLoader(connection).project_state(("partners", MIGRATION)).apps
    with transaction.atomic():
        module.forwards(apps, None)


def with_populate_history():
    call_command("populate_history", "partners.Organization", "partners.Country", verbosity=0)


def timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def saves(count):
    organizations = list(Organization.objects.select_related("country")[:count])

    def run():
        with transaction.atomic():
            for organization in organizations:
                organization.description = f"Checked {time.perf_counter()}"
                organization.save()

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--action", type=int, default=5000)
    options = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("load_partners", verbosity=0)
        grow_directory_to(options.partners)
        total = Organization.objects.count()
        print(f"backend: {connection.vendor}, partners: {total}")

        forget_history()
        migration = timed(with_migration)
        assert Organization.history.count() == total
        forget_history()
        populate = timed(with_populate_history)
        assert Organization.history.count() == total
        print(f"first versions, data migration:      {migration:8.2f} s")
        print(f"first versions, populate_history:    {populate:8.2f} s")
        print(f"ratio (populate_history / migration): {populate / migration:7.2f}x")

        run = saves(options.saves)
        run()  # warm up
        tracked = timed(run)
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            untracked = timed(run)
        print(f"{options.saves} saves with history:       {tracked * 1000:8.1f} ms")
        print(f"{options.saves} saves without history:    {untracked * 1000:8.1f} ms")
        print(f"ratio (with / without):              {tracked / untracked:8.2f}x")

        selection = list(Organization.objects.select_related("country")[: options.action])

        def in_bulk():
            update_organizations(selection, user=None, reason="bench", description="bulk")

        def one_by_one():
            with transaction.atomic():
                for organization in selection:
                    organization.description = "one by one"
                    organization.save()

        bulk = timed(in_bulk)
        single = timed(one_by_one)
        print(f"action on {options.action}, bulk with history:   {bulk * 1000:8.1f} ms")
        print(f"action on {options.action}, one save each:        {single * 1000:8.1f} ms")
        print(f"ratio (one save each / bulk):        {single / bulk:8.2f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
