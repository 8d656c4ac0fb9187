"""The directory version, pushed to each worker rather than read on every request.

Every page-cache hit needs the directory version, and reading it from Redis would add a
round trip to a hit that otherwise needs none. So each worker subscribes to a Redis
channel named after the version key, on which `bump_directory_version` publishes, and
reads the version again only after a message says it changed. (redis-py's client-side
caching would do the same, but costs every call more than the round trip it saves.)
Only with icma_site.redis_cache.RedisCache as the default cache (production).
"""

import logging
import os
import threading
import time

from django.core.cache import cache, caches

logger = logging.getLogger(__name__)

# Seconds without any answer from Redis after which a subscription is taken for dead. A
# subscription not live remembers nothing (each request reads Redis), so a worker whose
# link fails silently serves the previous version for at most about this long.
PING_GRACE = 3.0


def is_supported():
    from icma_site.redis_cache import RedisCache

    return isinstance(caches["default"], RedisCache)


def channel(key):
    return cache.make_key(key)


class VersionWatch:
    """One per process: the value at `key` it may use without asking Redis."""

    def __init__(self, key):
        self.key = key
        self.lock = threading.Lock()
        self.value = None
        self.generation = 0
        self.live = False
        self.pid = None
        self.session = 0

    def cached(self):
        """(value or None, generation): with None, read the value from Redis and
        `remember(value, generation)`."""
        if self.pid != os.getpid():
            self.start()
        return (self.value if self.live else None), self.generation

    def remember(self, value, generation):
        """Keep `value`, read from Redis, unless a change was announced since
        `generation` was taken (or the subscription is not live): a change racing the
        read is never lost."""
        with self.lock:
            if self.live and generation == self.generation:
                self.value = value

    def forget(self):
        with self.lock:
            self.generation += 1
            self.value = None

    def start(self):
        with self.lock:
            if self.pid == os.getpid():
                return
            # A new process (or a fork of one): nothing inherited is trusted.
            self.pid = os.getpid()
            self.live = False
            self.value = None
            self.session += 1
            if not is_supported():
                return
            thread = threading.Thread(
                target=self.watch, args=(self.session,), name="directory-version", daemon=True
            )
            thread.start()

    def reset(self, **kwargs):
        """Stop watching (the cache settings changed: in tests); the next request starts
        again with the new settings."""
        with self.lock:
            self.pid = None
            self.live = False
            self.value = None
            self.session += 1

    def set_live(self, live, session):
        with self.lock:
            if session != self.session:
                return
            self.live = live
            self.generation += 1
            self.value = None

    def watch(self, session):
        while session == self.session:
            try:
                self.listen(session)
            except Exception as error:
                logger.warning("Directory version subscription lost, reconnecting: %s", error)
            self.set_live(False, session)
            if session == self.session:
                time.sleep(1)

    def listen(self, session):
        """Subscribe, then forget the version at each message; return when the
        subscription is lost or silent, or the watch was reset."""
        subscription = caches["default"].redis_client().pubsub()
        try:
            subscription.subscribe(channel(self.key))
            last_heard = time.monotonic()
            while session == self.session and time.monotonic() - last_heard < PING_GRACE:
                message = subscription.get_message(timeout=1.0)
                if message is None:
                    subscription.ping()
                    continue
                last_heard = time.monotonic()
                if message["type"] == "subscribe":
                    self.set_live(True, session)
                elif message["type"] == "message":
                    self.forget()
        finally:
            subscription.close()


def announce(key):
    """Tell every process's watch that the value at `key` changed."""
    if is_supported():
        caches["default"].redis_client(write=True).publish(channel(key), b"changed")
