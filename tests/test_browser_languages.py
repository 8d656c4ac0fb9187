"""The languages in a real browser (Chromium, fixtures in tests/conftest.py): the switcher
works by keyboard and without JavaScript, keeps the page and its filters, and a browser
that prefers another language still gets the address's language."""

import re

import pytest

from tests.keyboard import focus_by_tabbing

pytestmark = [pytest.mark.browser]


def test_switch_language_by_keyboard_keeping_the_filters(site, page):
    page.goto(f"{site}/partners/?country=in&type=bilateral")
    focus_by_tabbing(page, ".language-switcher a[hreflang=fr]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/fr/partners/\?country=in&type=bilateral$"))
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert "4 partenaires dans 1 pays" in page.inner_text(".results-summary")
    assert page.input_value("#id_country") == "IN"


def test_the_switcher_needs_no_javascript_and_the_browser_s_preference_is_ignored(site, browser):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{site}/countries/india/")
        assert page.inner_text("h1") == "India"  # English at the root, whatever the browser says
        page.click(".language-switcher a[hreflang=es]")
        page.wait_for_url(re.compile(r"/es/countries/india/$"))
        assert page.locator("html").get_attribute("lang") == "es"
        assert page.inner_text("h2#national") == "Socios en India"
    finally:
        context.close()
