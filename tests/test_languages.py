"""The site in English, Spanish and French (icma_site/languages.py, locale/, the templates'
{% translate %} tags): addresses, the switcher, the translations themselves, country and
region names and their order, dates and numbers, and the page cache's view of it all."""

import datetime
import functools
import re
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from icma_site.languages import path_in, path_without_language
from partners import pages
from partners.collation import sort_key, sorted_by_name
from partners.models import Country, Organization, RelationshipType
from partners.views import PartnerDirectoryView, results_summary
from partners.worldmap import partner_label
from tests.factories import grow_directory_to

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "es", "fr"]
PARTNER = "/partners/city-managers-association-of-karnataka/"
# Every example of every public page people read (partners/pages.py): (page, example).
PAGES = pages.examples(html=True)
# What stays at the root in every language: open data, the feed, search engines' files.
ROOT_ONLY = [page for page in pages.PAGES.values() if not page.translated]


def address(language, path):
    return path_in(language, path.split("?")[0]) + (f"?{path.split('?')[1]}" if "?" in path else "")


def visit(client, name, language):
    """The response of the example `name` of PAGES in `language`, the directory grown
    first if the example needs more partners."""
    page, example = PAGES[name]
    if example.organizations:
        grow_directory_to(example.organizations)
    return client.get(page.path(example, language))


class PageText(HTMLParser):
    """What a reader meets on a page: its text and the attributes read out or shown
    (title, alt, aria-label, placeholder, and the description), not the scripts."""

    SHOWN = {"title", "alt", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style"}:
            self.skipping += 1
        self.parts += [value for name, value in attrs.items() if name in self.SHOWN and value]
        if tag == "meta" and attrs.get("name") == "description":
            self.parts.append(attrs.get("content") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)

    @classmethod
    def of(cls, html):
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


class Links(HTMLParser):
    """Every <a> and <link> with its attributes; and <html lang>."""

    def __init__(self):
        super().__init__()
        self.links, self.lang = [], None

    def handle_starttag(self, tag, attrs):
        if tag in {"a", "link"}:
            self.links.append((tag, dict(attrs)))
        if tag == "html":
            self.lang = dict(attrs).get("lang")

    @classmethod
    def of(cls, html):
        parser = cls()
        parser.feed(html)
        return parser


@functools.cache
def english_phrases():
    """The English source strings of the translations, cut at placeholders and HTML tags
    into phrases, keeping those of four words or more: any of them on a Spanish or French
    page is text left untranslated."""
    phrases = set()
    for language in ("es", "fr"):
        catalogue = polib.pofile(
            str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po")
        )
        for entry in catalogue:
            for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                for phrase in re.split(r"%\(\w+\)[sd]|<[^>]+>|[“”]", msgid):
                    phrase = " ".join(phrase.split()).strip(" .,:;")
                    if len(phrase.split()) >= 4:
                        phrases.add(phrase)
    return phrases


@pytest.fixture
def names(directory):
    """Organization names, acronyms and other names: never translated."""
    return " ".join(
        " ".join(filter(None, row))
        for row in Organization.objects.values_list("name", "acronym", "other_name", "description")
    )


# Addresses ------------------------------------------------------------------------------


def test_language_prefixes_are_added_and_removed():
    assert path_in("es", "/partners/") == "/es/partners/"
    assert path_in("fr", "/es/partners/") == "/fr/partners/"
    assert path_in("en", "/fr/countries/india/") == "/countries/india/"
    assert path_without_language("/es") == "/"
    assert path_without_language("/estonia/") == "/estonia/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_answers_in_every_language_with_its_lang(client, directory, name, language):
    response = visit(client, name, language)
    assert response.status_code == PAGES[name][1].status
    assert Links.of(response.content.decode()).lang == language
    assert response["Content-Language"] == language


def test_the_error_pages_rendered_without_a_request_are_in_the_active_language():
    from django.template.loader import render_to_string

    with translation.override("fr"):
        assert '<html lang="fr">' in render_to_string("500.html")
        assert "Un problème est survenu" in render_to_string("500.html")
    with translation.override("es"):
        assert "El directorio no está disponible temporalmente" in render_to_string("503.html")


def test_open_data_the_admin_and_the_health_check_stay_at_the_root(client, directory):
    assert {page.url_name for page in ROOT_ONLY} >= {"data:export-csv", "sitemap", "healthz"}
    for path in [page.path() for page in ROOT_ONLY]:
        assert client.get(path).status_code == 200, path
        assert client.get(f"/es{path}").status_code == 404, path
    assert client.get("/fr/admin/").status_code == 404
    assert client.get("/en/partners/").status_code == 404  # English has no prefix


def test_the_directory_links_to_the_root_open_data_in_every_language(client, directory):
    html = client.get("/fr/partners/?country=in").content.decode()
    assert 'href="/partners.csv?country=in"' in html
    assert 'href="/partners.json?country=in"' in html
    assert 'href="/partners/feed/"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_directory_links_each_partner_and_country_in_the_pages_language(
    client, directory, language
):
    """The cards' and the country headings' links (PageLinks) are the pages'
    get_absolute_url() in the page's language, as are the JSON-LD list's."""
    html = client.get(path_in(language, "/partners/")).content.decode()
    with translation.override(language):
        partners = list(Organization.objects.published().select_related("country"))
        partner_pages = {partner.get_absolute_url() for partner in partners}
        country_pages = {partner.country.get_absolute_url() for partner in partners}
    linked = re.findall(r'<a href="((?:/[a-z]{2})?/(?:partners|countries)/[^"?/]+/)"', html)
    assert set(linked) - {"/partners/feed/"} == partner_pages | country_pages
    assert set(re.findall(r'"url":"http://testserver(/[^"]+)"', html)) == partner_pages


def test_a_canonical_redirect_keeps_the_language(client, directory):
    response = client.get("/es/partners/?q=&country=in&utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == "/es/partners/?country=in"


# The language comes from the address alone ---------------------------------------------


def test_no_cookie_header_or_session_chooses_the_language(client, directory):
    client.cookies["django_language"] = "fr"
    response = client.get("/partners/", headers={"accept-language": "es,fr;q=0.9"})
    assert Links.of(response.content.decode()).lang == "en"
    assert "Partner directory" in response.content.decode()
    response = client.get("/fr/partners/", headers={"accept-language": "es"})
    assert Links.of(response.content.decode()).lang == "fr"


@pytest.mark.parametrize("path", ["/", "/es/", "/fr/partners/", f"/es{PARTNER}"])
def test_pages_set_no_cookie_and_do_not_vary_on_the_language(client, directory, path):
    response = client.get(path, headers={"accept-language": "fr"})
    assert "accept-language" not in response.get("Vary", "").lower()
    assert not response.cookies


def test_each_language_is_its_own_page_in_the_shared_cache(client, directory, page_cache):
    english = client.get("/partners/")
    spanish = client.get("/es/partners/", headers={"accept-language": "en"})
    assert (english["X-Cache"], spanish["X-Cache"]) == ("miss", "miss")
    again = client.get("/es/partners/", headers={"accept-language": "fr"})
    assert again["X-Cache"] == "hit"
    assert b"Directorio de socios" in again.content
    assert client.get("/partners/")["X-Cache"] == "hit"


# The switcher and the alternates ------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_the_switcher_links_to_the_same_page_in_the_other_languages(
    client, directory, name, language
):
    page_of_site, example = PAGES[name]
    page = Links.of(visit(client, name, language).content.decode())
    switcher = {
        attrs["hreflang"]: attrs for tag, attrs in page.links if tag == "a" and "hreflang" in attrs
    }
    others = [code for code in LANGUAGES if code != language]
    assert sorted(switcher) == sorted(others)
    for code in others:
        if example.status == 404:  # Missing in every language: each one's home page instead.
            assert switcher[code]["href"] == address(code, "/")
            continue
        assert switcher[code]["href"] == page_of_site.path(example, code)
        assert switcher[code]["lang"] == code
        followed = client.get(switcher[code]["href"])
        assert Links.of(followed.content.decode()).lang == code


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_head_names_every_language_version_and_a_default(client, directory, language):
    page = Links.of(client.get(address(language, "/partners/?country=in&page=1")).content.decode())
    alternates = {
        attrs["hreflang"]: attrs["href"]
        for tag, attrs in page.links
        if tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs
    }
    assert alternates == {
        "en": "http://testserver/partners/?country=in",
        "es": "http://testserver/es/partners/?country=in",
        "fr": "http://testserver/fr/partners/?country=in",
        "x-default": "http://testserver/partners/?country=in",
    }


# Translations ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "fr"])
@pytest.mark.parametrize("name", PAGES)
def test_no_english_text_is_left_on_a_translated_page(client, names, name, language):
    text = PageText.of(visit(client, name, language).content.decode())
    left = sorted(phrase for phrase in english_phrases() if phrase in text and phrase not in names)
    assert left == [], f"English left on {PAGES[name][0].path(PAGES[name][1], language)}: {left}"


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_correction_form_and_its_messages_are_translated(client, directory, language):
    response = client.post(
        address(language, f"{PARTNER}correction/"),
        {"what_is_wrong": "", "right_value": "", "email": "not an address"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    expected = {
        "es": ["Revise el formulario", "¿Qué está mal?", "Este campo es obligatorio."],
        "fr": [
            "Veuillez vérifier le formulaire",
            "Qu\u2019est-ce qui est inexact",
            "Ce champ est obligatoire.",
        ],
    }[language]
    for text in expected:
        assert text in html
    assert "This field is required" not in html


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("es", "País: No hay ningún país socio con ese código."),
        ("fr", "Pays\u00a0: Aucun pays partenaire ne porte ce code."),
    ],
)
def test_filter_problems_are_explained_in_the_language(client, directory, language, notice):
    html = client.get(address(language, "/partners/?country=zz")).content.decode()
    assert notice in html


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("es", "Página: «abc» no es un número de página, así que se muestra la página 1."),
        ("fr", "Il n\u2019y a pas de page 9 dans ces résultats (ils tiennent sur 1 page)"),
    ],
)
def test_bad_page_numbers_are_explained_in_the_language(client, directory, language, notice):
    page = "abc" if language == "es" else "9"
    html = client.get(address(language, f"/partners/?page={page}")).content.decode()
    assert notice in html


def test_organization_names_are_never_translated(client, directory):
    for language in ("es", "fr"):
        html = client.get(address(language, "/countries/honduras/")).content.decode()
        assert "Honduran Municipal Association" in html
        assert "AMHON" in html


def test_the_catalogues_are_complete_and_valid():
    for language in ("es", "fr"):
        path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        assert catalogue.percent_translated() == 100
        assert catalogue.fuzzy_entries() == []
        assert catalogue.metadata["Language"] == language


def test_translations_compile_with_polib_where_gettext_is_missing(settings, tmp_path, monkeypatch):
    for language in ("es", "fr"):
        folder = tmp_path / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        source = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
        (folder / "django.po").write_bytes(source.read_bytes())
    settings.LOCALE_PATHS = [tmp_path]
    monkeypatch.setattr("shutil.which", lambda name: None)
    call_command("translations", "--compile", verbosity=0)
    compiled = polib.mofile(str(tmp_path / "es" / "LC_MESSAGES" / "django.mo"))
    assert compiled.find("Partner directory").msgstr == "Directorio de socios"


# Country and region names, and their order ---------------------------------------------


def test_spanish_order_puts_n_tilde_after_n_and_accents_with_their_letter():
    words = ["Oman", "Ñandú", "Noruega", "Níger", "Nigeria", "Zambia", "Égypte", "Ecuador"]
    assert sorted_by_name(words, str, "es") == [
        "Ecuador",
        "Égypte",
        "Níger",
        "Nigeria",
        "Noruega",
        "Ñandú",
        "Oman",
        "Zambia",
    ]
    # Python's own order would put them last.
    assert sorted(words)[-2:] == ["Égypte", "Ñandú"]
    assert sort_key("Ñ", "es") > sort_key("Nz", "es")


def test_country_names_come_translated_from_django_countries(directory):
    south_africa = Country.objects.get(code="ZA")
    for language, name in (("en", "South Africa"), ("es", "Sudáfrica"), ("fr", "Afrique du Sud")):
        with translation.override(language):
            assert south_africa.local_name == name


def country_links(html, region):
    """The country names listed under `region`'s heading, in order."""
    section = html.split(f'id="region-{region}"')[1].split("</section>")[0]
    return re.findall(r'<a href="[^"]*/countries/[^"]+/">([^<]+)</a>', section)


@pytest.mark.parametrize(
    ("language", "heading", "americas"),
    [
        (
            "en",
            "Americas",
            ["Canada", "Costa Rica", "Dominican Republic", "Ecuador", "Honduras", "Panama"],
        ),
        (
            "es",
            "Américas",
            ["Canadá", "Costa Rica", "Ecuador", "Honduras", "Panamá", "República Dominicana"],
        ),
        (
            "fr",
            "Amériques",
            ["Canada", "Costa Rica", "Équateur", "Honduras", "Panama", "République dominicaine"],
        ),
    ],
)
def test_countries_are_listed_by_translated_region_in_the_language_order(
    client, directory, language, heading, americas
):
    html = client.get(address(language, "/countries/")).content.decode()
    assert f'id="region-americas">{heading}</h2>' in html
    assert country_links(html, "americas") == americas


def country_options(html):
    """The country filter's option labels, in the page's order."""
    select = html.split('<select name="country"')[1].split("</select>")[0]
    return [
        unescape(name)
        for name in re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', select)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_country_filter_lists_names_in_the_language_order(client, directory, language):
    options = country_options(client.get(address(language, "/partners/")).content.decode())
    with translation.override(language):
        assert options == sorted(options, key=sort_key)
        expected = {
            str(country.local_name) for country in Country.objects.with_published_partners()
        }
    assert set(options) == expected


def test_a_partner_page_names_its_region_and_type_in_the_language(client, directory):
    html = client.get(f"/es{PARTNER}").content.decode()
    assert ">Asia</a>" in html and ">Bilateral</a>" in html and ">India</a>" in html
    html = client.get("/fr/partners/environmental-center-for-arab-towns/").content.decode()
    assert "Partenaire multinational" in html
    assert ">Multinationale</a>" in html


# Dates and numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "summary"),
    [
        ("en", "1,234 partners in 1 country"),
        ("es", "1\u00a0234 socios en 1 país"),
        ("fr", "1\u00a0234 partenaires dans 1 pays"),
    ],
)
def test_counts_are_written_the_language_s_way(language, summary):
    with translation.override(language):
        assert results_summary(1234, 1) == summary


@pytest.mark.parametrize(
    ("language", "checked"),
    [("en", "March 2026"), ("es", "marzo de 2026"), ("fr", "mars 2026")],
)
def test_last_checked_dates_are_in_the_language(client, directory, language, checked):
    Organization.objects.filter(acronym="CMAK").update(last_verified=datetime.date(2026, 3, 5))
    html = client.get(address(language, PARTNER)).content.decode()
    assert f'<time datetime="2026-03">{checked}</time>' in html


@pytest.mark.parametrize(
    ("language", "figure"),
    [("en", "37</span> partners"), ("es", "37</span> socios"), ("fr", "37</span> partenaires")],
)
def test_home_page_figures_are_in_the_language(client, directory, language, figure):
    assert figure in client.get(address(language, "/")).content.decode()


def test_the_print_date_is_in_the_language(client, directory):
    with translation.override("es"):
        from django.utils.formats import date_format
        from django.utils.timezone import now

        today = date_format(now(), "DATE_FORMAT")
    assert " de " in today
    html = client.get("/es/print/partners/").content.decode()
    assert f"Impreso el {today} desde" in html


def test_the_partner_since_year_is_never_written_as_a_number_with_a_separator(client, directory):
    Organization.objects.filter(acronym="CMAK").update(partner_since=1998)
    for language in LANGUAGES:
        html = client.get(address(language, PARTNER)).content.decode()
        assert "<dd>1998</dd>" in html


def test_a_changed_translation_is_a_new_release_for_the_page_cache(settings, tmp_path):
    from icma_site.pagecache import versions

    settings.RELEASE = ""
    settings.LOCALE_PATHS = [tmp_path]
    catalogue = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    try:
        catalogue.write_text('msgid "Home"\nmsgstr "Inicio"\n', encoding="utf-8")
        versions.release.cache_clear()
        before = versions.release()
        catalogue.with_suffix(".mo").write_bytes(b"compiled")  # follows from the .po
        versions.release.cache_clear()
        assert versions.release() == before
        catalogue.write_text('msgid "Home"\nmsgstr "Portada"\n', encoding="utf-8")
        versions.release.cache_clear()
        assert versions.release() != before
    finally:
        versions.release.cache_clear()


# The kept lookups are shared by every language: what they hold is named and ordered
# for each page as it is shown.


@pytest.mark.parametrize("first", ["en", "es", "fr"])
def test_kept_lookups_serve_every_language_in_its_own_words_and_order(
    client, directory, kept_lookups, first
):
    client.get(address(first, "/partners/"))  # fills the lookups in one language
    for language in LANGUAGES:
        html = client.get(address(language, "/partners/?country=za")).content.decode()
        options = country_options(html)
        with translation.override(language):
            assert options == sorted(options, key=sort_key)
            south_africa = Country.objects.get(code="ZA").local_name
        assert south_africa in options
        assert f'<option value="ZA" selected>{south_africa}</option>' in html
        with translation.override(language):
            kinds = [(kind.slug, kind.local_name) for kind in RelationshipType.objects.all()]
        type_select = html.split('<select name="type"')[1].split("</select>")[0]
        shown = re.findall(r'<option value="([a-z-]+)">([^<]+)</option>', type_select)
        assert [(slug, unescape(name)) for slug, name in shown] == kinds
        home = client.get(address(language, "/")).content.decode()
        assert f">{south_africa}</a>" in home
        with translation.override(language):  # the map, kept per language too
            label = partner_label(south_africa, 2)
        assert f'aria-label="{escape(label)}"' in home


def directory_groups(html):
    """The country headings of a directory page, in the page's order."""
    return [
        unescape(name)
        for name in re.findall(r'class="country-group__title"><a href="[^"]+">([^<]+)</a>', html)
    ]


@pytest.mark.parametrize("kept", [False, True])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_directory_lists_countries_in_the_language_order_across_its_pages(
    client, directory, settings, monkeypatch, language, kept
):
    """Browsing in Spanish puts Eslovaquia before India (the database sorts by the
    English names, which put Slovakia after it): the groups follow the page's language,
    page after page, and the pages hold every partner once."""
    settings.DIRECTORY_LOOKUPS_CACHED = kept
    cache.clear()
    whole = directory_groups(client.get(address(language, "/partners/")).content.decode())
    with translation.override(language):
        assert whole == sorted(whole, key=sort_key)
        slovakia = Country.objects.get(code="SK").local_name
    if language == "es":  # In English, Slovakia comes after India, and after Palestine.
        assert whole.index(slovakia) < whole.index("India") < whole.index("Palestina")
    monkeypatch.setattr(PartnerDirectoryView, "paginate_by", 7)
    paged, cards, number = [], 0, 1
    while True:
        html = client.get(address(language, f"/partners/?page={number}")).content.decode()
        cards += html.count('class="partner-card"')
        for name in directory_groups(html):
            if not paged or paged[-1] != name:
                paged.append(name)
        if f"page={number + 1}" not in html:
            break
        number += 1
    assert number > 3
    assert paged == whole
    assert cards == Organization.objects.published().count()
    cache.clear()
