"""The one way to read volunteers, DBS outcomes, rotas and the portal's sessions.

- Volunteer records: the coordinators of their own centre.
- DBS outcomes: the coordinator and/or the chair, as the centre's `dbs_visible_to` says
  (CHE-8); nobody else.
- The portal: a volunteer who is appointed, cleared and has signed the agreement, and of the
  sessions only those they are on the rota of, upcoming or recent; of concerns and requests
  for guidance only those they raised themselves.
Anything else is a 404, so that existence does not leak.
"""

import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cccc.access import centre_id_of, require_role
from cccc.models import DbsVisibility, Role, User
from families.access import sessions_for
from families.models import Concern, ContactSession
from volunteers.models import RotaEntry, Volunteer

# How far back the portal shows a volunteer's sessions (to record attendance and notes).
RECENT_DAYS = 14

DBS_ROLES: dict[str, set[Role]] = {
    DbsVisibility.COORDINATOR: {Role.COORDINATOR},
    DbsVisibility.CHAIR: {Role.CHAIR},
    DbsVisibility.BOTH: {Role.COORDINATOR, Role.CHAIR},
}


def volunteers_for(user: User) -> QuerySet[Volunteer]:
    if user.is_authenticated and user.role == Role.COORDINATOR:
        return Volunteer.objects.filter(centre_id=centre_id_of(user))
    return Volunteer.objects.none()


def get_volunteer_for(user: User, pk: int) -> Volunteer:
    return get_object_or_404(volunteers_for(user), pk=pk)


# --- DBS outcomes (CHE-8) -------------------------------------------------------------------------


def can_see_dbs(user: User) -> bool:
    if not user.is_authenticated or user.centre is None:
        return False
    return user.role in DBS_ROLES.get(user.centre.dbs_visible_to, set())


def dbs_volunteers_for(user: User) -> QuerySet[Volunteer]:
    if can_see_dbs(user):
        return Volunteer.objects.filter(centre_id=centre_id_of(user))
    return Volunteer.objects.none()


def get_dbs_volunteer_for(user: User, pk: int) -> Volunteer:
    return get_object_or_404(dbs_volunteers_for(user).select_related("data_key", "centre"), pk=pk)


# --- rota -----------------------------------------------------------------------------------------


def rota_sessions_for(user: User) -> QuerySet[ContactSession]:
    """The sessions whose rota the user makes: their own centre's, for a coordinator; any other
    role gets a 404."""
    require_role(user, Role.COORDINATOR)
    return sessions_for(user)


def get_rota_session_for(user: User, pk: int) -> ContactSession:
    return get_object_or_404(rota_sessions_for(user).select_related("family", "room"), pk=pk)


# --- the portal -----------------------------------------------------------------------------------


def volunteer_of(user: User) -> Volunteer | None:
    """The volunteer record of the membership in use: the person's record at that centre."""
    membership = user.membership
    if membership is None or membership.centre_id is None:
        return None
    cache = user.__dict__.setdefault("_volunteer_records", {})
    if membership.centre_id not in cache:
        cache[membership.centre_id] = (
            Volunteer.objects.filter(user_id=user.pk, centre_id=membership.centre_id)
            .select_related("centre")
            .first()
        )
    return cache[membership.centre_id]


def portal_problems(user: User) -> list[str]:
    """Why this volunteer user may not use the portal today (empty when they may)."""
    volunteer = volunteer_of(user)
    if volunteer is None:
        return ["no volunteer record is linked to this account"]
    return volunteer.work_problems(timezone.localdate())


def portal_volunteer_for(user: User) -> Volunteer | None:
    """The signed-in volunteer's record when they may use the portal, None when their access
    is paused (lapsed, resigned, not appointed). Any other role: 404."""
    require_role(user, Role.VOLUNTEER)
    if portal_problems(user):
        return None
    return volunteer_of(user)


def portal_entries_for(
    volunteer: Volunteer, today: datetime.date | None = None
) -> QuerySet[RotaEntry]:
    today = today or timezone.localdate()
    return RotaEntry.objects.filter(
        volunteer=volunteer, session_date__gte=today - datetime.timedelta(days=RECENT_DAYS)
    )


def get_portal_session_for(volunteer: Volunteer, pk: int) -> ContactSession:
    entry = get_object_or_404(
        portal_entries_for(volunteer).select_related(
            "session__family__data_key", "session__centre", "session__room"
        ),
        session_id=pk,
    )
    return entry.session


# How many of their own requests for guidance the portal lists, the latest first.
GUIDANCE_SHOWN = 10


def portal_concerns_for(volunteer: Volunteer) -> QuerySet[Concern]:
    """The concerns and requests for guidance this volunteer raised, in their own centre:
    never a colleague's, nor the coordinator's. Of these, only a request for guidance shows
    the volunteer the coordinator's answer (`answer_for_volunteer`)."""
    if volunteer.user_id is None:
        return Concern.objects.none()
    return Concern.objects.filter(raised_by_id=volunteer.user_id, centre_id=volunteer.centre_id)


def answer_for_volunteer(concern: Concern) -> str:
    """The coordinator's written answer to a request for guidance, once closed; nothing for a
    safeguarding or violence concern, whose outcome may hold what a volunteer must not see."""
    if concern.kind == Concern.Kind.GUIDANCE and concern.status == Concern.Status.CLOSED:
        return str(concern.outcome)
    return ""
