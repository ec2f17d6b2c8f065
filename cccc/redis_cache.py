"""Django's Redis cache, keeping one Redis client per connection pool (issue 22).

Django's client makes a new `redis.Redis` for every cache operation; each one builds its
table of ~170 response callbacks, which cost more CPU than the network round trip to read a
session. A `redis.Redis` is safe to share: it takes a connection from its pool for each
command. Everything else is Django's (cccc.settings swaps this in for Django's Redis cache).
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, servers: Any, **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this client
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
