"""Calendar files (iCalendar, RFC 5545), written with the `icalendar` library.

An event holds a time window, the centre's address, a summary with no name in it, a stable
UID, a SEQUENCE that goes up each time the event changes, and its status: nothing about a
family, a reference or anyone else. The UID is a keyed hash of what the event is for (the
session and the adult or volunteer), so it is the same every time that event is sent, and
tells nothing to whoever reads it. Times are written in UTC.

METHOD:REQUEST for an email that adds or changes events in the reader's calendar,
METHOD:CANCEL for one that takes an event away (same UID, higher SEQUENCE), METHOD:PUBLISH for
a volunteer's calendar feed.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vCalAddress
from icalendar import Event as VEvent

from cccc.crypto import blind_index

PRODID = "-//Contact centre administration//EN"
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    location: str
    sequence: int = 0
    cancelled: bool = False


def event_uid(kind: str, *ids: int) -> str:
    """The same UID for the same event every time, e.g. event_uid("adult", session, adult)."""
    digest = blind_index("calendar-event", f"{kind}:" + ":".join(str(i) for i in ids))
    host = urlparse(settings.SITE_URL).hostname or "contact-centre.invalid"
    return f"{digest[:32]}@{host}"


def calendar(events: list[Event], *, method: str, name: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for item in events:
        event = VEvent()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start.astimezone(datetime.UTC))
        event.add("dtend", item.end.astimezone(datetime.UTC))
        event.add("sequence", item.sequence)
        event.add("summary", item.summary)
        event.add("location", item.location)
        event.add("status", "CANCELLED" if item.cancelled or method == CANCEL else "CONFIRMED")
        if method != PUBLISH:
            # iTIP (RFC 5546) asks a REQUEST or CANCEL to name its organiser: the centre's
            # sending address, never a person.
            organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
            event.add("organizer", organizer)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
