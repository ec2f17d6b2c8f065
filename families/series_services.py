"""Repeat bookings (issue 17, point 2): the same session every week or fortnight, until a
date or for a number of sessions.

`series_preview` checks every date of the pattern with the rules of a single booking
(families/session_services.date_problems: the past, the room's capacity, the family twice at
once, keep-apart) and books nothing. `series_book` books the dates the coordinator chose, in
one transaction: it checks them all again under the centre's lock, and if any can no longer
be booked (someone booked the room meanwhile), it books none and says which and why.
`series_cancel_rest` cancels every session of the series still to come, in one step. Both
writes are audited in their transaction and move the family's last activity.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.audit import access_log_record
from cccc.models import AccessLog, User
from cccc.saving import validated_save
from families import booking_rules, mail_services
from families.last_activity import family_touch
from families.models import Adult, Child, ContactSession, Family, FamilyMail, Room, Series
from families.session_services import (
    date_problems,
    lock_centre_bookings,
    save_session,
    session_plans,
)


@dataclass(frozen=True)
class Pattern:
    """What the coordinator enters for a series: when, where, who."""

    every: str
    first_date: datetime.date
    until: datetime.date | None
    count: int | None
    starts_at: datetime.time
    ends_at: datetime.time
    room: Room
    contact_type: str
    adults: list[Adult]
    bringing: Adult
    children: list[Child] | None = None
    instructions: str = ""

    def series(self, family: Family, by: User) -> Series:
        """The series row this pattern makes (unsaved)."""
        return Series(
            family=family,
            centre=family.centre,
            every=self.every,
            first_date=self.first_date,
            until=self.until,
            count=self.count,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            room=self.room,
            contact_type=self.contact_type,
            created_by=by,
        )


@dataclass(frozen=True)
class SeriesDate:
    date: datetime.date
    problems: list[str] = field(default_factory=list)  # empty: it can be booked

    @property
    def bookable(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Preview:
    family_problems: list[str]  # what refuses every date (no accepted referral)
    dates: list[SeriesDate]

    @property
    def bookable(self) -> list[datetime.date]:
        if self.family_problems:
            return []
        return [d.date for d in self.dates if d.bookable]


def series_preview(*, family: Family, pattern: Pattern, by: User) -> Preview:
    """Each date of the pattern with "can be booked" (no problems) or every reason it
    cannot. Writes nothing; raises ValidationError for input no date can fix."""
    plans, pairs = session_plans(
        family=family,
        starts_at=pattern.starts_at,
        ends_at=pattern.ends_at,
        adults=pattern.adults,
        bringing=pattern.bringing,
        children=pattern.children,
    )
    return Preview(
        family_problems=booking_rules.referral_problems(family),
        dates=[
            SeriesDate(
                day,
                date_problems(
                    family=family,
                    room=pattern.room,
                    date=day,
                    starts_at=pattern.starts_at,
                    ends_at=pattern.ends_at,
                    plans=plans,
                    pairs=pairs,
                ),
            )
            for day in pattern.series(family, by).dates()
        ],
    )


@transaction.atomic
def series_book(
    *, family: Family, pattern: Pattern, dates: list[datetime.date], booked_by: User
) -> Series:
    """Book the chosen dates of the pattern, all or none.

    Raises ValidationError, booking nothing, when no date is chosen, a chosen date is not
    one of the pattern's, or any chosen date can no longer be booked (each named, with why).
    """
    chosen = sorted(set(dates))
    if not chosen:
        raise ValidationError("Choose at least one date to book.")
    series = pattern.series(family, booked_by)
    stray = [day for day in chosen if day not in series.dates()]
    if stray:
        raise ValidationError(
            f"{_day(stray[0])} is not a date of this series; check the dates again and "
            "choose from the list."
        )
    plans, pairs = session_plans(
        family=family,
        starts_at=pattern.starts_at,
        ends_at=pattern.ends_at,
        adults=pattern.adults,
        bringing=pattern.bringing,
        children=pattern.children,
    )
    lock_centre_bookings(family.centre)
    problems = booking_rules.referral_problems(family)
    if problems:
        raise ValidationError(problems)
    refused = []
    for day in chosen:
        found = date_problems(
            family=family,
            room=pattern.room,
            date=day,
            starts_at=pattern.starts_at,
            ends_at=pattern.ends_at,
            plans=plans,
            pairs=pairs,
        )
        refused += [f"{_day(day)}: {problem}" for problem in found]
    if refused:
        raise ValidationError(
            ["Nothing was booked: a chosen date can no longer be booked. Check the dates again."]
            + refused
        )
    validated_save(series)
    for day in chosen:
        save_session(
            family=family,
            date=day,
            starts_at=pattern.starts_at,
            ends_at=pattern.ends_at,
            contact_type=pattern.contact_type,
            plans=plans,
            booked_by=booked_by,
            room=pattern.room,
            instructions=pattern.instructions,
            children=pattern.children,
            series=series,
        )
    access_log_record(
        user=booked_by,
        action=AccessLog.Action.SERIES,
        record=series,
        detail=f"booked={len(chosen)}",
    )
    return series


@transaction.atomic
def series_cancel_rest(*, series: Series, by: User) -> int:
    """Cancel every booked session of the series from today on; returns how many. Refused
    when none is left to cancel (a second click, or a series already over)."""
    Series.objects.select_for_update().filter(pk=series.pk).first()
    rest = list(
        series.sessions.select_for_update().filter(
            status=ContactSession.Status.BOOKED, date__gte=timezone.localdate()
        )
    )
    if not rest:
        raise ValidationError("No session of this series is left to cancel.")
    for session in rest:
        session.status = ContactSession.Status.CANCELLED
        session.save(update_fields=["status"])
        # Each adult who consented to email is sent the cancellation of that session's event.
        mail_services.session_mail_queue(session=session, kind=FamilyMail.Kind.CANCEL, by=by)
    series.rest_cancelled_at, series.rest_cancelled_by = timezone.now(), by
    series.save(update_fields=["rest_cancelled_at", "rest_cancelled_by"])
    family_touch(series.family)
    access_log_record(
        user=by, action=AccessLog.Action.SERIES, record=series, detail=f"cancelled={len(rest)}"
    )
    return len(rest)


def _day(day: datetime.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
