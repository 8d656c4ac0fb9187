"""Cache entries hostile requests add: 100 anonymous requests that vary what should not
make a page of its own, and the Redis keys they leave.

    flock /tmp/icma-bench.lock .venv/bin/python bench/cache_entries.py [--requests 100]

Fills a throw-away PostgreSQL database with the real directory, runs the site under
gunicorn with production settings and the page cache on Redis (bench/server.py), asks
once for each canonical page below (so the cache's own keys and those pages are in
place), then sends the requests, taking the forms below in turn: a Host with a port the
server does not listen on, a page past the end of the directory and of a country, an
unknown country, an unused parameter on each export, and an export with a bad filter.
It prints the Redis keys added in all and by each form; with every address canonical,
the figure is 0. Last, it checks that a canonical page is still a hit.

Needs PostgreSQL (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/9). Run it alone: it shares
the machine's Redis and PostgreSQL with the other benchmarks.
"""

import argparse
import http.client
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server

COUNTRY = "/countries/india/"
CANONICAL = ["/", "/partners/", COUNTRY, "/partners.csv", "/partners.json"]
# (name, path, Host) for request n; "{host}" is the server's own 127.0.0.1:<port>.
FORMS = [
    ("Host with another port", "/partners/", "127.0.0.1:{other_port}"),
    ("directory page past the end", "/partners/?page={page}", "{host}"),
    ("country page past the end", f"{COUNTRY}?page={{page}}", "{host}"),
    ("unknown country", "/partners/?country=Q{n}", "{host}"),
    ("unused parameter on the CSV", "/partners.csv?x={n}", "{host}"),
    ("unused parameter on the JSON", "/partners.json?x={n}", "{host}"),
    ("bad filter on the JSON", "/partners.json?country=Q{n}", "{host}"),
]


def get(site, path, host=None):
    """(status, X-Cache) for `path`, the body read to its end (an export is stored once
    it has been sent)."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60)
    try:
        connection.request(
            "GET",
            path,
            headers={"Host": host or f"127.0.0.1:{site.port}", "Accept-Encoding": "br, gzip"},
        )
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("X-Cache")
    finally:
        connection.close()


def key_count(site):
    import redis

    client = redis.Redis.from_url(site.environment["REDIS_URL"])
    return sum(1 for _ in client.scan_iter(f"{site.environment['CACHE_KEY_PREFIX']}:*"))


def run(site, requests):
    for path in CANONICAL:
        status, _ = get(site, path)
        assert status == 200, (path, status)
    before = key_count(site)
    added, statuses = Counter(), Counter()
    for n in range(requests):
        name, path, host = FORMS[n % len(FORMS)]
        fields = {
            "n": n,
            "page": 100_001 + n,
            "host": f"127.0.0.1:{site.port}",
            "other_port": 1000 + n if 1000 + n != site.port else 999,
        }
        keys = key_count(site)
        status, _ = get(site, path.format(**fields), host.format(**fields))
        time.sleep(0.02)  # An export is stored just after its last byte is sent.
        statuses[status] += 1
        added[name] += key_count(site) - keys
    total = key_count(site) - before
    print(f"{requests} hostile requests ({dict(sorted(statuses.items()))} by status)")
    for name, *_ in FORMS:
        print(f"  {name:32} {added[name]:4} keys added")
    print(f"Redis keys added: {total}")
    hits = [get(site, path)[1] for path in CANONICAL]
    print(f"canonical pages asked for again: {hits}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database", default="icma_bench_cache_entries")
    options = parser.parse_args()
    print(server.machine())
    with server.throwaway_database(options.database) as url:
        server.django_in_process(url)
        server.fill(0)
        with (
            server.collected_static() as static_root,
            server.Site(url, static_root, page_cache=True, workers=2) as site,
        ):
            run(site, options.requests)


if __name__ == "__main__":
    main()
