"""WSGI entry point, used by gunicorn (`gunicorn -c gunicorn.conf.py icma_site.wsgi`).

Defaults to the production settings, so a server started without DJANGO_SETTINGS_MODULE
is never a debug server: it refuses to start until SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL are set. (manage.py sets its own default, development, before runserver
loads this module, so runserver is unaffected.)

gunicorn loads this module once, before it forks its workers (`preload_app`), so the
work done here is done once and shared: Django's set-up, the URL tables, the release
fingerprint of the page cache and every template of templates/, compiled. A worker started
later (they are replaced every `max_requests`) serves its first page as fast as its
hundredth. Nothing here opens a connection to the database or the cache.
"""

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icma_site.settings.production")

application = get_wsgi_application()


def site_templates():
    """The name of every template in the site's template folders (TEMPLATES' DIRS:
    templates/), found by walking them, so that a new template needs no list."""
    from django.template import engines

    return sorted(
        path.relative_to(folder).as_posix()
        for folder in map(Path, engines["django"].engine.dirs)
        for path in folder.rglob("*.html")
    )


def warm_up():
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver

    from icma_site.pagecache.versions import release

    connections["default"]
    resolver = get_resolver()
    # Every view module imported, and the tables {% url %} reverses with built.
    resolver.reverse_dict  # noqa: B018
    for _, namespace in resolver.namespace_dict.values():
        namespace.reverse_dict  # noqa: B018
    release()
    for name in site_templates():
        get_template(name)


warm_up()
