"""A session's room as text, for the pages that group or sort sessions by room (the day
sheet, the weekly rota).

Issue 17 turns `ContactSession.room` from text into a Room record whose str() is its name;
these read either shape, so the pages do not depend on which is merged first."""

from django.db.models import QuerySet

from families.models import ContactSession


def room_name(session: ContactSession) -> str:
    """The room's name, or "" when the session has none."""
    return str(session.room) if session.room else ""


def with_room(sessions: QuerySet[ContactSession]) -> QuerySet[ContactSession]:
    """The sessions with their room loaded in the same query when the room is a record (one
    query for the page, not one per session)."""
    if ContactSession._meta.get_field("room").is_relation:
        # Named through a variable: the type checker reads the model as it is today.
        related: tuple[str, ...] = ("room",)
        return sessions.select_related(*related)
    return sessions


def room_column() -> str:
    """The lookup that reads the room's name as a plain value (`values_list`), for the pages
    that read sessions as values rather than instances."""
    return "room__name" if ContactSession._meta.get_field("room").is_relation else "room"
