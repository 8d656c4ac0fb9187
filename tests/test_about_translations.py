"""The about pages in Spanish and French (Django's i18n, locale/<lang>/LC_MESSAGES/django.po).

The pages are rendered with the catalogues compiled by GNU gettext's msgfmt into a
temporary folder (compiled .mo files are never committed), and compared with the English
page text segment by text segment: nothing English may be left, and the names of
organizations must come through unchanged, as often as in English.
"""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.conftest import missing

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["es", "fr"]
PAGES = ["partners:about", "partners:about-icma"]
PLURAL_FORMS = {
    "es": "Plural-Forms: nplurals=2; plural=(n != 1);",
    "fr": "Plural-Forms: nplurals=2; plural=(n > 1);",
}
# Never translated. "ICMA" is counted on its own as well as inside the longer names.
ORGANIZATIONS = [
    "ICMA",
    "ICMA International",
    "ICMA University",
    "International City/County Management Association",
    "ICMA CityLinks™",
    "Resource Cities",
    "Knowledge Network (KN)",
]
# Text that reads the same in the translation: a postal address and the organization's
# name, and words that French or Spanish spell as English does.
UNCHANGED = {
    "International City/County Management Association",
    "777 North Capitol Street NE, Suite 500",
    "Washington, DC 20002-4201",
    "Fax",
}
UNCHANGED_IN = {"es": UNCHANGED, "fr": UNCHANGED | {"Contact", "Publications"}}
# One line from each page in each language, so that a catalogue for the wrong language,
# or English text passed through as the translation, cannot pass.
SAMPLES = {
    ("es", "partners:about"): "Oportunidades de empleo y voluntariado",
    ("fr", "partners:about"): "Possibilités d’emploi et de bénévolat",  # noqa: RUF001
    ("es", "partners:about-icma"): "Fundada en 1914",
    ("fr", "partners:about-icma"): "Fondée en 1914",
}


class PageText(HTMLParser):
    """The text of a page, as the segments between tags inside <article>, plus its title and
    meta description. Segments without a letter ("·", ".", phone numbers) are left out."""

    def __init__(self):
        super().__init__()
        self.segments = []
        self.title = ""
        self.description = ""
        self._article_depth = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "article" or self._article_depth:
            self._article_depth += tag not in {"br", "img", "input", "meta", "link", "hr"}
        if tag == "title":
            self._in_title = True
        if tag == "meta" and attributes.get("name") == "description":
            self.description = attributes.get("content") or ""

    def handle_endtag(self, tag):
        if self._article_depth:
            self._article_depth -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        text = " ".join(data.split())
        if self._in_title:
            self.title += text
        elif self._article_depth and re.search(r"[^\W\d_]", text):
            self.segments.append(text)

    @property
    def everything(self):
        return " ".join([self.title, self.description, *self.segments])


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory):
    """locale/ compiled with msgfmt --check into a temporary folder."""
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        missing("GNU gettext's msgfmt not found (apt-get install gettext).")
    folder = tmp_path_factory.mktemp("locale")
    for po in LOCALE.glob("*/LC_MESSAGES/django.po"):
        mo = folder / po.relative_to(LOCALE).with_suffix(".mo")
        mo.parent.mkdir(parents=True)
        subprocess.run([msgfmt, "--check", "-o", mo, po], check=True)
    return folder


@pytest.fixture
def translated(settings, compiled_locale):
    # Changing LOCALE_PATHS empties Django's cache of loaded catalogues.
    settings.LOCALE_PATHS = [compiled_locale]


def page_text(client, name, language):
    with translation.override(language):
        # Under i18n_patterns this is the page's address in that language; without them the
        # active language renders it.
        response = client.get(reverse(name))
    assert response.status_code == 200
    parser = PageText()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_passes_msgfmt_check(language):
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        missing("GNU gettext's msgfmt not found (apt-get install gettext).")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", po],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_the_languages_plural_forms(language):
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert f'"Language: {language}\\n"' in po
    assert f'"{PLURAL_FORMS[language]}\\n"' in po


@pytest.mark.django_db
@pytest.mark.usefixtures("translated")
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_text_is_left(client, name, language):
    english = page_text(client, name, "en")
    other = page_text(client, name, language)
    assert len(english.segments) > 20
    left = [
        segment
        for segment in english.segments
        if segment in other.segments and segment not in UNCHANGED_IN[language]
    ]
    assert left == []
    assert other.title != english.title
    assert other.description and other.description != english.description
    # The same paragraphs, headings, list items and links, one for one.
    assert len(other.segments) == len(english.segments)


@pytest.mark.django_db
@pytest.mark.usefixtures("translated")
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_page_is_in_the_language(client, name, language):
    assert SAMPLES[language, name] in page_text(client, name, language).segments


@pytest.mark.django_db
@pytest.mark.usefixtures("translated")
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_organization_names_are_not_translated(client, name, language):
    english = page_text(client, name, "en").everything
    other = page_text(client, name, language).everything
    counts = {
        organization: (english.count(organization), other.count(organization))
        for organization in ORGANIZATIONS
    }
    assert {org: pair for org, pair in counts.items() if pair[0] != pair[1]} == {}
    assert counts["ICMA"][0] > 10


@pytest.mark.django_db
@pytest.mark.usefixtures("translated")
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_translated_about_pages_run_no_queries(client, django_assert_num_queries, name, language):
    with translation.override(language), django_assert_num_queries(0):
        assert client.get(reverse(name)).status_code == 200
