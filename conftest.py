"""Fixtures shared by the whole test suite."""

import contextlib

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.dataset import ensure_directory, load_directory, remove_directory

# The fixtures that make pytest-django set up the test database for a test (besides the
# django_db marker).
DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


def sets_up_the_database(item):
    return item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames)


@pytest.hookimpl(tryfirst=True)  # before `-m` selects on the markers
def pytest_collection_modifyitems(items):
    """Mark database_independent the tests that never touch the database, and the
    browser tests (what a browser makes of a page does not depend on the database the
    page was read from), besides those marked by hand."""
    for item in items:
        uses_database = sets_up_the_database(item) or "django_db_setup" in item.fixturenames
        if item.get_closest_marker("browser") or not uses_database:
            item.add_marker(pytest.mark.database_independent)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The Spanish and French .mo files, compiled from the committed .po files (the .mo
    files are never committed), so that `pytest` alone tests the current translations."""
    call_command("translations", "--compile", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """The test database, migrated, with the real directory loaded once for the whole run
    rather than once a test: every test sees it. A test that needs no partners asks for
    `empty_directory`; one that adds some has them taken away with its transaction."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        # pytest-django sets up the database only for tests that it sees using it; the
        # browser tests on the shared live server (tests/conftest.py) use it through
        # their server, so a run of only those sets it up here.
        own = None
        if not any(sets_up_the_database(item) for item in request.session.items):
            own = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        load_directory()
    yield
    if own:
        with django_db_blocker.unblock():
            teardown_databases(own, verbosity=0)


@pytest.fixture
def directory(db):
    """The real directory: fixtures/partners.json loaded as `load_partners` loads it.
    Loaded once for the run (django_db_setup), and again only after a transactional
    test's flush has emptied the database."""
    ensure_directory()


@pytest.fixture
def empty_directory(db):
    """No directory at all: the database as migrated. The test's transaction brings the
    directory back; after a transactional test, the next one that needs it loads it."""
    remove_directory()


@pytest.fixture
def fixture_path():
    return settings.PARTNERS_FIXTURE


@pytest.fixture
def source_document():
    path = settings.PARTNERS_SOURCE_DIR / "international-organizational-relationships.txt"
    return path.read_text(encoding="utf-8")


@pytest.fixture
def page_cache(settings):
    """The public pages' cache switched on (it is off in the test settings), empty before
    and after the test."""
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield cache
    with contextlib.suppress(Exception):  # A test may have pointed the cache at nothing.
        cache.clear()


@pytest.fixture
def kept_lookups(settings):
    """The directory's lookups kept per directory version (partners/listing/lookups.py), as with
    Redis (the test cache stands in)."""
    from django.core.cache import cache

    settings.DIRECTORY_LOOKUPS_CACHED = True
    cache.clear()
    yield
    cache.clear()
