"""The offer of another language on an English page (templates/includes/language_offer.html
and static/js/language-offer.js): every visitor gets the same page, with a hidden line per
other language in that language; the browser shows the one of the language it prefers.
The page never varies on Accept-Language. In Chromium (tests/conftest.py) for what the
script does; with Django's test client for the page itself."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PARTNER = "/partners/city-managers-association-of-karnataka/"
LINES = {"es": "This page is also in Spanish.", "fr": "This page is also in French."}
STORAGE_KEY = "icma-language-offer"


def line_in(language):
    """The offer's line as the catalogue of `language` writes it."""
    with translation.override(language):
        return translation.gettext(LINES[language])


class Offers(HTMLParser):
    """The page's offers ({language: attributes of the aside, of its link, its text}) and
    its <script>s' attributes."""

    def __init__(self):
        super().__init__()
        self.offers, self.scripts, self.current, self.in_link = {}, [], None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "aside" and "data-language-offer" in attrs:
            self.current = attrs["data-language-offer"]
            self.offers[self.current] = {"aside": attrs, "link": None, "text": ""}
        elif tag == "a" and self.current:
            self.offers[self.current]["link"], self.in_link = attrs, True
        elif tag == "script":
            self.scripts.append(attrs)

    def handle_endtag(self, tag):
        if tag == "aside":
            self.current = None
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data):
        if self.current and self.in_link:
            self.offers[self.current]["text"] += data.strip()

    @classmethod
    def of(cls, html):
        parser = cls()
        parser.feed(html)
        return parser


OFFER_SCRIPT = re.compile(r"/static/js/language-offer\.js$")


def offer_scripts(page):
    return [attrs for attrs in page.scripts if OFFER_SCRIPT.search(attrs.get("src", ""))]


# The page ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/partners/?country=in&type=bilateral", PARTNER])
def test_an_english_page_carries_each_other_language_s_line_hidden(client, directory, path):
    page = Offers.of(client.get(path).content.decode())
    assert sorted(page.offers) == ["es", "fr"]
    for language, offer in page.offers.items():
        assert "hidden" in offer["aside"]  # shown by the script alone
        assert offer["aside"]["lang"] == language
        assert offer["aside"]["aria-label"]
        assert offer["link"]["href"] == f"/{language}{path}"  # the same page, query and all
        assert offer["link"]["hreflang"] == language
        assert offer["text"] == line_in(language)
    # The script, a file (the CSP allows no inline script), right after the lines and not
    # deferred: it shows a line before the header is drawn.
    assert ["defer" in attrs for attrs in offer_scripts(page)] == [False]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr"])
def test_a_spanish_or_french_page_offers_nothing_and_only_remembers_the_switcher(
    client, directory, language
):
    page = Offers.of(client.get(f"/{language}/partners/").content.decode())
    assert page.offers == {}
    assert ["defer" in attrs for attrs in offer_scripts(page)] == [True]


@pytest.mark.django_db
def test_the_404_page_offers_nothing(client, directory):
    response = client.get("/partners/no-such-partner/")
    assert response.status_code == 404
    assert Offers.of(response.content.decode()).offers == {}


@pytest.mark.django_db
def test_the_correction_form_has_no_offer_and_no_script(client, directory):
    html = client.get(f"{PARTNER}correction/").content.decode()
    assert Offers.of(html).offers == {}
    assert "<script" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/partners/", PARTNER])
def test_the_page_is_the_same_whatever_the_browser_prefers(client, directory, path):
    pages = [
        client.get(path, headers={"accept-language": preference})
        for preference in ("es-ES,es;q=0.9", "fr", "en-US", "de")
    ]
    assert len({page.content for page in pages}) == 1
    for page in pages:
        assert "accept-language" not in page.get("Vary", "").lower()
        assert not page.cookies


def test_the_script_is_a_static_file_and_the_policy_allows_no_inline_script():
    assert (Path(settings.BASE_DIR) / "static" / "js" / "language-offer.js").is_file()
    script_sources = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].get(
        "script-src", settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["default-src"]
    )
    assert "'unsafe-inline'" not in script_sources


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_line_and_the_close_button_are_translated(language):
    """The line and its button are in the language they offer, not in English."""
    with translation.override(language):
        assert translation.gettext(LINES[language]) != LINES[language]
        assert translation.gettext("Close this message") != "Close this message"


# In Chromium ---------------------------------------------------------------------------


def visible_offers(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('.language-offer')]
            .filter(e => e.checkVisibility()).map(e => e.lang)"""
    )


@pytest.mark.browser
@pytest.mark.parametrize(("locale", "language"), [("es-ES", "es"), ("fr-FR", "fr")])
def test_a_browser_preferring_spanish_or_french_is_offered_its_language(
    site, open_page, locale, language
):
    page = open_page(width=1280, height=800, locale=locale)
    response = page.goto(f"{site}/partners/?country=in")
    assert "accept-language" not in (response.headers.get("vary") or "").lower()
    assert visible_offers(page) == [language]
    offer = page.locator(f".language-offer[lang={language}]")
    assert offer.inner_text().startswith(line_in(language))
    link = offer.get_by_role("link")
    assert link.get_attribute("href") == f"/{language}/partners/?country=in"
    # Above the header, on one line.
    offer_box, header_box = offer.bounding_box(), page.locator(".site-header").bounding_box()
    assert offer_box["y"] + offer_box["height"] <= header_box["y"] + 0.5
    assert offer_box["height"] < 60
    link.click()
    page.wait_for_url(f"{site}/{language}/partners/?country=in")
    assert page.evaluate("document.documentElement.lang") == language
    assert visible_offers(page) == []  # nothing on a Spanish or French page


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["en-US", "de-DE", "en-GB"])
def test_a_browser_preferring_english_or_another_language_sees_nothing(site, open_page, locale):
    page = open_page(width=1280, height=800, locale=locale)
    page.goto(f"{site}/partners/")
    assert visible_offers(page) == []


@pytest.mark.browser
def test_the_first_of_the_site_s_languages_the_browser_lists_decides(site, browser):
    """German first, then English, then Spanish: English comes first of the three."""
    context = browser.new_context(locale="de-DE")
    try:
        for languages, offered in ((["de-DE", "en", "es"], []), (["de-DE", "es-MX", "en"], ["es"])):
            page = context.new_page()
            page.add_init_script(
                f"Object.defineProperty(navigator, 'languages', {{get: () => {languages}}})"
            )
            page.goto(f"{site}/")
            assert visible_offers(page) == offered
    finally:
        context.close()


@pytest.mark.browser
def test_closing_by_keyboard_is_remembered_across_pages(site, open_page):
    page = open_page(width=390, height=844, locale="es-ES")
    page.goto(f"{site}/")
    close = page.locator(".language-offer[lang=es] .language-offer__close")
    assert close.get_attribute("aria-label") and close.is_visible()
    page.keyboard.press("Tab")  # the skip link, then the offer's link, then its button
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert close.evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    assert visible_offers(page) == []
    # The focus goes on to the header, not back to the start of the page.
    assert page.evaluate("document.activeElement.closest('.site-header') !== null")
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") == "closed"
    page.goto(f"{site}/partners/")
    assert visible_offers(page) == []
    page.reload()
    assert visible_offers(page) == []


@pytest.mark.browser
def test_choosing_a_language_in_the_switcher_ends_the_offer(site, open_page):
    page = open_page(width=1280, height=800, locale="fr-FR")
    page.goto(f"{site}/countries/india/")
    assert visible_offers(page) == ["fr"]
    page.click(".language-switcher a[hreflang=es]")
    page.wait_for_url(f"{site}/es/countries/india/")
    page.click(".language-switcher a[hreflang=en]")
    page.wait_for_url(f"{site}/countries/india/")
    assert visible_offers(page) == []


@pytest.mark.browser
def test_the_page_does_not_move_where_nothing_is_offered(site, open_page):
    """With or without the script, and with the offer closed, the header is where it is
    without JavaScript: the hidden lines take no room."""
    tops = []
    for options in ({"locale": "en-US"}, {"locale": "es-ES", "java_script_enabled": False}):
        page = open_page(width=390, height=844, **options)
        page.goto(f"{site}/partners/")
        assert visible_offers(page) == []
        tops.append(page.locator(".site-header").bounding_box()["y"])
    assert tops == [0, 0]


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_the_offer_shown_has_no_axe_violations(site, open_page, axe_script, width):
    from tests.test_accessibility import axe_violations

    page = open_page(width=width, height=900, locale="es-ES")
    page.goto(f"{site}/partners/?country=in")
    assert visible_offers(page) == ["es"]
    violations = axe_violations(page, axe_script)
    assert not violations, "\n".join(violations)
