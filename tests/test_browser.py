"""End to end, in Debian's Chromium driven by Playwright, against the live server."""

import os
import re
import shutil

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

pytestmark = [pytest.mark.browser]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(message)  # In CI a missing browser is a failure, not a skip.
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server):
    call_command("load_partners", verbosity=0)
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not re.match(
                r"^(https?://(localhost|127\.0\.0\.1)(:\d+)?/|data:|about:)", request.url
            )
            else None
        ),
    )
    yield page
    context.close()
    assert outside == [], f"the page asked another host for {outside}"


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


def focus_by_tabbing(page, selector, limit=60):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the keyboard focus")


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


def test_a_visitor_suggests_a_correction_without_javascript(site, browser):
    from partners.models import Correction

    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site}/partners/city-managers-association-of-karnataka/")
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
