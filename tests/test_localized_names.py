"""No Spanish or French page names a country in English (issue 25): every public page of
partners/pages.py, in both languages, is read as a reader meets it (its text and the
attributes read out), the partners' own names and descriptions aside, and must not hold
the English name or an English other name of any partner country where the page's
language calls it something else ("Czech Republic" on /fr/, "Swaziland" on /es/)."""

import re

import pytest
from django.utils import translation

from partners.models import Country, Organization
from partners.text import fold
from tests.test_languages import PAGES, PageText, visit

pytestmark = pytest.mark.django_db

# Former names that the language wrote the same way: French called Eswatini "Swaziland"
# too until 2018, and the French search box offers it as an example of an old name.
SAME_FORMER_NAMES = {"fr": {"Swaziland"}, "es": set()}


def english_names(language):
    """{English name: the country's names in `language`} for every partner country, of
    the English names the page's language does not share ("Kenya" is French too)."""
    found = {}
    for country in Country.objects.all():
        with translation.override("en"):
            english = [country.name, *country.other_name_list]
        with translation.override(language):
            local = [country.local_name, *country.other_name_list]
        shared = {fold(name) for name in [*local, *SAME_FORMER_NAMES[language]]}
        for name in english:
            if fold(name) not in shared:
                found[name] = local
    return found


def without_partner_names(text):
    """`text` without the partners' own names and descriptions, which are proper names
    and staff's text, never translated ("… of the Czech Republic")."""
    names = Organization.objects.values_list(
        "name", "acronym", "other_name", "native_name", "description"
    )
    for name in sorted(filter(None, (n for row in names for n in row)), key=len, reverse=True):
        text = text.replace(" ".join(name.split()), " ")
    return text


@pytest.mark.parametrize("language", ["es", "fr"])
@pytest.mark.parametrize("name", PAGES)
def test_no_english_country_name_on_a_translated_page(client, directory, name, language):
    text = without_partner_names(PageText.of(visit(client, name, language).content.decode()))
    left = {
        english: local
        for english, local in english_names(language).items()
        if re.search(rf"(?<!\w){re.escape(english)}(?!\w)", text)
    }
    assert left == {}, f"English country names on {name} ({language}): {left}"


@pytest.mark.parametrize("language", ["es", "fr"])
def test_no_country_page_names_a_country_in_english(client, directory, language):
    """Each partner country's own page, where its other names are listed ("aussi
    appelé …")."""
    countries = list(Country.objects.all())
    english = english_names(language)
    for country in countries:
        with translation.override(language):
            url = country.get_absolute_url()
        text = without_partner_names(PageText.of(client.get(url).content.decode()))
        left = [name for name in english if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        assert left == [], f"English country names on {url}: {left}"
