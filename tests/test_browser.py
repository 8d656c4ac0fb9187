"""End to end, in Debian's Chromium driven by Playwright, against the live server
(fixtures in tests/conftest.py)."""

import re

import pytest

from tests.keyboard import focus_by_tabbing

pytestmark = [pytest.mark.browser]


def test_filter_by_country_and_open_a_partner(site, page):
    page.goto(f"{site}/partners/")
    page.select_option("#id_country", label="India")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"country=IN"))
    assert "4 partners in 1 country" in page.inner_text(".results-summary")
    page.click("text=City Managers' Association of Karnataka")
    page.wait_for_url(re.compile(r"/partners/city-managers-association-of-karnataka/$"))
    assert page.inner_text("h1") == "City Managers' Association of Karnataka"


def test_search_then_follow_the_result(site, page):
    page.goto(f"{site}/partners/")
    page.fill("#id_q", "swaziland")
    page.press("#id_q", "Enter")
    page.wait_for_url(re.compile(r"q=swaziland"))
    assert "1 partner in 1 country" in page.inner_text(".results-summary")
    page.click(".partner-card__name a")
    assert "Swaziland (Eswatini)" in page.inner_text("h1")


def test_keyboard_alone(site, page):
    page.goto(f"{site}/partners/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    focus_by_tabbing(page, "#id_q")
    page.keyboard.type("stmou")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=stmou"))
    focus_by_tabbing(page, ".partner-card__name a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/partners/association-of-city-managers-of-the-czech-republic/"))
    assert page.inner_text("h1") == "Association of City Managers of the Czech Republic"


def test_keyboard_filter_by_region(site, page):
    page.goto(f"{site}/partners/")
    focus_by_tabbing(page, "#id_region")
    page.keyboard.press("ArrowDown")  # Africa
    focus_by_tabbing(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"region=africa"))
    assert "Region: Africa" in page.inner_text(".active-filters")


def test_focus_is_visible(site, page):
    page.goto(f"{site}/partners/")
    focus_by_tabbing(page, "#id_q")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_a_visitor_suggests_a_correction_without_javascript(writable_site, browser):
    from partners.models import Correction

    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{writable_site}/partners/city-managers-association-of-karnataka/")
        page.click("text=Suggest a correction")
        assert page.inner_text("h1") == "Suggest a correction"
        # The honeypot is off screen, for robots only.
        box = page.locator("#id_homepage").bounding_box()
        assert box["x"] + box["width"] <= 0
        page.fill("#id_what_is_wrong", "The acronym is wrong.")
        page.fill("#id_right_value", "CMAK")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/correction/sent/$"))
        assert page.inner_text("h1") == "Thank you"
    finally:
        context.close()
    assert Correction.objects.get().right_value == "CMAK"
