"""The Jinja2 environment of Django's Jinja2 backend (settings TEMPLATES).

Jinja2 templates translate with Django's own catalogues, so `manage.py translations`
collects their strings with the Django templates' (makemessages reads `_("…")` at the
start of a `{{ }}` the same way in both):

- `{{ _("text") }}` is Django's `{% translate "text" %}`: the translation, trusted as
  HTML, as Django trusts it;
- `{{ _("<b>%(name)s</b> text")|blocktranslate(name=name) }}` is its
  `{% blocktranslate %}`: the translation is trusted as HTML, the values are escaped,
  and a translation whose placeholders are wrong gives way to the English message
  rather than an error. The message is the one `{% blocktranslate trimmed %}` would
  make, so both kinds of template share one translation.

makemessages reads nothing else: text with plurals is worded in Python, and a string
with a context is marked here too (MARKED).
"""

import datetime
from decimal import Decimal

from django.template.defaulttags import querystring as django_querystring
from django.templatetags.static import static
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy
from jinja2 import ChainableUndefined, Environment
from markupsafe import Markup

from icma_site.languages import versions_of
from icma_site.pagecache.canonical import canonical_address

# Strings the Jinja2 templates translate with a context, marked where makemessages
# finds them: includes/navigation.html's {{ pgettext("navigation", "Main") }}.
MARKED = (pgettext_lazy("navigation", "Main"),)


LOCALIZED = (int, float, Decimal, datetime.date, datetime.time)


def localized(value):
    """`value` as a Django template writes it: a number or a date in the page's language
    and its way of writing them (1,000 in English, 1 000 in French), anything else as it
    is. Every `{{ }}` of the Jinja2 templates is written so (the environment's
    `finalize`)."""
    if isinstance(value, LOCALIZED) and not isinstance(value, bool):
        return localize(template_localtime(value))
    return value


class Translation(Markup):
    """A message's translation in the page's language (`_`), which keeps the `message`
    it translates."""

    message = None

    @classmethod
    def of(cls, message, translated):
        translation = cls(translated)
        translation.message = message
        return translation


def translate(message):
    """`_("…")`: Django's gettext, the translation trusted as HTML. Only for a message
    written in the template, as Django trusts only those (tests check every `_(` takes
    one)."""
    return Translation.of(message, gettext(message))


def translate_in_context(context, message):
    """`pgettext("navigation", "…")`: Django's pgettext, trusted as `_` is."""
    return Translation.of(message, pgettext(context, message))


def blocktranslate(translation, **values):
    """A translated message with HTML and `%(name)s` placeholders, filled with `values`
    (escaped, and localized as a Django template's `{% blocktranslate %}` has them). A
    translation that does not take these values (a translator's typo in a placeholder)
    gives way to its English message, as in a Django template."""
    if not values:
        return Markup(translation)
    values = {name: localized(value) for name, value in values.items()}
    try:
        return Markup(translation) % values
    except (KeyError, ValueError, TypeError):
        message = getattr(translation, "message", None)
        if message is None:
            raise
        return Markup(message) % values


def collapse(text):
    """`text` with its runs of spaces (no-break spaces too) made one space, as Django's
    `{% capture %}` has the frame's title and description."""
    collapsed = " ".join(str(text).split())
    return Markup(collapsed) if hasattr(text, "__html__") else collapsed


def querystring(query, **changes):
    """Django's `{% querystring %}`: "?…", the QueryDict `query` with `changes` (a value
    of None removes its parameter)."""
    return django_querystring(None, query, **changes)


def environment(**options):
    from partners.models import PageLinks  # Models are ready once templates are rendered.
    from partners.opendata.structured_data import partner_list_json_ld
    from partners.templatetags.filter_form import select_options

    # As in a Django template, a missing value and its attributes are empty (a form that
    # was never validated has no cleaned_data); calling one is still an error.
    options["undefined"] = ChainableUndefined
    env = Environment(finalize=localized, **options)
    env.filters["blocktranslate"] = blocktranslate
    env.filters["collapse"] = collapse
    # `{{ _("name")|partner_list_json_ld(request, partners) }}`: the name first, where
    # makemessages reads it.
    env.filters["partner_list_json_ld"] = partner_list_json_ld
    env.globals.update(
        _=translate,
        pgettext=translate_in_context,
        querystring=querystring,
        select_options=select_options,
        # `{% set links = page_links() %}`, then `{{ links(partner) }}` and
        # `{{ links.to("partners:home") }}`: the addresses of partners', countries' and
        # other pages, the language read once, not once a link.
        page_links=PageLinks,
        get_language=get_language,
        versions_of=versions_of,
        canonical_address=canonical_address,
        static=static,
    )
    return env
