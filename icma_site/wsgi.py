"""WSGI entry point, used by gunicorn (`gunicorn -c gunicorn.conf.py icma_site.wsgi`).

Defaults to the production settings, so a server started without DJANGO_SETTINGS_MODULE
is never a debug server: it refuses to start until SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL are set. (manage.py sets its own default, development, before runserver
loads this module, so runserver is unaffected.)
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icma_site.settings.production")

application = get_wsgi_application()
