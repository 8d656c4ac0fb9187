"""Where an uncached page's time goes: pyinstrument over many renders of one page.

    .venv/bin/python bench/profile.py [/partners/] [--requests 200] [--flat | --split]
        [--redis redis://127.0.0.1:6379/9]

Builds a throw-away test database (SQLite, or PostgreSQL when DATABASE_URL points at
one) with the real directory, asks Django's test client for the page (page cache off,
as in the test settings) and prints the profile and the CPU time per request. With
--redis, the cache is that Redis server, as in production (so the directory's lookups
are kept per directory version, partners/listing/lookups.py); the run's keys are removed after.

A profiler slows each Python call, so it overstates code made of many small calls (a
template's). --split times the page's stages instead, without a profiler: each stage's
functions are wrapped in a clock (STAGES), and the rest is the middleware, the view's
own work and the test client.
"""

import argparse
import collections
import contextlib
import importlib
import os
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icma_site.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402
from pyinstrument.renderers import ConsoleRenderer  # noqa: E402

from bench import server  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="/partners/")
    parser.add_argument("--requests", type=int, default=200)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--flat", action="store_true", help="functions by own time")
    mode.add_argument("--split", action="store_true", help="time by stage, no profiler")
    parser.add_argument("--redis", help="use this Redis server as the cache, as production does")
    options = parser.parse_args()

    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        with server.shared_cache(options.redis) if options.redis else contextlib.nullcontext():
            (split if options.split else profile)(options)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


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


# Stage: (object, attribute) of the functions timed as that stage.
STAGES = {
    "templates, all (TemplateResponse.rendered_content)": (
        "django.template.response.SimpleTemplateResponse",
        "rendered_content",
    ),
    "the rows: query and model instances (ListingPaginator.rows)": (
        "partners.listing.pagination.ListingPaginator",
        "rows",
    ),
    "the rows of a search (SearchPaginator.rows)": (
        "partners.search.paginator.SearchPaginator",
        "rows",
    ),
    "the filters (FilterView.get_filterset)": (
        "django_filters.views.FilterMixin",
        "get_filterset",
    ),
    "compression (icma_site.pagecache.compression.compress)": (
        "icma_site.pagecache.compression",
        "compress",
    ),
    # Built where first read (in the view or the template), so counted in a stage above
    # or in the rest: not added to the stages. Each read is timed, the first builds it.
    " the filters' form, built and read (BaseFilterSet.form)": (
        "django_filters.filterset.BaseFilterSet",
        "form",
    ),
}


def split(options):
    """Print each stage's wall time per request, measured over options.requests."""
    call_command("load_partners", verbosity=0)
    client = Client(headers={"accept-encoding": "br, gzip"})
    spent = collections.Counter()

    def clocked(stage, function):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - start

        return timed

    with contextlib.ExitStack() as stack:
        for stage, (dotted, attribute) in STAGES.items():
            module, _, name = dotted.rpartition(".")
            try:
                owner = getattr(importlib.import_module(module), name)
            except (ImportError, AttributeError):
                owner = importlib.import_module(dotted)
            original = owner.__dict__[attribute]
            if isinstance(original, property):
                wrapped = property(clocked(stage, original.fget))
            else:
                wrapped = clocked(stage, getattr(owner, attribute))
            stack.enter_context(mock.patch.object(owner, attribute, wrapped))
        for _ in range(20):
            assert client.get(options.path).status_code == 200
        spent.clear()
        start = time.perf_counter()
        for _ in range(options.requests):
            client.get(options.path)
        total = (time.perf_counter() - start) / options.requests * 1000
    print(f"{options.path}: {total:.2f} ms per request (wall time, test client), of which:")
    staged = 0.0
    for stage in STAGES:
        milliseconds = spent[stage] / options.requests * 1000
        staged += 0 if stage.startswith(" ") else milliseconds
        print(f"  {stage:<60} {milliseconds:6.2f} ms")
    print(f"  {'the rest: middleware, the view, the test client':<60} {total - staged:6.2f} ms")


if __name__ == "__main__":
    main()
