"""Where an uncached page's time goes: pyinstrument over many renders of one page.

    .venv/bin/python bench/profile.py [/partners/] [--requests 200] [--flat | --split | --floor]
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

--floor (the directory's first page only) puts the page's CPU time beside the least its
parts could cost in this stack, each measured in the same process: a bare Django
response through the same middleware (/robots.txt), the page's rows read with one SQL
query through a cursor (no QuerySet, no model instances), its partner cards written by
one Jinja2 template straight from those rows, the site's frame (the real Jinja2
base.html) around them, and the result compressed once as a miss is. What that floor
leaves out (the filter form, the summary, the JSON-LD: about a tenth of the page's
bytes) it says.
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
    mode.add_argument("--floor", action="store_true", help="the page beside its parts' floor")
    parser.add_argument("--redis", help="use this Redis server as the cache, as production does")
    options = parser.parse_args()

    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        with server.shared_cache(options.redis) if options.redis else contextlib.nullcontext():
            (floor if options.floor else split if options.split else profile)(options)
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


# Stage: (object, attribute) of the functions timed as that stage. A stage inside
# another (the Jinja2 templates inside the rendering) is also counted in the outer one.
STAGES = {
    "templates, all (TemplateResponse.rendered_content)": (
        "django.template.response.SimpleTemplateResponse",
        "rendered_content",
    ),
    "  of which Jinja2 templates (jinja2.Template.render)": ("jinja2.Template", "render"),
    "the rows: query and model instances (read_listed)": (
        "partners.listing.lookups.DirectoryLookups",
        "read_listed",
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
    " the <select>s' options (select_options, in templates)": (
        "partners.templatetags.filter_form",
        "select_options",
    ),
}


def split(options):
    """Print each stage's wall time per request, measured over options.requests."""
    from django.template import engines

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

    jinja2_globals = engines["jinja2"].env.globals
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
            # The Jinja2 environment holds its globals (select_options) itself.
            for key, value in list(jinja2_globals.items()):
                if value is original:
                    stack.enter_context(mock.patch.dict(jinja2_globals, {key: wrapped}))
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


# The directory's first page's rows, as its listing orders them (for_listing), with the
# columns its cards show.
FLOOR_ROWS = """
    SELECT o.name, o.acronym, o.other_name, o.slug, c.slug, c.name, c.region, t.slug, t.name
    FROM partners_organization o
    JOIN partners_country c ON c.id = o.country_id
    JOIN partners_relationshiptype t ON t.id = o.relationship_type_id
    WHERE o.is_published
    ORDER BY CASE WHEN t.slug = 'multinational' THEN 1 ELSE 0 END, c.name, o.name
    LIMIT 50
"""
FLOOR_CARDS = """{% for group in groups %}<section class="country-group" \
aria-labelledby="country-{{ group.slug }}">
<h2 id="country-{{ group.slug }}" class="country-group__title"><a href="/countries/\
{{ group.slug }}/">{{ group.name }}</a> <span class="country-group__region">\
{{ group.region }}</span></h2>
<div class="card-list">{% for row in group.rows %}<article class="partner-card">
<h3 class="partner-card__name"><a href="/partners/{{ row[3] }}/">{{ row[0] }}</a>\
{% if row[1] %} <abbr class="partner-card__acronym" title="{{ row[0] }}">{{ row[1] }}</abbr>\
{% endif %}</h3>
{% if row[2] %}<p class="partner-card__other">{{ row[2] }}</p>{% endif %}
<p class="partner-card__meta"><span class="tag tag--{{ row[7] }}">{{ row[8] }}</span></p>
</article>{% endfor %}</div></section>{% endfor %}"""


def floor(options):
    """Print the directory's CPU time per request beside its parts' floor (see --floor)."""
    from django.template import engines
    from django.test import RequestFactory
    from django.urls import resolve

    from icma_site.pagecache.compression import PER_REQUEST, compress

    call_command("load_partners", verbosity=0)
    client = Client(headers={"accept-encoding": "br, gzip"})
    request = RequestFactory().get("/partners/")
    request.resolver_match = resolve("/partners/")
    jinja2 = engines["jinja2"].env
    cards, frame = jinja2.from_string(FLOOR_CARDS), jinja2.get_template("base.html")
    page = client.get("/partners/", headers={"accept-encoding": ""}).content

    def rows():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_ROWS)
            return cursor.fetchall()

    def grouped(read):
        groups = []
        for row in read:
            if not groups or groups[-1]["slug"] != row[4]:
                groups.append({"slug": row[4], "name": row[5], "region": row[6], "rows": []})
            groups[-1]["rows"].append(row)
        return groups

    read = rows()
    html = frame.render(request=request, content=cards.render(groups=grouped(read)))
    parts = {
        "a bare Django response (/robots.txt, test client)": lambda: client.get("/robots.txt"),
        f"the {len(read)} rows: one query through a cursor": rows,
        "the cards, one Jinja2 template from the rows": lambda: cards.render(groups=grouped(read)),
        "the frame around them (templates/jinja2/base.html)": lambda: frame.render(
            request=request, content=""
        ),
        f"compression of the {len(html):,} bytes (Brotli {PER_REQUEST['br']})": lambda: compress(
            "br", html.encode(), PER_REQUEST
        ),
    }
    measured = {
        "/partners/ as it is (test client)": cpu_per_call(
            lambda: client.get("/partners/"), options.requests
        )
    }
    measured.update((name, cpu_per_call(part, options.requests)) for name, part in parts.items())
    print(f"/partners/ ({len(page):,} bytes) and its parts' floor: CPU ms per request")
    for name, milliseconds in measured.items():
        print(f"  {name:<60} {milliseconds:6.2f} ms")
    least = sum(measured[name] for name in parts)
    print(f"  {'the floor: the parts together':<60} {least:6.2f} ms")
    ratio = measured["/partners/ as it is (test client)"] / least
    print(f"  {'the page ÷ the floor':<60} {ratio:6.2f}")
    print(
        f"Left out of the floor: the filter form, the summary and the JSON-LD "
        f"({len(page) - len(html):,} of the page's {len(page):,} bytes)."
    )


def cpu_per_call(function, calls):
    """Milliseconds of this process's CPU time per call of `function`, after a warm-up."""
    for _ in range(20):
        function()
    start = time.process_time()
    for _ in range(calls):
        function()
    return (time.process_time() - start) / calls * 1000


if __name__ == "__main__":
    main()
