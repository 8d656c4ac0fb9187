"""The directory version, pushed to each worker rather than read on every request.

Every page-cache hit, and every directory page through its kept lookups, needs the
directory version (icma_site/pagecache/). Read from Redis each time, that round trip was
most of what a hit cost beyond a static file. Instead, each worker process subscribes to
a Redis channel named after the version key; `bump_directory_version` publishes on it
after it stores a new version. While the subscription is live, a worker remembers the
version it last read and reads it again only after a message says it changed.
(Redis's own client-side caching would do the same, but redis-py's made a hit 40 times
slower.)

It stays right because:

- A version read is remembered only if no message arrived while it was being read
  (a generation counter), so a change racing a read is never lost.
- The process that makes a change forgets its own version at once, without waiting for
  its message.
- A subscription that is not live (not yet confirmed, broken, or silent: a ping every
  second must be answered within PING_GRACE seconds) remembers nothing: each request
  reads the version from Redis, as without this module. A worker whose link to Redis
  fails silently can therefore serve pages of the previous version for at most about
  PING_GRACE seconds.

Only with icma_site.redis_cache.RedisCache as the default cache (production); with any
other cache, `cached()` never gives a value.
"""

import logging
import os
import threading
import time

from django.core.cache import cache, caches

logger = logging.getLogger(__name__)

# Seconds without any answer from Redis after which a subscription is taken for dead.
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
        `generation` was taken (or the subscription is not live)."""
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
