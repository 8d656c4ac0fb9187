"""Accessibility in a real browser: axe-core on every template at phone and desktop widths,
the focus indicator's contrast on each kind of control, and the world map by keyboard.

axe-core (pinned in dev.py, fetched from the npm registry) runs inside Debian's Chromium.
The public pages are partners/pages.py's: a page added there is checked here."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from partners import pages
from partners.models import Organization
from tests.factories import grow_directory_to

pytestmark = [pytest.mark.browser]

WIDTHS = [390, 1280]
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@dataclass
class Visit:
    """A page to check: its path (or a function of nothing giving it, once the data is
    loaded), whether it needs a signed-in superuser, how many organizations the directory
    should have (more than a page of results, for a paginated list), the status it
    answers and the colour scheme the browser asks for."""

    path: object
    staff: bool = False
    organizations: int | None = None
    status: int = 200
    color_scheme: str = "light"

    def url(self):
        return self.path() if callable(self.path) else self.path


def change_form():
    organization = Organization.objects.get(acronym="SALGA")
    return reverse("admin:partners_organization_change", args=[organization.pk])


# In Spanish and French too (longer words, the language switcher's other state), for
# these of partners/pages.py's examples.
TRANSLATED = {"directory-filtered": "es", "partner-multinational": "fr"}


def public_visits():
    """Every example of every public page people read (partners/pages.py), in English,
    and those in TRANSLATED in their language too."""
    visits = {}
    for name, (page, example) in pages.examples(html=True).items():
        visits[name] = Visit(
            page.path(example, "en"), organizations=example.organizations, status=example.status
        )
        if name in TRANSLATED:
            language = TRANSLATED[name]
            visits[f"{name}-{language}"] = Visit(page.path(example, language))
    return visits


PAGES = {
    **public_visits(),
    "admin-login": Visit("/admin/login/"),
    "admin-index": Visit("/admin/", staff=True),
    "admin-change-list": Visit("/admin/partners/organization/", staff=True),
    "admin-change-list-filtered": Visit(
        "/admin/partners/organization/?country__region=africa&q=association", staff=True
    ),
    "admin-change-form": Visit(change_form, staff=True),
    "admin-add-form": Visit("/admin/partners/organization/add/", staff=True),
    "admin-change-form-dark": Visit(change_form, staff=True, color_scheme="dark"),
    "admin-corrections": Visit("/admin/partners/correction/", staff=True),
    "admin-import": Visit("/admin/partners/organization/import/", staff=True),
}


def sign_in(page, live_server_url):
    """Give the page's browser context a superuser's session cookie. The superuser is
    made once and kept with the directory the read-only browser tests share."""
    users = get_user_model().objects
    user = users.filter(username="axe").first() or users.create_superuser(
        "axe", "axe@example.org", "axe-password"
    )
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server_url,
            }
        ]
    )


def axe_violations(page, axe_script):
    """axe-core's WCAG 2.2 A/AA violations on the page, as readable lines."""
    page.evaluate(axe_script)
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:8])
        for violation in results["violations"]
    ]


def check_with_axe(site, open_page, axe_script, visit, width):
    page = open_page(width=width, height=900, color_scheme=visit.color_scheme)
    if visit.staff:
        sign_in(page, site)
    response = page.goto(site + visit.url())
    assert response.status == visit.status
    violations = axe_violations(page, axe_script)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [name for name, visit in PAGES.items() if not visit.organizations])
def test_no_axe_violations(site, open_page, axe_script, name, width):
    check_with_axe(site, open_page, axe_script, PAGES[name], width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", [name for name, visit in PAGES.items() if visit.organizations])
def test_no_axe_violations_with_more_than_a_page_of_partners(
    writable_site, open_page, axe_script, name, width
):
    visit = PAGES[name]
    grow_directory_to(visit.organizations)
    check_with_axe(writable_site, open_page, axe_script, visit, width)


# The focus indicator ----------------------------------------------------------------


def luminance(rgb):
    """WCAG relative luminance of an sRGB colour (0-255 channels)."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (channel / 255 for channel in rgb[:3])
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_change(page, selector, component=None, margin=24):
    """(pixels that changed by at least 3:1 when the element got the keyboard focus,
    the area WCAG 2.4.13 asks for: a 2 px thick perimeter of the unfocused component).

    The element is focused as a keyboard user would focus it (after a key press, so that
    :focus-visible applies); `component` is the selector of the part whose size counts
    (a map country's shape rather than its link), by default the element itself."""
    from io import BytesIO

    from PIL import Image

    element = page.locator(selector).first
    element.evaluate("e => e.scrollIntoView({block: 'center', inline: 'center'})")
    page.keyboard.press("Shift")  # the last interaction was the keyboard's
    page.evaluate("document.activeElement && document.activeElement.blur()")
    box = page.locator(component or selector).first.bounding_box()
    viewport = page.viewport_size
    left, top = max(0, box["x"] - margin), max(0, box["y"] - margin)
    clip = {
        "x": left,
        "y": top,
        "width": min(viewport["width"], box["x"] + box["width"] + margin) - left,
        "height": min(viewport["height"], box["y"] + box["height"] + margin) - top,
    }
    before = Image.open(BytesIO(page.screenshot(clip=clip))).convert("RGB")
    element.evaluate("e => e.focus({preventScroll: true})")
    assert element.evaluate("e => e.matches(':focus-visible')"), f"{selector} not focused"
    after = Image.open(BytesIO(page.screenshot(clip=clip))).convert("RGB")
    old, new = before.tobytes(), after.tobytes()  # RGB, 3 bytes a pixel
    changed = sum(
        1
        for i in range(0, len(old), 3)
        if old[i : i + 3] != new[i : i + 3] and contrast(old[i : i + 3], new[i : i + 3]) >= 3
    )
    required = 4 * (box["width"] + box["height"])
    return changed, required


CONTROLS = {
    "admin input": ("/admin/login/", "#id_username", None),
    "admin button": ("/admin/login/", "input[type=submit]", None),
    "link on a light page": ("/partners/", ".partner-card__name a", None),
    "link in the dark header": ("/partners/", ".site-nav a[aria-current]", None),
    "link in the dark footer": ("/partners/", ".site-footer__links a", None),
    "chip link": ("/partners/?region=asia", ".chip", None),
    "button": ("/partners/", ".filters button[type=submit]", None),
    "secondary button": ("/partners/?q=nowhere-at-all", ".empty-state .button", None),
    "search input": ("/partners/", "#id_q", None),
    "select": ("/partners/", "#id_country", None),
    "home search input": ("/", "#home-q", None),
    "figure tile": ("/", ".figures__list a", None),
    "large map country": ("/", 'a.world-map__partner[href="/countries/india/"]', None),
    "small map country (Costa Rica)": (
        "/",
        'a.world-map__partner[href="/countries/costa-rica/"]',
        'a.world-map__partner[href="/countries/costa-rica/"] path',
    ),
    "map country under a neighbour's marker (Israel)": (
        "/",
        'a.world-map__partner[href="/countries/israel/"]',
        'a.world-map__partner[href="/countries/israel/"] path',
    ),
    "map country drawn as a marker (Palestine)": (
        "/",
        'a.world-map__partner[href="/countries/palestine/"]',
        'a.world-map__partner[href="/countries/palestine/"] circle.world-map__marker',
    ),
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("control", CONTROLS)
def test_focus_indicator_contrasts_3_to_1_over_the_area_wcag_asks(site, open_page, control, width):
    path, selector, component = CONTROLS[control]
    page = open_page(width=width, height=900)
    page.emulate_media(color_scheme="light")
    page.goto(site + path)
    changed, required = focus_change(page, selector, component)
    assert changed >= required, f"{changed} px changed by 3:1, {required:.0f} px needed"


@pytest.mark.parametrize("selector", ["#id_username", "input[type=submit]"])
def test_admin_focus_indicator_contrasts_in_the_dark_theme_too(site, open_page, selector):
    page = open_page(width=1280, height=900, color_scheme="dark")
    page.goto(site + "/admin/login/")
    changed, required = focus_change(page, selector)
    assert changed >= required, f"{changed} px changed by 3:1, {required:.0f} px needed"


# The map by keyboard ----------------------------------------------------------------


def tab_until(page, selector, limit=120):
    """Press Tab until the focused element matches `selector`; return the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} never got the keyboard focus")


def test_keyboard_reaches_a_small_country_on_the_map_and_its_focus_shows(site, open_page):
    page = open_page(width=390)
    page.goto(site + "/")
    costa_rica = 'a.world-map__partner[href="/countries/costa-rica/"]'
    tab_until(page, costa_rica)
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    ring = page.locator(f"{costa_rica} .world-map__ring--outer")
    assert ring.evaluate("e => getComputedStyle(e).stroke") != "none"
    changed, required = focus_change(page, costa_rica, f"{costa_rica} path")
    assert changed >= required
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/costa-rica/")
    assert page.inner_text("h1") == "Costa Rica"


def test_while_a_country_has_the_focus_no_other_partner_is_drawn_over_its_ring(site, open_page):
    page = open_page(width=1280)
    page.goto(site + "/")
    israel = 'a.world-map__partner[href="/countries/israel/"]'
    tab_until(page, israel)
    opacity = page.evaluate(
        """() => [...document.querySelectorAll('.world-map__partner--small')]
            .filter(link => link !== document.activeElement)
            .map(link => getComputedStyle(link).opacity)"""
    )
    assert opacity and set(opacity) == {"0.3"}
    assert page.locator(israel).evaluate("e => getComputedStyle(e).opacity") == "1"


def test_keyboard_users_can_skip_the_map(site, open_page):
    page = open_page(width=1280)
    page.goto(site + "/")
    map_links = page.locator("a.world-map__partner").count()
    assert map_links == 31
    tab_until(page, ".skip-map")
    assert page.locator(".skip-map").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#regions, .regions') !== null")
    assert page.evaluate("document.activeElement.textContent") == "Eswatini"
