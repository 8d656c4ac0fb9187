"""Search: the folded-column lookup the site uses vs. scanning every partner in Python.

    .venv/bin/python bench/search.py [--partners 10000] [--repeat 30]

Builds a throw-away test database (SQLite, or PostgreSQL when DATABASE_URL points at
one), fills it with the real directory plus generated partners, then times both ways of
answering the same queries side by side in one run and prints the ratio. Both must
return the same partners; the script checks that before timing.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icma_site.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from partners.models import Organization  # noqa: E402
from partners.search.query import Search  # noqa: E402
from partners.search.ranks import best_level  # noqa: E402
from tests.factories import grow_directory_to  # noqa: E402

QUERIES = [
    "stmou",
    "swaziland",
    "city managers",
    "salga",
    "association 4321",
    "atlantis",
    "tanzanie",
    "in",
]


def fill(total):
    call_command("load_partners", verbosity=0)
    grow_directory_to(total)


def in_database(query):
    return sorted(
        Search(query).apply(Organization.objects.published()).values_list("pk", flat=True)
    )


def in_python(query):
    """The same partners found by reading every one: each word in its names or its
    country's names (short words whole), or the query naming its country."""
    search = Search(query)
    countries = {country.pk: country for country in search.countries}

    def finds(organization):
        if organization.country_id in search.named_countries:
            return True
        parts = [part.strip() for part in organization.search_text.split("|") if part.strip()]
        country = countries[organization.country_id]
        return bool(search.words) and all(
            best_level(word, parts) is not None or country.level(word) is not None
            for word in search.words
        )

    rows = Organization.objects.published().only("pk", "country_id", "search_text")
    return sorted(organization.pk for organization in rows if finds(organization))


def timed(function, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for query in QUERIES:
            function(query)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        fill(options.partners)
        for query in QUERIES:
            assert in_database(query) == in_python(query), query
        database = timed(in_database, options.repeat)
        python = timed(in_python, options.repeat)
        print(f"backend: {connection.vendor}, partners: {Organization.objects.count()}")
        print(f"queries per round: {len(QUERIES)}, rounds: {options.repeat} (median shown)")
        print(f"folded column in the database: {database * 1000:8.1f} ms/round")
        print(f"scan in Python:                {python * 1000:8.1f} ms/round")
        print(f"ratio (Python / database):     {python / database:8.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
