"""Weight: the bytes a first visit to a page transfers, compressed as served, page and
everything it loads.

    flock /tmp/icma-bench.lock .venv/bin/python bench/weight.py

Fills a throw-away PostgreSQL database with the real directory (37 organizations), runs
the site under gunicorn with production settings (page cache on, static files collected
and compressed as in production), and for each page fetches it and every stylesheet,
icon, image and script it links to, as a browser on a first visit does, with
`Accept-Encoding: br, gzip`. Prints bytes per resource (headers and body as sent), the
total, and how that compares with the same fetches without compression.

Needs PostgreSQL (BENCH_POSTGRES_URL) and Redis (BENCH_REDIS_URL); see bench/README.md.
"""

import argparse
import datetime
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server

PAGES = ["/", "/partners/", "/partners/south-african-local-government-association/"]
TARGET = 15 * 1024  # The budget for a first visit to /partners/.
RESOURCE = re.compile(
    r"<(?:link[^>]*\srel=\"(?:stylesheet|icon)\"[^>]*\shref|img[^>]*\ssrc|script[^>]*\ssrc)"
    r"=\"([^\"]+)\"|<link[^>]*\shref=\"([^\"]+)\"[^>]*\srel=\"(?:stylesheet|icon)\""
)


def resources(html):
    """The addresses a page loads on a first visit, in order, each once."""
    found = []
    for match in RESOURCE.finditer(html):
        address = match.group(1) or match.group(2)
        if address not in found:
            found.append(address)
    return found


def transfer(site, path, encoding):
    """(header bytes, body bytes, Content-Encoding) for one response."""
    status, headers, body = site.get(path, encoding=encoding)
    assert status == 200, (path, status)
    header_bytes = len(f"HTTP/1.1 {status} OK\r\n") + sum(
        len(f"{name}: {value}\r\n") for name, value in headers.items()
    )
    return header_bytes, len(body), headers.get("Content-Encoding", "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="icma_bench_weight")
    options = parser.parse_args()
    with server.throwaway_database(options.database) as url:
        server.django_in_process(url)
        partners = server.fill(0)
        with (
            server.collected_static() as static_root,
            server.Site(url, static_root, page_cache=True, workers=2) as site,
        ):
            print(f"bench/weight.py, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
            print(f"machine: {server.machine()}")
            print(
                f"{partners} organizations, gunicorn, production settings; a first visit "
                f"with Accept-Encoding: {server.BROWSER_ENCODING} (headers + body as sent)"
            )
            for page in PAGES:
                report(site, page)


def report(site, page):
    _, _, plain = site.get(page, encoding=None)
    addresses = [page, *resources(plain.decode())]
    print()
    print(f"first visit to {page}")
    totals = {"compressed": 0, "plain": 0}
    for address in addresses:
        headers, body, encoding = transfer(site, address, server.BROWSER_ENCODING)
        plain_headers, plain_body, _ = transfer(site, address, None)
        totals["compressed"] += headers + body
        totals["plain"] += plain_headers + plain_body
        print(
            f"  {address:<60} {headers + body:>8,} bytes ({encoding or 'identity'}; "
            f"{plain_headers + plain_body:,} uncompressed)"
        )
    verdict = ""
    if page == "/partners/":
        met = "met" if totals["compressed"] <= TARGET else "NOT met"
        verdict = f"  (target: at most {TARGET:,}: {met})"
    print(
        f"  {'total':<60} {totals['compressed']:>8,} bytes; uncompressed {totals['plain']:,}; "
        f"ratio {totals['compressed'] / totals['plain']:.2f}{verdict}"
    )


if __name__ == "__main__":
    main()
