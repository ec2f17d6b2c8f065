"""A repeat booking: the same time and room every week or fortnight, until a date or for a
number of sessions. Its sessions are ordinary sessions that point at it
(ContactSession.series); families/series_services.py books and cancels them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.models import Centre
from families.models.family import Family
from families.models.referral import ContactType
from families.models.room import Room

MAX_SESSIONS = 52  # a year of weekly sessions; a review falls due every six months anyway
MAX_SPAN_DAYS = 366


class Series(models.Model):
    class Every(models.TextChoices):
        WEEK = "weekly", "Every week"
        FORTNIGHT = "fortnightly", "Every fortnight"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="series")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    every = models.CharField(max_length=20, choices=Every.choices)
    first_date = models.DateField()
    until = models.DateField(null=True, blank=True)
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    contact_type = models.CharField(max_length=20, choices=ContactType.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    rest_cancelled_at = models.DateTimeField(null=True, blank=True)
    rest_cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_date", "-pk"]
        verbose_name_plural = "series"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="series_ends_after_it_starts"
            ),
            # Spelt out with isnull: a comparison with NULL is unknown, which a CHECK lets by.
            models.CheckConstraint(
                condition=(
                    Q(until__isnull=False, count__isnull=True, until__gte=F("first_date"))
                    | Q(
                        until__isnull=True,
                        count__isnull=False,
                        count__gte=1,
                        count__lte=MAX_SESSIONS,
                    )
                ),
                name="series_until_a_date_or_for_a_count",
            ),
        ]

    def __str__(self) -> str:
        return f"series #{self.pk} of {self.family.reference}"

    @property
    def step(self) -> datetime.timedelta:
        return datetime.timedelta(weeks=1 if self.every == self.Every.WEEK else 2)

    def dates(self) -> list[datetime.date]:
        """Every date of the pattern: from the first date, a week or a fortnight apart, until
        the last date or for the count, never more than MAX_SESSIONS nor past a year."""
        last = self.first_date + datetime.timedelta(days=MAX_SPAN_DAYS)
        if self.until is not None:
            last = min(last, self.until)
        wanted = self.count if self.count is not None else MAX_SESSIONS
        found, day = [], self.first_date
        while day <= last and len(found) < min(wanted, MAX_SESSIONS):
            found.append(day)
            day += self.step
        return found
