"""gunicorn forks warm workers: icma_site/wsgi.py prepares the application once, in the
master, every template of the site compiled."""

import runpy
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorn_loads_the_application_before_forking():
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["preload_app"] is True


def public_page_templates():
    """The template of every public page the site's own URLs name."""
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in {"admin"}:
                    continue
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                callback = pattern.callback
                name = getattr(callback, "view_initkwargs", {}).get("template_name") or getattr(
                    getattr(callback, "view_class", None), "template_name", None
                )
                if name and not name.startswith(("admin/", "partners/correction")):
                    names.add(name)

    walk(get_resolver().url_patterns)
    return names


@pytest.mark.django_db
def test_every_public_template_is_compiled_before_the_workers_start(caplog):
    from icma_site import wsgi

    assert public_page_templates() <= set(wsgi.site_templates())
    wsgi.warm_up()
    assert "to warm up" not in caplog.text
    for name in wsgi.site_templates():
        get_template(name)


def test_every_site_template_is_kept_compiled_by_the_warm_up():
    from django.template import engines

    from icma_site import wsgi

    (loader,) = engines["django"].engine.template_loaders  # Django's cached loader
    loader.reset()
    wsgi.warm_up()
    kept = set(loader.get_template_cache)
    assert set(wsgi.site_templates()) <= kept
    assert set(wsgi.site_templates()) >= {"frame.html", "includes/partner_cards.html"}


def test_workers_are_forked_with_the_masters_objects_frozen():
    import gc

    pre_fork = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["pre_fork"]
    try:
        pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
