"""A volunteer's private calendar feed (issue 18, point 3): an address a calendar app
subscribes to, listing the sessions the volunteer is on the rota of, with their times and
room and nothing about any family.

The address ends in a secret token (256 random bits). Only its SHA-256 is stored, so nobody
reading the database, a backup or the audit trail can rebuild the address: the volunteer sees
it once, when it is made. Renewing makes a new one and revokes the old, revoking stops it;
an unknown or revoked token answers 404, as does the feed of a volunteer no longer appointed.
Each change is an audit entry (ids only) in its transaction. The token travels in the query
string, which neither Django's request log nor the gunicorn access log (cccc/gunicorn_conf.py)
writes.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.models import AccessLog, Role, User
from cccc.saving import validated_save
from families import ics
from families.models import ContactSession
from volunteers.models import CalendarFeed, RotaEntry, Volunteer
from volunteers.rota_mail_services import time_in_building

# The feed holds the sessions from this many days back, and all those ahead.
FEED_PAST_DAYS = 30
TOKEN_MAX_LENGTH = 100


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('calendar_feed')}?key={token}"


@dataclass(frozen=True)
class NewFeed:
    feed: CalendarFeed
    url: str  # shown once, never stored


def _check_own(volunteer: Volunteer, by: User) -> None:
    if volunteer.user_id is None or volunteer.user_id != by.pk:
        raise ValidationError("Only the volunteer makes or stops their own calendar address.")


def _revoke_live(volunteer: Volunteer, by: User) -> CalendarFeed | None:
    live = CalendarFeed.objects.select_for_update().filter(
        volunteer=volunteer, revoked_at__isnull=True
    )
    feed = live.first()
    if feed is not None:
        feed.revoked_at, feed.revoked_by = timezone.now(), by
        feed.save(update_fields=["revoked_at", "revoked_by"])
    return feed


@transaction.atomic
def calendar_feed_renew(*, volunteer: Volunteer, by: User) -> NewFeed:
    """Make the volunteer's calendar address, revoking any earlier one."""
    _check_own(volunteer, by)
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    old = _revoke_live(volunteer, by)
    token = secrets.token_urlsafe(32)
    feed = validated_save(
        CalendarFeed(volunteer=volunteer, token_hash=token_hash(token), created_by=by)
    )
    access_log_record(
        user=by,
        action=AccessLog.Action.CALENDAR_FEED,
        record=feed,
        detail=f"made volunteer=#{volunteer.pk}" + (f" revoked=#{old.pk}" if old else ""),
        centre=volunteer.centre,
    )
    return NewFeed(feed, feed_url(token))


@transaction.atomic
def calendar_feed_revoke(*, volunteer: Volunteer, by: User) -> CalendarFeed:
    """Stop the volunteer's calendar address: from now it answers 404."""
    _check_own(volunteer, by)
    feed = _revoke_live(volunteer, by)
    if feed is None:
        raise ValidationError("You have no calendar address to stop.")
    access_log_record(
        user=by,
        action=AccessLog.Action.CALENDAR_FEED,
        record=feed,
        detail=f"revoked volunteer=#{volunteer.pk}",
        centre=volunteer.centre,
    )
    return feed


def feed_volunteer(token: str) -> Volunteer | None:
    """The volunteer whose live feed this token opens, if they are still appointed and their
    person still volunteers at that centre (an active account, a usable volunteer membership
    there: another centre's membership does not keep this feed alive); None for anything
    else."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    feed = (
        CalendarFeed.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .select_related("volunteer__user", "volunteer__centre")
        .first()
    )
    if feed is None:
        return None
    volunteer = feed.volunteer
    user = volunteer.user
    if volunteer.status != Volunteer.Status.APPOINTED or user is None or not user.is_active:
        return None
    if not holds_role(user, volunteer.centre_id, Role.VOLUNTEER):
        return None
    return volunteer


def feed_calendar(volunteer: Volunteer, *, today: datetime.date | None = None) -> bytes:
    """The volunteer's sessions as a calendar: date, time in the building, centre and room.
    A session cancelled since is there as cancelled, so calendar apps take it away."""
    today = today or timezone.localdate()
    entries = (
        RotaEntry.objects.filter(
            volunteer=volunteer,
            session_date__gte=today - datetime.timedelta(days=FEED_PAST_DAYS),
        )
        .select_related("session__centre")
        .order_by("session_date", "session__starts_at")
    )
    events = []
    for entry in entries:
        session = entry.session
        first, last = time_in_building(session)
        where = [session.centre.name] + ([str(session.room)] if session.room else [])
        events.append(
            ics.Event(
                uid=ics.event_uid("volunteer", session.pk, volunteer.pk),
                start=timezone.make_aware(datetime.datetime.combine(session.date, first)),
                end=timezone.make_aware(datetime.datetime.combine(session.date, last)),
                summary="Contact centre session",
                location=", ".join(where),
                cancelled=session.status == ContactSession.Status.CANCELLED,
            )
        )
    return ics.calendar(events, method=ics.PUBLISH, name=volunteer.centre.name)
