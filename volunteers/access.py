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

from cccc.access import centre_id_of, holds_role, require_role
from cccc.models import Centre, DbsVisibility, Membership, Role, User
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


def volunteers_for(membership: Membership) -> QuerySet[Volunteer]:
    if membership.role == Role.COORDINATOR:
        return Volunteer.objects.filter(centre_id=centre_id_of(membership))
    return Volunteer.objects.none()


def get_volunteer_for(membership: Membership, pk: int) -> Volunteer:
    return get_object_or_404(volunteers_for(membership), pk=pk)


# --- DBS outcomes (CHE-8) -------------------------------------------------------------------------


def can_see_dbs(membership: Membership) -> bool:
    """Whether this membership reads DBS outcomes: its role, at its centre, is the one (or
    one of the two) the centre's `dbs_visible_to` names."""
    if membership.centre is None:
        return False
    return membership.role in DBS_ROLES.get(membership.centre.dbs_visible_to, set())


def reads_dbs_at(user: User, centre: Centre) -> bool:
    """Whether the person holds, at this centre, a role that reads its DBS outcomes: what a
    service checks of whoever acts on a centre's volunteer (never the membership in use)."""
    return holds_role(user, centre.pk, *DBS_ROLES.get(centre.dbs_visible_to, set()))


def dbs_volunteers_for(membership: Membership) -> QuerySet[Volunteer]:
    if can_see_dbs(membership):
        return Volunteer.objects.filter(centre_id=centre_id_of(membership))
    return Volunteer.objects.none()


def get_dbs_volunteer_for(membership: Membership, pk: int) -> Volunteer:
    return get_object_or_404(
        dbs_volunteers_for(membership).select_related("data_key", "centre"), pk=pk
    )


# --- rota -----------------------------------------------------------------------------------------


def rota_sessions_for(membership: Membership) -> QuerySet[ContactSession]:
    """The sessions whose rota the membership makes: its own centre's, for a coordinator; any
    other role gets a 404."""
    require_role(membership, Role.COORDINATOR)
    return sessions_for(membership)


def get_rota_session_for(membership: Membership, pk: int) -> ContactSession:
    return get_object_or_404(rota_sessions_for(membership).select_related("family", "room"), pk=pk)


# --- the portal -----------------------------------------------------------------------------------


def volunteer_of(membership: Membership) -> Volunteer | None:
    """The person's volunteer record at the membership's centre (a person volunteering at two
    centres has two records, one per membership); None for a membership of no centre.

    Read once per person and centre: the sign-in gate (volunteers.auth) has usually read it
    already, with the user the membership came from."""
    if membership.centre_id is None:
        return None
    cached_user = membership._state.fields_cache.get("user")
    cache: dict[int, Volunteer | None] = (
        cached_user.__dict__.setdefault("_volunteer_records", {})
        if cached_user is not None
        else membership.__dict__.setdefault("_volunteer_records", {})
    )
    if membership.centre_id not in cache:
        cache[membership.centre_id] = (
            Volunteer.objects.filter(user_id=membership.user_id, centre_id=membership.centre_id)
            .select_related("centre")
            .first()
        )
    return cache[membership.centre_id]


def portal_problems(membership: Membership) -> list[str]:
    """Why this volunteer membership may not use the portal today (empty when it may)."""
    volunteer = volunteer_of(membership)
    if volunteer is None:
        return ["no volunteer record is linked to this account"]
    return volunteer.work_problems(timezone.localdate())


def portal_volunteer_for(membership: Membership | None) -> Volunteer | None:
    """The volunteer record of the membership in use when it may use the portal, None when
    its access is paused (lapsed, resigned, not appointed). Any other role: 404."""
    require_role(membership, Role.VOLUNTEER)
    assert membership is not None  # require_role let only a volunteer's membership through
    if portal_problems(membership):
        return None
    return volunteer_of(membership)


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
