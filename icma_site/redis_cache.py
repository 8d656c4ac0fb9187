"""Django's Redis cache backend, with one Redis client per connection pool.

Django's backend builds a new `redis.Redis` around its connection pool for every cache
call, and with redis-py 8 building one (its table of response callbacks) costs more CPU
than the GET it is built for, on every page-cache hit. A client holds no per-call state
(connections come from the pool, which is thread-safe), so one per pool serves every
call. gunicorn's master loads the site but makes no cache call (icma_site/wsgi.py), so
no client crosses a fork.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def redis_client(self, write=False):
        """The redis.Redis behind this cache (for publish and subscribe)."""
        return self._cache.get_client(write=write)
