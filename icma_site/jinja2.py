"""The Jinja2 environment of Django's Jinja2 backend (settings TEMPLATES).

Jinja2 templates translate with Django's own catalogues: `{{ _("text") }}` is Django's
gettext, so `manage.py translations` collects these strings with the Django templates'
(makemessages reads `_("…")` in `{{ }}` the same way in both). It reads nothing else:
text with plurals or placeholders belongs in a Django template.
"""

from django.utils.translation import gettext, ngettext
from jinja2 import Environment


def environment(**options):
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    return env
