"""Fixed-window request counters in the cache, for throttling requests that are not sign-ins
(django-axes throttles those).

A counter's key is a keyed hash of what is counted (an email address, a client address), so
the cache never holds the value itself. Several web processes must share one cache for the
limits to hold across them: production sets CACHE_URL to Redis (.env.example).
"""

from django.core.cache import cache
from django.utils.crypto import salted_hmac


def _key(scope: str, value: str) -> str:
    digest = salted_hmac("cccc.throttle", f"{scope}|{value}", algorithm="sha256").hexdigest()
    return f"throttle:{scope}:{digest}"


def throttle_count(*, scope: str, value: str, window: int) -> int:
    """Count one more request for `value` in the current window; return the count so far."""
    key = _key(scope, value)
    cache.add(key, 0, timeout=window)  # starts the window; does nothing if it is running
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        return 1
