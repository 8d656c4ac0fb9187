"""Exports at scale: /partners.csv streamed vs. the same CSV built in memory, side by side.

    flock /tmp/icma-bench.lock timeout 1800 \\
        env DATABASE_URL=postgres://postgres@127.0.0.1:5432/icma_w11 \\
        .venv/bin/python bench/exports.py [--sizes 37,10000,100000] [--repeat 3]

Builds a throw-away test database (PostgreSQL when DATABASE_URL points at one, else
SQLite), fills it with the real directory and then generated partners up to each size,
and for each size measures, in one run:

- the streamed export the site serves: GET /partners.csv and /partners.json through the
  whole middleware stack, reading the response piece by piece as a client would, never
  holding it whole;
- the naive alternative: every partner loaded into a list and the whole CSV built as one
  string (the same rows; checked byte for byte against the streamed body at the smaller
  sizes).

Time is the median of --repeat runs without tracing; peak memory is the peak of Python's
allocations during one run (tracemalloc), so it shows what the export itself holds. The
SQL query count of each streamed export is printed too: it must not grow with the size.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icma_site.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from partners.models import Organization  # noqa: E402
from partners.opendata import exports  # noqa: E402
from tests.factories import grow_directory_to  # noqa: E402

COMPARE_UP_TO = 10_000
URL_PREFIX = "http://testserver/partners/"


def streamed(url):
    """Request the export and read it piece by piece; (bytes read, queries)."""
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        size = sum(len(piece) for piece in response.streaming_content)
    return size, len(queries)


def streamed_body(url):
    return b"".join(Client().get(url).streaming_content)


def built_in_memory():
    """What a non-streaming view would do: load every partner, build one string."""
    partners = list(Organization.objects.published().for_listing())
    served = exports.countries_served(Organization.objects.published())
    records = [
        exports.partner_record(p, served.get(p.pk, []), f"{URL_PREFIX}{p.slug}/") for p in partners
    ]
    body = "".join(exports.csv_lines(records)).encode()
    return len(body), None


def timed(function, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def peak_memory(function):
    tracemalloc.start()
    tracemalloc.reset_peak()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def mib(size):
    return size / (1024 * 1024)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="37,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    rows = []
    try:
        call_command("load_partners", verbosity=0)
        for size in sizes:
            # grow_directory_to() numbers its partners from 0: start again from the real
            # directory each time.
            Organization.objects.filter(slug__startswith="municipal-association-").delete()
            grow_directory_to(size)
            total = Organization.objects.published().count()
            if total <= COMPARE_UP_TO:
                assert (
                    streamed_body("/partners.csv")
                    == "".join(
                        exports.csv_lines(
                            exports.partner_record(p, [], f"{URL_PREFIX}{p.slug}/")
                            for p in Organization.objects.published().for_listing()
                        )
                    ).encode()
                ), "the streamed CSV differs from the one built in memory"
            reset_queries()
            csv_time, (csv_bytes, csv_queries) = timed(
                lambda: streamed("/partners.csv"), options.repeat
            )
            json_time, (_, json_queries) = timed(lambda: streamed("/partners.json"), options.repeat)
            naive_time, _ = timed(built_in_memory, options.repeat)
            rows.append(
                {
                    "size": total,
                    "csv_time": csv_time,
                    "csv_bytes": csv_bytes,
                    "csv_queries": csv_queries,
                    "json_time": json_time,
                    "json_queries": json_queries,
                    "csv_peak": peak_memory(lambda: streamed("/partners.csv")),
                    "json_peak": peak_memory(lambda: streamed("/partners.json")),
                    "naive_time": naive_time,
                    "naive_peak": peak_memory(built_in_memory),
                }
            )
        print(
            f"backend: {connection.vendor}; time: median of {options.repeat}; "
            "peak: Python allocations (tracemalloc)"
        )
        print(
            f"{'partners':>9} {'CSV MiB':>8} | {'streamed CSV':>21} {'queries':>7} | "
            f"{'streamed JSON':>21} {'queries':>7} | {'built in memory':>21} | "
            f"{'peak ratio':>10}"
        )
        for row in rows:
            print(
                f"{row['size']:>9} {mib(row['csv_bytes']):>8.2f} | "
                f"{row['csv_time']:>8.3f} s {mib(row['csv_peak']):>8.2f} MiB "
                f"{row['csv_queries']:>7} | "
                f"{row['json_time']:>8.3f} s {mib(row['json_peak']):>8.2f} MiB "
                f"{row['json_queries']:>7} | "
                f"{row['naive_time']:>8.3f} s {mib(row['naive_peak']):>8.2f} MiB | "
                f"{row['naive_peak'] / row['csv_peak']:>9.1f}x"
            )
        for before, after in pairwise(rows):
            print(
                f"peak, {after['size']} vs {before['size']} partners "
                f"({after['size'] / before['size']:.0f}x the rows): "
                f"streamed CSV {after['csv_peak'] / before['csv_peak']:.2f}x, "
                f"streamed JSON {after['json_peak'] / before['json_peak']:.2f}x, "
                f"built in memory {after['naive_peak'] / before['naive_peak']:.1f}x"
            )
        last = rows[-1]
        print(
            f"streamed CSV rows per second at {last['size']}: "
            f"{last['size'] / last['csv_time']:,.0f}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
