"""What a volunteer says of when they are usually free (the portal's "My availability"). The
coordinator's weekly rota marks who is available for each session from it; it grants nothing
and gates nothing: the DBS gate alone decides who may be put on a rota."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.saving import validated_save
from volunteers.models import Volunteer, VolunteerAvailability


def _hm(t: datetime.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


@transaction.atomic
def availability_add(
    *, volunteer: Volunteer, weekday: int, starts_at: datetime.time, ends_at: datetime.time
) -> VolunteerAvailability:
    """A new time on a day of the week; refused when it overlaps one the volunteer has on
    that day already (the message names it), so that each time is said once."""
    problems = volunteer.work_problems(timezone.localdate())
    if problems:
        raise ValidationError(f"Your access is paused: {'; '.join(problems)}.")
    window = VolunteerAvailability(
        volunteer=volunteer, weekday=weekday, starts_at=starts_at, ends_at=ends_at
    )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The end of the time must be after its start."})
    clash = (
        VolunteerAvailability.objects.select_for_update()
        .filter(volunteer=volunteer, weekday=weekday)
        .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            f"This overlaps the time you gave for {clash.get_weekday_display()} already "
            f"({_hm(clash.starts_at)}–{_hm(clash.ends_at)}): remove that one first, or choose "
            "another time."
        )
    return validated_save(window)


@transaction.atomic
def availability_remove(*, availability: VolunteerAvailability) -> None:
    availability.delete()
