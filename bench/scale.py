"""Scale: every public page at 37 and at 100,000 organizations, side by side in one run:
time, bytes and SQL queries per page, and the ratios.

    flock /tmp/icma-bench.lock .venv/bin/python bench/scale.py [--partners 100000]

For each size: a throw-away PostgreSQL database (dropped afterwards) filled with the real
directory and, for the large size, generated partners (the test suite's
grow_directory_to), then the site under gunicorn with production settings and the page
cache off, asked for each page one request at a time (the median of --repeat requests,
after warming up). Queries are counted by running the same page through Django's test
client on the same database. At the large size it prints the PostgreSQL plan (EXPLAIN
ANALYZE) of each page's slowest query, as evidence that the plans use the indexes.

Needs PostgreSQL (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/9; production settings use it
for the cache, though the page cache is off here).
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server

PAGES = {
    "home": "/",
    "directory": "/partners/",
    "search": "/partners/?q=salga",
    "ranked": "/partners/?q=Tanzanie",
    "suggest": "/partners/?q=salgz",
    "broad": "/partners/?q=municipal",
    "filtered": "/partners/?region=africa&type=bilateral",
    "deep page": "/partners/?page=last",
    "countries": "/countries/",
    "country": "/countries/india/",
    "partner": "/partners/city-managers-association-of-karnataka/",
}


def measure(site, repeat):
    """{page: (median ms, bytes as sent with Brotli, bytes uncompressed, gunicorn's CPU ms
    per request)}."""
    results = {}
    for name, path in PAGES.items():
        for _ in range(3):
            site.get(path)
        samples = []
        cpu = site.cpu_seconds()
        for _ in range(repeat):
            start = time.perf_counter()
            status, _, body = site.get(path)
            samples.append((time.perf_counter() - start) * 1000)
            assert status == 200, (path, status)
        cpu = (site.cpu_seconds() - cpu) * 1000 / repeat
        _, _, plain = site.get(path, encoding=None)
        results[name] = (statistics.median(samples), len(body), len(plain), cpu)
    return results


def count_queries():
    """{page: (queries, [(ms, sql)])} through Django's test client on the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for name, path in PAGES.items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = [query["sql"] for query in queries.captured_queries]
    return counts


def explain(sql):
    from django.db import connection

    if sql.startswith("DECLARE"):  # A server-side cursor: the query is after FOR.
        sql = sql.split(" FOR ", 1)[1]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
        return [row[0] for row in cursor.fetchall()]


def slowest(queries):
    """The query that takes longest, timed on its own (median of three)."""
    from django.db import connection

    def timed(sql):
        if sql.startswith("DECLARE"):
            sql = sql.split(" FOR ", 1)[1]
        samples = []
        with connection.cursor() as cursor:
            for _ in range(3):
                start = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    return max(queries, key=timed) if queries else None


def run_size(size, options, static_root):
    name = f"{options.database}_{size}"
    with server.throwaway_database(name) as url:
        from django.db import connections

        connections["default"].close()
        connections["default"].settings_dict["NAME"] = name
        partners = server.fill(size)
        queries = count_queries()
        plans = {}
        if options.explain and size == max(options.sizes):
            for page, sqls in queries.items():
                sql = slowest(sqls)
                if sql:
                    plans[page] = (sql, explain(sql))
        with server.Site(url, static_root, page_cache=False) as site:
            timings = measure(site, options.repeat)
        connections["default"].close()
    return partners, timings, {page: len(sqls) for page, sqls in queries.items()}, plans


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=100_000, help="the large size")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", default="icma_bench_scale")
    parser.add_argument("--no-explain", dest="explain", action="store_false")
    options = parser.parse_args()
    options.sizes = [0, options.partners]

    first_url = server.database_url(f"{options.database}_setup")
    server.django_in_process(first_url)
    results = {}
    with server.collected_static() as static_root:
        for size in options.sizes:
            results[size] = run_size(size, options, static_root)
    report(options, results)


def report(options, results):
    (small, large) = (results[size] for size in options.sizes)
    print(f"bench/scale.py, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {server.machine()}")
    print(
        "PostgreSQL, gunicorn 4 sync workers, production settings, page cache off; "
        f"one request at a time, median of {options.repeat}; bytes as sent with "
        "Accept-Encoding: br, gzip (and uncompressed); queries counted in-process "
        "without a shared cache (so with the directory's lookups read per request); "
        "CPU: gunicorn's CPU time per request (10 ms clock ticks, mean of the run)"
    )
    print()
    header = (
        f"{'page':<10} {'path':<52} "
        f"{'ms @' + format(small[0], ','):>12} {'ms @' + format(large[0], ','):>12} {'ratio':>6}  "
        f"{'bytes @' + format(small[0], ','):>16} {'bytes @' + format(large[0], ','):>18}  "
        f"{'queries':>9}  {'CPU ms':>13} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for page, path in PAGES.items():
        s_ms, s_sent, s_plain, s_cpu = small[1][page]
        l_ms, l_sent, l_plain, l_cpu = large[1][page]
        print(
            f"{page:<10} {path:<52} {s_ms:>12.1f} {l_ms:>12.1f} {l_ms / s_ms:>6.2f}  "
            f"{f'{s_sent:,} ({s_plain:,})':>16} {f'{l_sent:,} ({l_plain:,})':>18}  "
            f"{f'{small[2][page]} / {large[2][page]}':>9}  "
            f"{f'{s_cpu:.1f} / {l_cpu:.1f}':>13} {l_cpu / s_cpu if s_cpu else 0:>6.2f}"
        )
    if large[3]:
        print()
        print(f"Plans of each page's slowest query at {large[0]:,} organizations:")
        for page, (sql, plan) in large[3].items():
            print()
            print(f"--- {page}: {PAGES[page]}")
            print(f"    {sql[:400]}{' …' if len(sql) > 400 else ''}")
            for line in plan:
                print(f"    {line}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
