"""JSON-LD in a real Chromium under the site's strict Content-Security-Policy: the data
blocks are read as data, never run, and the browser reports no CSP violation."""

import json

import pytest

from partners.models import Country, Organization, RelationshipType

pytestmark = [pytest.mark.browser]

WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""
HOSTILE = '</script><script>window.__ran = "script"</script><img src=x onerror="window.__ran=1">'


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH_CSP)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.messages = messages
    return page


def json_ld_in_browser(tab):
    return tab.evaluate(
        """[...document.querySelectorAll('script[type="application/ld+json"]')]
             .map((element) => element.textContent)"""
    )


@pytest.mark.parametrize(
    "path",
    ["/", "/partners/", "/countries/india/", "/partners/city-managers-association-of-karnataka/"],
)
def test_json_ld_is_data_and_breaks_no_csp_rule(site, watched, path):
    response = watched.goto(f"{site}{path}")
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "script-src" not in policy  # default-src 'self'
    blocks = json_ld_in_browser(watched)
    assert len(blocks) == 1
    assert json.loads(blocks[0])["@context"] == "https://schema.org"
    assert watched.evaluate("window.__violations") == []
    assert not [text for text in watched.messages if "Content Security Policy" in text]


def test_hostile_text_in_the_data_never_runs(writable_site, watched):
    Organization.objects.create(
        name=HOSTILE,
        slug="hostile",
        country=Country.objects.get(code="CZ"),
        relationship_type=RelationshipType.objects.get(slug="bilateral"),
    )
    watched.goto(f"{writable_site}/partners/hostile/")
    assert watched.evaluate("typeof window.__ran") == "undefined"
    [block] = json_ld_in_browser(watched)
    assert json.loads(block)["name"] == HOSTILE
    assert watched.inner_text("h1") == HOSTILE
    assert watched.evaluate("window.__violations") == []


def test_the_watch_would_see_an_inline_script_refused(site, watched):
    """The check above can fail: an inline script that is real JavaScript is refused."""
    watched.goto(f"{site}/")
    watched.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = 1"; document.body.append(s); }"""
    )
    watched.wait_for_function("window.__violations.length > 0")
    assert watched.evaluate("typeof window.__ran") == "undefined"
