"""The directory's version and the running release: both are in every cached page's key,
so that a change to the directory, or a deploy, retires every cached page at once.

The version is replaced whenever the directory changes (partners/signals.py, once the
transaction commits), and each process keeps its copy while Redis pushes the changes to
it (version_push.py).
"""

import hashlib
import logging
import secrets
import time
from functools import lru_cache
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction

from icma_site.pagecache.version_push import VersionWatch, announce

logger = logging.getLogger("icma_site.pagecache")

VERSION_KEY = "directory-version"
RELEASE_KEY = "page-release:{release}"
RELEASE_KEY_SECONDS = 60 * 60 * 24 * 90

# This process's copy of the version, kept while Redis pushes its changes.
version_watch = VersionWatch(VERSION_KEY)
setting_changed.connect(version_watch.reset, dispatch_uid="icma-version-watch")


def new_version():
    return {"token": f"{time.time_ns():x}.{secrets.token_hex(3)}", "changed_at": time.time()}


def bump_directory_version():
    """Retire every cached page: the directory changed."""
    try:
        cache.set(VERSION_KEY, new_version(), timeout=None)
        version_watch.forget()  # This process at once, not when its own message comes.
        announce(VERSION_KEY)
    except Exception:
        logger.exception("Could not record a directory change in the cache")


def directory_changed(using=None):
    """Called by the signal receivers: bump the version once the change is committed (at
    once outside a transaction). Bumping before the commit would let a page rendered from
    the old data be cached under the new version."""
    transaction.on_commit(bump_directory_version, using=using)


def _version():
    version, generation = version_watch.cached()
    if version is not None:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), timeout=None)
        version = cache.get(VERSION_KEY) or new_version()
    version_watch.remember(version, generation)
    return version


def directory_version():
    """The directory's version token: it changes whenever the directory does."""
    return _version()["token"]


def current_version():
    """(version token, last-modified timestamp) of the directory and the running release."""
    version = _version()
    return version["token"], max(version["changed_at"], release_first_seen(version["token"]))


_first_seen = {}


def release_first_seen(version):
    """When the running release first served a page (shared by every process: the first
    one records it). It never changes for a release, so each process reads it once per
    directory version rather than on every request."""
    key = (release(), version)
    if key not in _first_seen:
        release_key = RELEASE_KEY.format(release=release())
        first_seen = cache.get(release_key)
        if first_seen is None:
            cache.add(release_key, time.time(), timeout=RELEASE_KEY_SECONDS)
            first_seen = cache.get(release_key) or time.time()
        _first_seen.clear()
        _first_seen[key] = first_seen
    return _first_seen[key]


@lru_cache(maxsize=1)
def release():
    """settings.RELEASE, or a hash of what shapes the pages: the code, the templates, the
    static files (their hashed names appear in pages), the translations (their .po
    sources: the compiled .mo files follow from them) and Django's version."""
    if settings.RELEASE:
        return settings.RELEASE
    base = Path(settings.BASE_DIR)
    folders = [
        base / "icma_site",
        base / "partners",
        *(Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])),
        *(Path(folder) for folder in settings.STATICFILES_DIRS),
        *(Path(folder) for folder in settings.LOCALE_PATHS),
    ]
    digest = hashlib.sha256(django.get_version().encode())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".mo":
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]
