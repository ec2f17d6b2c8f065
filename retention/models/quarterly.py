"""What destroyed records contributed to a centre's quarterly statistics (NACCC's shape):
counts only, no personal data, kept so that a quarter's figures survive destruction."""

from django.db import models
from django.db.models import Q

from cccc.models import Centre


class QuarterlyStatistic(models.Model):
    """Counts that destroyed families and volunteers contributed to one centre's quarter: the
    figure for a quarter is what live records show plus this (retention/quarterly.py).

    Families and children are distinct within the quarter (a destroyed family is never also a
    live one, so the two add up). The opening days and room names are kept as sets, not
    counts, because a day or a room a live family also used must count once in the capacity.
    """

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    quarter = models.DateField(help_text="The first day of the quarter.")
    referrals_received = models.JSONField(default=dict, help_text="By NACCC referral type.")
    referrals_accepted = models.JSONField(default=dict, help_text="By NACCC referral type.")
    referrals_rejected = models.JSONField(default=dict, help_text="By NACCC referral type.")
    families = models.PositiveIntegerField(default=0)
    children = models.PositiveIntegerField(default=0)
    sessions_held = models.PositiveIntegerField(default=0)
    no_shows = models.JSONField(default=dict, help_text="Sessions with a no-show, by type.")
    volunteers = models.PositiveIntegerField(default=0)
    opening_days = models.JSONField(default=list, help_text="ISO dates the centre was open.")
    rooms = models.JSONField(default=list, help_text="Rooms used (names of rooms, not people).")

    class Meta:
        ordering = ["centre", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "quarter"], name="one_statistic_per_quarter"),
            models.CheckConstraint(
                condition=Q(quarter__day=1) & Q(quarter__month__in=[1, 4, 7, 10]),
                name="statistic_quarter_first_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.quarter:%Y-%m}"
