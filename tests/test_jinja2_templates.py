"""The Jinja2 templates (templates/jinja2/, icma_site/jinja2.py) write what the Django
templates they replaced wrote, and their text reaches the translators."""

import re

import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation

JINJA2_TEMPLATES = settings.BASE_DIR / "templates" / "jinja2"


def render(source, **context):
    return engines["jinja2"].env.from_string(source).render(**context)


@pytest.mark.parametrize("path", sorted(JINJA2_TEMPLATES.rglob("*.html")), ids=str)
def test_every_message_is_where_makemessages_reads_it(path):
    """makemessages reads `_("…")` only at the start of a `{{ }}`: a message anywhere else
    (a function's argument, a `{% set %}`) would silently leave the catalogues."""
    source = path.read_text()
    for found in re.finditer(r"\b_\(", source):
        before = source[: found.start()].rstrip()
        assert before.endswith("{{"), f"{path.name}: {source[found.start() : found.start() + 60]}"


def test_a_message_with_values_is_trusted_and_its_values_escaped():
    html = render(
        """{{ _('<strong>%(summary)s</strong> match your filters')|blocktranslate(summary=s) }}""",
        s="<b>&",
    )
    assert html == "<strong>&lt;b&gt;&amp;</strong> match your filters"


def test_a_message_without_values_is_escaped_like_a_translate_tag():
    with translation.override("fr"):
        html = render("""{{ _("Partner directory") }}|{{ "<i>" }}""")
    assert html == "Annuaire des partenaires|&lt;i&gt;"


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


def test_a_missing_value_is_empty_as_in_a_django_template():
    assert render("[{{ form.cleaned_data.q }}]{% if form.cleaned_data.q %}x{% endif %}") == "[]"
