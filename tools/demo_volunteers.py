"""Demo volunteers: each demo centre's volunteer account gets an appointed, DBS-cleared
volunteer record (so the demo volunteer can sign in), says when they are usually available,
and goes on the rota of a few upcoming sessions when there are any. Idempotent; goes through
the services like everything else."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from cccc.models import Centre, Role, User
from families.models import ContactSession
from volunteers import availability_services, dbs_services, rota_services, services
from volunteers.models import (
    DbsLevel,
    DbsOutcome,
    RotaEntry,
    Volunteer,
    VolunteerAvailability,
    Weekday,
)

DEMO_ROTA_SESSIONS = 5
# When the demo volunteer says they are usually free (My availability): Saturday mornings and
# Wednesday afternoons.
DEMO_AVAILABILITY = [
    (Weekday.SATURDAY, datetime.time(9), datetime.time(13)),
    (Weekday.WEDNESDAY, datetime.time(13), datetime.time(17)),
]


def build_demo_volunteers(centre: Centre, users: dict[str, User]) -> None:
    user = users.get(Role.VOLUNTEER)
    if user is None:
        return
    today = timezone.localdate()
    volunteer = Volunteer.objects.filter(user=user).first()
    if volunteer is None:
        volunteer = services.volunteer_create(
            centre=centre,
            first_name="Demo",
            last_name=f"Volunteer {centre.code}",
            email=user.email,
            applied_on=today - datetime.timedelta(days=400),
        )
        dbs_services.dbs_check_record(
            volunteer=volunteer,
            level=DbsLevel.ENHANCED_BARRED,
            certificate_number="001234567890",
            outcome=DbsOutcome.CLEAR,
            issued_on=today - datetime.timedelta(days=365),
            by=users[Role.COORDINATOR],
        )
        services.agreement_sign(
            volunteer=volunteer,
            signed_on=today - datetime.timedelta(days=360),
            policy_version="1",
        )
        services.volunteer_appoint(volunteer=volunteer, by=users[Role.COORDINATOR])
        services.volunteer_link_user(volunteer=volunteer, user=user)
    saying = not volunteer.work_problems(today)  # a paused volunteer records nothing
    if saying and not VolunteerAvailability.objects.filter(volunteer=volunteer).exists():
        for weekday, starts, ends in DEMO_AVAILABILITY:
            availability_services.availability_add(
                volunteer=volunteer, weekday=weekday, starts_at=starts, ends_at=ends
            )
    upcoming = (
        ContactSession.objects.filter(
            centre=centre, date__gte=today, status=ContactSession.Status.BOOKED
        )
        .exclude(rota_entries__volunteer=volunteer)
        .order_by("date", "starts_at")[:DEMO_ROTA_SESSIONS]
    )
    if RotaEntry.objects.filter(volunteer=volunteer).exists():
        return
    for session in upcoming:
        try:
            rota_services.rota_assign(
                session=session, volunteer=volunteer, by=users[Role.COORDINATOR]
            )
        except ValidationError:
            continue  # e.g. a session beyond the demo clearance: skip it
