"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against a live
test server. In CI (CI set) a missing browser or axe-core is a failure, not a skip.

Tests that only read share one live server and the run's directory (`site`); tests
that write get a transactional database of their own (`writable_site`)."""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.dataset import ensure_directory

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Fetched by `python3 dev.py install` (see NPM_TOOLS there).
SHARE = Path(__file__).resolve().parent.parent / ".venv" / "share"
AXE_SCRIPT = Path(os.environ.get("AXE_SCRIPT", SHARE / "axe-core-4.14.1" / "axe.min.js"))
VNU_JAR = Path(os.environ.get("VNU_JAR", SHARE / "vnu-jar-26.9.27" / "vnu.jar"))
LOCAL = re.compile(r"^(https?://(localhost|127\.0\.0\.1)(:\d+)?/|data:|about:|blob:)")

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
# still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def missing(message):
    if os.environ.get("CI"):
        pytest.fail(message)  # In CI a missing tool is a failure, not a skip.
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def shared_live_server(django_db_setup):
    """One live server for every browser test that only reads. Not pytest-django's
    live_server: any test using that one is transactional, its database flushed
    afterwards and the directory loaded again for the next."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def site(shared_live_server, django_db_blocker):
    """The shared live server's address, serving the real directory as the whole run
    shares it, for a test that reads: nothing is flushed or loaded around it. A test
    that writes (through the browser or the ORM) uses writable_site."""
    from django.db import connections

    with django_db_blocker.unblock():
        ensure_directory()
        yield shared_live_server.url
        # Playwright runs the test in a context of its own: close the connections the
        # test opened there, which would otherwise outlive the test database.
        connections.close_all()


@pytest.fixture
def writable_site(transactional_db, live_server):
    """A live server for a test that writes: the database is flushed afterwards, so that
    no other test sees what it wrote."""
    from django.db import connections

    ensure_directory()
    yield live_server.url
    connections.close_all()  # as in `site`


@pytest.fixture
def open_page(browser):
    """open_page(width=390, height=844) → a new page in its own browser context, which
    fails the test if the page asked any other host for anything."""
    contexts = []
    outside = []

    def open_page(width=390, height=844, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "request",
            lambda request: None if LOCAL.match(request.url) else outside.append(request.url),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert outside == [], f"the page asked another host for {outside}"


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture(scope="session")
def axe_script():
    if not AXE_SCRIPT.exists():
        missing(f"axe-core not found at {AXE_SCRIPT}: run `python3 dev.py install` (needs npm).")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nu_checker():
    """The command that runs the Nu HTML Checker (Java and vnu.jar)."""
    java = shutil.which("java")
    if not java:
        missing(
            "Java not found: the Nu HTML Checker needs it (apt-get install default-jre-headless)."
        )
    if not VNU_JAR.exists():
        missing(f"The Nu HTML Checker not found at {VNU_JAR}: run `python3 dev.py install`.")
    return [java, "-jar", str(VNU_JAR)]
