"""The stored sessions, changed outside their own requests: an account's sessions ended, a
stored search taken out of every session.

Always through here, never the session table alone: with a shared cache the session engine is
`cached_db` (cccc.settings), which reads a session from the cache first, so a row deleted or
changed only in the table would live on in the cache until it expired.
"""

from collections.abc import Iterator
from datetime import datetime
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone


def live_sessions() -> Iterator[tuple[Session, dict[str, Any]]]:
    """Every session not yet expired, with its data. The table holds every session, whatever
    the engine (cached_db writes the table first)."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        yield session, session.get_decoded()


def _store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore()


def session_end(session_key: str) -> None:
    """Delete the session wherever the engine keeps it: its next request is signed out."""
    _store().delete(session_key)


def session_replace(session_key: str, data: dict[str, Any], expire_date: datetime) -> None:
    """Store new data for the session, keeping its expiry; any cached copy goes, so the next
    request reads the new data."""
    Session.objects.save(session_key, data, expire_date)
    if isinstance(_store(), cached_db.SessionStore):
        caches[settings.SESSION_CACHE_ALIAS].delete(cached_db.KEY_PREFIX + session_key)
