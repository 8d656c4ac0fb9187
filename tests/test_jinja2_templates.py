"""The Jinja2 templates (templates/jinja2/, icma_site/jinja2.py) write what the Django
templates they replaced wrote, and their text reaches the translators."""

import ast
import re
from html import unescape
from unittest import mock

import polib
import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

JINJA2_TEMPLATES = settings.BASE_DIR / "templates" / "jinja2"
MESSAGE = r"""_\((".*?"|'.*?')\)"""


def render(source, **context):
    return engines["jinja2"].env.from_string(source).render(**context)


@pytest.mark.parametrize(
    "path", sorted(JINJA2_TEMPLATES.rglob("*.html")), ids=lambda path: path.name
)
def test_makemessages_reads_every_message(path):
    """makemessages (Django's templatize) reads `_("…")` only at the start of a one-line
    `{{ }}`: a message anywhere else would silently leave the catalogues."""
    source = path.read_text()
    read = {ast.literal_eval(found) for found in re.findall(MESSAGE, templatize(source))}
    for found in re.finditer(r"\b_\(", source):
        # A message written in the template: `_` trusts its translation as HTML, as
        # Django trusts only those, so never a variable.
        literal = re.match(r"\"[^\"\n]*\"|'[^'\n]*'", source[found.end() :])
        assert literal, f"{path.name}: {source[found.start() : found.start() + 60]}"
        assert ast.literal_eval(literal[0]) in read, f"{path.name}: {literal[0]}"


@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_translation_takes_its_messages_values(language):
    """A translation with other placeholders than its message would not be filled."""
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    catalogue = polib.pofile(settings.BASE_DIR / "locale" / language / "LC_MESSAGES/django.po")
    for entry in catalogue.translated_entries():
        expected = set(placeholder.findall(entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            assert set(placeholder.findall(form)) <= expected | set(
                placeholder.findall(entry.msgid_plural or "")
            ), entry.msgid


def test_a_message_with_values_is_trusted_and_its_values_escaped():
    html = render(
        """{{ _('<strong>%(summary)s</strong> match your filters')|blocktranslate(summary=s) }}""",
        s="<b>&'\"",
    )
    assert html == "<strong>&lt;b&gt;&amp;&#39;&#34;</strong> match your filters"


def test_a_translation_with_a_wrong_placeholder_gives_way_to_the_english_message():
    """As Django's {% blocktranslate %} does, rather than a server error."""
    broken = "Page %(nombre)s sur %(pages)s"
    with (
        translation.override("fr"),
        mock.patch.object(trans_real.DjangoTranslation, "gettext", return_value=broken),
    ):
        html = render(
            """{{ _("Page %(number)s of %(pages)s")|blocktranslate(number=3, pages=9) }}"""
        )
    assert html == "Page 3 of 9"


def test_a_message_without_values_is_trusted_like_a_translate_tag():
    """Django's {% translate "…" %} writes its translation as it is."""
    assert render("""{{ _("ICMA International's partner directory") }}|{{ "<i>'" }}""") == (
        "ICMA International's partner directory|&lt;i&gt;&#39;"
    )
    with translation.override("fr"):
        assert render("""{{ _("ICMA International partner directory") }}""") == (
            "Annuaire des partenaires d\u2019ICMA International"
        )


def test_a_message_with_a_context_is_trusted_too():
    with (
        translation.override("fr"),
        mock.patch.object(trans_real.DjangoTranslation, "gettext", return_value="Menu d'accueil"),
    ):
        assert render("""{{ pgettext("navigation", "Main") }}""") == "Menu d'accueil"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,000 · Page 1,000 of 2,000"), ("fr", "1\xa0000 · Page 1\xa0000 sur 2\xa0000")],
)
def test_numbers_are_written_in_the_pages_language(language, expected):
    """As a Django template writes them: `{{ 1000 }}` is "1,000" in English."""
    with translation.override(language):
        html = render(
            "{{ n }} · "
            """{{ _("Page %(number)s of %(pages)s")|blocktranslate(number=n, pages=2 * n) }}""",
            n=1000,
        )
    assert html == expected


def test_the_frames_title_has_its_spaces_collapsed_as_in_a_django_template():
    html = render(
        """{% extends "base.html" %}{% set page_title %}1\xa0273  partners{% endset %}""",
        request=None,
    )
    assert "<title>1 273 partners · ICMA International</title>" in html


def test_a_missing_value_is_empty_as_in_a_django_template():
    assert render("[{{ form.cleaned_data.q }}]{% if form.cleaned_data.q %}x{% endif %}") == "[]"


@pytest.mark.parametrize("query", ["d'ivoire", '"><script>alert(1)</script>', "O'Brien & Sons"])
def test_a_search_is_written_back_escaped(client, directory, query):
    html = client.get("/partners/", {"q": query}).content.decode()
    assert "<script>alert" not in html
    written = re.findall(r'<input type="search" name="q" id="id_q" value="([^"]*)"', html)
    assert [unescape(value) for value in written] == [query]
