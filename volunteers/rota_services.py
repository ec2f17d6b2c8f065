"""The rota: who covers a session, putting a volunteer on it and taking them off.

The gate (CHI-4.7, CHE-8, CHI-4.1, CHE-2, see volunteers/services.py) applies here too: a
volunteer goes on a rota only if they may work on the session's date, and the database
checks the date again (a constraint on RotaEntry).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from cccc.models import Centre, User
from cccc.saving import validated_save
from families.models import ContactSession, ContactType
from volunteers.emails import email_coordinators, long_date
from volunteers.models import RotaEntry, RotaMail, Volunteer
from volunteers.rota_mail_services import rota_mail_queue

# --- cover ----------------------------------------------------------------------------------------


def cover_annotations() -> dict[str, Any]:
    """`assigned` and `needed` volunteers, as annotations on ContactSession. Supervised sessions
    need the centre's `supervised_cover`, supported ones its `supported_cover`. Assigned is
    counted in a subquery, so it holds beside other annotations and needs no GROUP BY."""
    assigned = RotaEntry.objects.filter(session=OuterRef("pk")).order_by()
    return {
        "assigned": Coalesce(
            Subquery(assigned.values("session").annotate(n=Count("pk")).values("n")), 0
        ),
        "needed": Case(
            When(contact_type=ContactType.SUPERVISED, then=F("centre__supervised_cover")),
            default=F("centre__supported_cover"),
        ),
    }


def cover_for_sessions(sessions: Iterable[ContactSession | int]) -> dict[int, tuple[int, int]]:
    """{session id: (volunteers assigned, volunteers needed)} in one query for any number of
    sessions (instances or ids). A page listing sessions reads cover in its own query, through
    cover_annotations."""
    ids = [getattr(s, "pk", s) for s in sessions]
    if not ids:
        return {}
    # Annotations unpacked from a dict are invisible to django-stubs, which would then refuse
    # "assigned" and "needed" below: the queryset is typed loosely instead.
    annotated: QuerySet[Any] = ContactSession.objects.filter(pk__in=ids).annotate(
        **cover_annotations()
    )
    rows = annotated.values_list("pk", "assigned", "needed")
    return {pk: (assigned, needed) for pk, assigned, needed in rows}


@dataclass
class LostCover:
    """A session a volunteer was taken off, and its cover afterwards."""

    session: ContactSession
    assigned: int
    needed: int

    def line(self) -> str:
        s = self.session
        return (
            f"{long_date(s.date)} {s.starts_at:%H:%M}-{s.ends_at:%H:%M}, "
            f"family {s.family.reference}: "
            f"now {self.assigned} of {self.needed} volunteers needed"
        )


def take_off_future_rotas(
    volunteer: Volunteer, now: datetime.datetime | None = None
) -> list[LostCover]:
    """Remove the volunteer from every session that has not started yet (by `now`, the
    current local time unless given); past ones stay."""
    now = now or timezone.localtime()
    entries = list(
        volunteer.rota.filter(
            Q(session_date__gt=now.date())
            | Q(session_date=now.date(), session__starts_at__gt=now.time())
        )
        .select_related("session__family")
        .order_by("session_date", "session__starts_at")
    )
    for entry in entries:
        entry.delete()  # one by one, so each removal is in the rota's history
        rota_mail_queue(session=entry.session, volunteer=volunteer, kind=RotaMail.Kind.REMOVED)
    sessions = [entry.session for entry in entries]
    cover = cover_for_sessions(sessions)
    return [LostCover(s, *cover.get(s.pk, (0, 0))) for s in sessions]


def tell_coordinators_of_lost_cover(centre: Centre, why: str, lost: list[LostCover]) -> None:
    if not lost:
        return
    lines = "\n".join(f"- {item.line()}" for item in lost)
    email_coordinators(
        centre,
        "Sessions lost volunteer cover",
        f"{why}\n\nThey were taken off the rota of these sessions:\n{lines}\n\n"
        "Sign in to find cover.",
    )


# --- rota -----------------------------------------------------------------------------------------


@transaction.atomic
def rota_assign(*, session: ContactSession, volunteer: Volunteer, by: User) -> RotaEntry:
    """Put a volunteer on a session's rota; refused unless they are appointed, cleared up to
    the session's date and have signed the agreement (the database checks the date again)."""
    if volunteer.centre_id != session.centre_id:
        raise ValidationError({"volunteer": "Choose a volunteer of this centre."})
    if session.status != ContactSession.Status.BOOKED:
        raise ValidationError("This session is cancelled.")
    if session.date < timezone.localdate():
        raise ValidationError("This session has taken place already.")
    problems = volunteer.work_problems(session.date)
    if problems:
        raise ValidationError(
            {"volunteer": f"This volunteer cannot go on the rota: {'; '.join(problems)}."}
        )
    if RotaEntry.objects.filter(session=session, volunteer=volunteer).exists():
        raise ValidationError({"volunteer": "This volunteer is on the rota already."})
    entry = validated_save(
        RotaEntry(
            session=session,
            volunteer=volunteer,
            session_date=session.date,
            # work_problems() above refuses a volunteer without clearance (cast for mypy).
            volunteer_cleared_until=cast(datetime.date, volunteer.clearance_expires),
            assigned_by=by,
        )
    )
    # The volunteer is told once this commits (date, time and room: issue 18).
    rota_mail_queue(session=session, volunteer=volunteer, kind=RotaMail.Kind.ADDED)
    return entry


@transaction.atomic
def rota_assign_many(
    *, assignments: Iterable[tuple[ContactSession, Volunteer]], by: User
) -> list[RotaEntry]:
    """Several volunteers on several sessions in one transaction (the weekly rota page). Each
    goes through rota_assign, with its gate and checks, and its entry names who assigned it;
    if any one is refused, none is made, and the message names which one and why."""
    entries = []
    for session, volunteer in assignments:
        try:
            entries.append(rota_assign(session=session, volunteer=volunteer, by=by))
        except ValidationError as exc:
            raise ValidationError(
                f"{volunteer.full_name} on {session.family.reference}, {long_date(session.date)} "
                f"{session.starts_at:%H:%M}: {' '.join(exc.messages)}"
            ) from exc
    return entries


@transaction.atomic
def rota_remove(*, entry: RotaEntry) -> None:
    session, volunteer = entry.session, entry.volunteer
    entry.delete()
    rota_mail_queue(session=session, volunteer=volunteer, kind=RotaMail.Kind.REMOVED)
