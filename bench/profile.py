"""Where an uncached page's time goes: pyinstrument over many renders of one page.

    .venv/bin/python bench/profile.py [/partners/] [--requests 200] [--flat]
        [--redis redis://127.0.0.1:6379/9]

Builds a throw-away test database (SQLite, or PostgreSQL when DATABASE_URL points at
one) with the real directory, asks Django's test client for the page (page cache off,
as in the test settings) and prints the profile and the CPU time per request. With
--redis, the cache is that Redis server, as in production (so the directory's lookups
are kept per directory version, partners/lookups.py); the run's keys are removed after.
"""

import argparse
import contextlib
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icma_site.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from pyinstrument import Profiler  # noqa: E402
from pyinstrument.renderers import ConsoleRenderer  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/partners/")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--flat", action="store_true", help="functions by own time")
    parser.add_argument("--redis", help="use this Redis server as the cache, as production does")
    options = parser.parse_args()

    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        with shared_cache(options.redis) if options.redis else contextlib.nullcontext():
            profile(options)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


@contextlib.contextmanager
def shared_cache(url):
    prefix = f"profile-{secrets.token_hex(4)}"
    caches = {
        "default": {
            "BACKEND": "icma_site.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches, DIRECTORY_LOOKUPS_CACHED=True):
        try:
            yield
        finally:
            import redis

            client = redis.Redis.from_url(url)
            keys = list(client.scan_iter(f"{prefix}:*"))
            if keys:
                client.delete(*keys)


def profile(options):
    call_command("load_partners", verbosity=0)
    client = Client(headers={"accept-encoding": "br, gzip"})
    for _ in range(20):
        assert client.get(options.path).status_code == 200
    start = time.process_time()
    for _ in range(options.requests):
        client.get(options.path)
    cpu = (time.process_time() - start) / options.requests * 1000
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(options.requests):
        client.get(options.path)
    profiler.stop()
    renderer = ConsoleRenderer(
        unicode=False,
        color=False,
        flat=options.flat,
        time="percent_of_total",
        processor_options={"filter_threshold": 0.02},
    )
    print(profiler.output(renderer))
    print(f"{options.path}: {cpu:.2f} ms of CPU per request (without the profiler)")


if __name__ == "__main__":
    main()
