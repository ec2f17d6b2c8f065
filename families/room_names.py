"""A session's room as text, for the pages that group or sort sessions by room (the day
sheet, the weekly rota). A session's room is a Room record (families/models/room.py), or
none for a past session recorded without one."""

from django.db.models import QuerySet

from families.models import ContactSession


def room_name(session: ContactSession) -> str:
    """The room's name, or "" when the session has none."""
    return session.room.name if session.room else ""


def with_room(sessions: QuerySet[ContactSession]) -> QuerySet[ContactSession]:
    """The sessions with their room loaded in the same query (one query for the page, not one
    per session)."""
    return sessions.select_related("room")


def room_column() -> str:
    """The lookup that reads the room's name as a plain value (`values_list`), for the pages
    that read sessions as values rather than instances."""
    return "room__name"
