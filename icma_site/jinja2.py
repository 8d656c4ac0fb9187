"""The Jinja2 environment of Django's Jinja2 backend (settings TEMPLATES).

Jinja2 templates translate with Django's own catalogues: `{{ _("text") }}` is Django's
gettext, so `manage.py translations` collects these strings with the Django templates'
(makemessages reads `_("…")` in `{{ }}` the same way in both). It reads nothing else:
text with plurals or placeholders belongs in a Django template.
"""

from django.utils.translation import gettext, ngettext
from jinja2 import Environment


def environment(**options):
    from partners.models import PageLinks  # Models are ready once templates are rendered.

    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    # `{% set page_of = page_links() %}`, then `{{ page_of(partner) }}`: the addresses of
    # partners' and countries' pages, the language read once, not once a link.
    env.globals["page_links"] = PageLinks
    return env
