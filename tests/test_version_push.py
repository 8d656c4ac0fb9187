"""The directory version pushed to each process (icma_site/pagecache/version_push.py): a worker
stops asking Redis for it on every request, yet sees every change at once."""

import os
import secrets
import socket
import time

import pytest
import redis
from django.core.cache import cache

from icma_site.pagecache import entries, versions

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.database_independent,
    pytest.mark.usefixtures("page_cache"),
]

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True)
def shared_redis(settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379: CI needs it.")
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"icma-test-{secrets.token_hex(4)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "icma_site.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    entries.local_pages.clear()
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def live_watch():
    """Start this process's watch and wait until its subscription is confirmed."""
    versions.current_version()
    deadline = time.monotonic() + 5
    while not versions.version_watch.live:
        assert time.monotonic() < deadline, "the subscription was never confirmed"
        time.sleep(0.01)
    versions.current_version()  # remembered now


def test_with_a_live_subscription_the_version_is_not_read_again(monkeypatch):
    live_watch()
    version = versions.current_version()

    class Unreachable:
        def __getattr__(self, name):
            pytest.fail(f"asked the cache ({name})")

    monkeypatch.setattr(versions, "cache", Unreachable())
    assert versions.current_version() == version


def another_process_changes_the_directory(prefix):
    """What bump_directory_version does in another process: a new version, announced."""
    other = redis.Redis.from_url(REDIS_URL)
    key = cache.make_key(versions.VERSION_KEY)
    other.set(key, cache._cache._serializer.dumps(versions.new_version()))
    other.publish(key, b"changed")


def test_a_change_made_by_another_process_shows_at_once(client, directory, shared_redis):
    live_watch()
    client.get("/countries/")
    assert client.get("/countries/")["X-Cache"] == "hit"
    before = versions.current_version()[0]
    another_process_changes_the_directory(shared_redis)
    deadline = time.monotonic() + 2  # the message crosses a socket: a moment, not a timeout
    while versions.current_version()[0] == before:
        assert time.monotonic() < deadline, "the change was never heard"
        time.sleep(0.001)
    assert client.get("/countries/")["X-Cache"] == "miss"


def test_a_change_made_here_shows_without_waiting_for_its_message(client, directory):
    live_watch()
    before = versions.current_version()[0]
    versions.bump_directory_version()
    assert versions.current_version()[0] != before


def test_a_version_read_while_a_change_is_announced_is_not_kept():
    live_watch()
    versions.version_watch.forget()
    _, generation = versions.version_watch.cached()
    versions.version_watch.forget()  # a message arrives while the version is being read
    versions.version_watch.remember({"token": "stale", "changed_at": 0}, generation)
    assert versions.current_version()[0] != "stale"


def test_without_a_live_subscription_every_request_reads_the_version(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    versions.current_version()
    assert not versions.version_watch.live
    assert versions.version_watch.cached()[0] is None
