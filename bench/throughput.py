"""Throughput: each page as a static file, from the page cache, and rendered afresh, side by
side in one run.

    flock /tmp/icma-bench.lock .venv/bin/python bench/throughput.py [--seconds 8]

Fills a throw-away PostgreSQL database with the real directory (37 organizations), then
runs the site under gunicorn with production settings twice, side by side: with the
page cache (Redis) and without it. The page's own bytes, saved as a static file (with
gzip and Brotli copies, as collectstatic makes them), are served by the same gunicorn and
WhiteNoise: that is the ceiling. wrk asks for each with 16 connections and
`Accept-Encoding: br, gzip`, as a browser does; it prints req/s, p50, p99 and the ratio
to the static file, and the gunicorn processes' CPU time per request and its ratio (the
static file's CPU per request over the page's: the req/s ratio a quiet machine would
show, Redis's and PostgreSQL's own CPU aside). On a machine busy with other work, req/s
swings with that work; CPU per request barely does.

Needs PostgreSQL (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres),
Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/9) and wrk.
"""

import argparse
import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server

PAGES = {
    "/": "home",
    "/partners/": "directory",
    "/partners/?q=salga": "search",
    "/partners/south-african-local-government-association/": "partner",
}

# Not the pages: what any response costs, for reading the ratios above. Each is
# measured uncached against its own bytes as a static file, in the same run.
REFERENCES = {
    # A Django view through every middleware: no template, no query.
    "/robots.txt": "robots",
    # A page of the site's frame (head, header, footer) and text: templates, no query.
    "/about/": "about",
}


def save_as_static(site, static_root):
    """Each page's bytes as a static file, with the .gz and .br copies WhiteNoise serves."""
    from icma_site.pagecache.compression import compress

    folder = static_root / "bench"
    folder.mkdir()
    sizes = {}
    for path, name in {**PAGES, **REFERENCES}.items():
        status, _, html = site.get(path, encoding=None)
        assert status == 200, path
        (folder / f"{name}.html").write_bytes(html)
        for encoding, suffix in (("gzip", "gz"), ("br", "br")):
            (folder / f"{name}.html.{suffix}").write_bytes(compress(encoding, html))
        sizes[path] = len(html)
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--database", default="icma_bench_throughput")
    options = parser.parse_args()
    server.require_wrk()

    with server.throwaway_database(options.database) as url:
        server.django_in_process(url)
        partners = server.fill(0)
        with (
            server.collected_static() as static_root,
            server.Site(url, static_root, page_cache=True) as cached,
        ):
            sizes = save_as_static(cached, static_root)
            # The static copies exist now; WhiteNoise indexes files as it starts.
            with server.Site(url, static_root, page_cache=False) as uncached:
                report(options, partners, sizes, cached, uncached)


def report(options, partners, sizes, cached, uncached):
    print(f"bench/throughput.py, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {server.machine()}")
    print(
        f"{partners} organizations, PostgreSQL, gunicorn 4 sync workers, production settings; "
        f"wrk -t2 -c16 -d{options.seconds}s, Accept-Encoding: {server.BROWSER_ENCODING}"
    )
    print()
    header = (
        f"{'page':<56} {'served as':<12} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'÷ static':>8}"
        f" {'CPU ms':>7} {'÷ static':>8}"
    )
    print(header)
    print("-" * len(header))
    for path, name in PAGES.items():
        static = server.wrk(
            f"{uncached.base}/static/bench/{name}.html", options.seconds, site=uncached
        )
        runs = {
            "static file": static,
            "page cache": server.wrk(f"{cached.base}{path}", options.seconds, site=cached),
            "uncached": server.wrk(f"{uncached.base}{path}", options.seconds, site=uncached),
        }
        print_rows(path, runs, sizes[path])
    print()
    print("For reference: any Django response, and a page with no query (uncached)")
    print("-" * len(header))
    for path, name in REFERENCES.items():
        runs = {
            "static file": server.wrk(
                f"{uncached.base}/static/bench/{name}.html", options.seconds, site=uncached
            ),
            "uncached": server.wrk(f"{uncached.base}{path}", options.seconds, site=uncached),
        }
        print_rows(path, runs, sizes[path])
    sys.stdout.flush()


def print_rows(path, runs, size):
    """One line per way `path` was served (the first, its static file, is the ceiling)."""
    static = runs["static file"]
    for mode, run in runs.items():
        errors = f"  {run['errors']} non-2xx/3xx" if run["errors"] else ""
        if run["socket_errors"]:
            errors += f"  {run['socket_errors']}"
        ratio = f"{run['rps'] / static['rps']:>8.2f}" if static["rps"] else f"{'n/a':>8}"
        cpu_ratio = static["cpu_ms"] / run["cpu_ms"] if run["cpu_ms"] else 0
        print(
            f"{path:<56} {mode:<12} {run['rps']:>8.0f} {run['p50']:>7.2f} "
            f"{run['p99']:>7.2f} {ratio} {run['cpu_ms']:>7.2f} {cpu_ratio:>8.2f}{errors}"
        )
    print(f"{'':<56} ({size:,} bytes uncompressed)")


if __name__ == "__main__":
    os.chdir(server.ROOT)
    main()
