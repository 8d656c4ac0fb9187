"""WSGI entry point, used by gunicorn (`gunicorn -c gunicorn.conf.py icma_site.wsgi`).

Defaults to the production settings, so a server started without DJANGO_SETTINGS_MODULE
is never a debug server: it refuses to start until SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL are set. (manage.py sets its own default, development, before runserver
loads this module, so runserver is unaffected.)

gunicorn loads this module once, before it forks its workers (`preload_app`), so the
work done here is done once and shared: Django's set-up, the URL tables, the release
fingerprint of the page cache and the public pages' compiled templates. A worker started
later (they are replaced every `max_requests`) serves its first page as fast as its
hundredth. Nothing here opens a connection to the database or the cache.
"""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icma_site.settings.production")

application = get_wsgi_application()

# The templates every public page is drawn from, compiled once here.
PUBLIC_TEMPLATES = [
    "partners/home.html",
    "partners/directory.html",
    "partners/directory_print.html",
    "partners/organization_detail.html",
    "partners/country_list.html",
    "partners/country_detail.html",
    "pages/about_international.html",
    "pages/about_icma.html",
    "404.html",
]


def warm_up():
    from django.db import connections
    from django.template import TemplateDoesNotExist, engines
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
    for name in PUBLIC_TEMPLATES:
        try:
            get_template(name)
        except TemplateDoesNotExist:  # Compiled on first use instead; tests keep the list right.
            logging.getLogger(__name__).warning("No template %s to warm up", name)
    jinja2 = engines["jinja2"].env  # The Jinja2 templates (frame, directory, cards): all.
    for name in jinja2.list_templates():
        jinja2.get_template(name)


warm_up()
