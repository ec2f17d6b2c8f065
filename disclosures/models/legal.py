"""The centre's legal records (SPEC §5): witness summonses (CHE-WS), police visits (CHE-PO) and
assessment agreements (CHI-4.6, CHE-7).

A summons or a visit may concern a family or not. What it says about people (the case
number, notes, the purpose and outcome of a visit, the police officer's name and number) is
sealed under the family's data key when a family is linked, so that destroying the family
shreds it too; otherwise under the record's own data key, which goes with the record. The
court and its address are an institution's: they stay plain.

A summons, visit or agreement linked to a family is destroyed with the family (retention
follows the cascade), as its text is sealed under the family's key anyway.

An open witness summons is a legal hold (`WitnessSummons.objects.holding()`): retention never
destroys the family, or the volunteer served, meanwhile.
"""

import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedCharField, EncryptedTextField
from cccc.models import Centre, DataKey
from families.models import Family
from volunteers.models import Volunteer

SEALING_KEY = "sealing_key"


class FamilyOrOwnKey(models.Model):
    """The key a record's personal fields are sealed under: its family's, else its own.
    Also a base of the history model, so that history rows are sealed the same way."""

    class Meta:
        abstract = True

    @property
    def sealing_key(self) -> DataKey | None:
        return self.family.data_key if self.family_id else self.data_key


class WitnessSummonsQuerySet(models.QuerySet["WitnessSummons"]):
    def holding(self) -> Self:
        """Summonses not yet closed: each is a legal hold on its family and on the volunteer
        it was served on (SPEC §8)."""
        return self.filter(closed_at__isnull=True)

    def closed(self) -> Self:
        return self.filter(closed_at__isnull=False)


class WitnessSummons(FamilyOrOwnKey):
    class Served(models.TextChoices):
        CENTRE = "centre", "The centre"
        VOLUNTEER = "volunteer", "A volunteer"
        STAFF = "staff", "The coordinator or another member of staff"

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting for the court"
        SET_ASIDE = "set_aside", "Set aside"
        NOT_SET_ASIDE = "not_set_aside", "Not set aside"
        WITHDRAWN = "withdrawn", "Withdrawn by the party"

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(
        Family,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="witness_summonses",
        help_text="The family the proceedings concern, if known.",
    )
    data_key = models.OneToOneField(
        DataKey, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    court = models.CharField(max_length=200, help_text="The court that issued the summons.")
    case_number = EncryptedCharField(key_path=SEALING_KEY, max_length=60)
    received_on = models.DateField()
    served = models.CharField(max_length=20, choices=Served.choices)
    volunteer = models.ForeignKey(
        Volunteer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="witness_summonses",
        help_text="The volunteer it was served on, if it was served on a volunteer.",
    )
    hearing_on = models.DateField(null=True, blank=True)
    # A court or a firm of solicitors: an organisation's address, not a person's.
    recipient = models.TextField(
        help_text="Who the letter goes to: the court and/or the solicitor, with the address."
    )
    notes = EncryptedTextField(key_path=SEALING_KEY)

    # the chair's checklist (CHE-WS 1-3)
    chair_notified_at = models.DateTimeField(null=True, blank=True)
    letter_produced_at = models.DateTimeField(null=True, blank=True)
    naccc_informed_on = models.DateField(null=True, blank=True)
    solicitor_consulted_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(bases=[FamilyOrOwnKey])

    objects = WitnessSummonsQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name_plural = "witness summonses"
        indexes = [models.Index(fields=["centre", "closed_at"])]
        constraints = [
            # Sealed under the family's key or its own: exactly one of the two.
            models.CheckConstraint(
                condition=(Q(family__isnull=False) & Q(data_key__isnull=True))
                | (Q(family__isnull=True) & Q(data_key__isnull=False)),
                name="summons_sealed_under_one_key",
            ),
            models.CheckConstraint(
                condition=Q(volunteer__isnull=True) | Q(served="volunteer"),
                name="summons_volunteer_only_when_served_on_one",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(outcome="pending"),
                name="summons_closed_with_an_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"witness summons #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def checklist(self) -> list[tuple[str, object]]:
        """The procedure's steps (CHE-WS) and when each was done (None: not yet)."""
        return [
            ("The chair was notified", self.chair_notified_at),
            ("The letter to the court or solicitor was produced", self.letter_produced_at),
            ("The NACCC office was informed", self.naccc_informed_on),
            ("One of the committee's solicitors was consulted", self.solicitor_consulted_on),
        ]


class PoliceVisitQuerySet(models.QuerySet["PoliceVisit"]):
    def orders(self) -> Self:
        return self.filter(order_to_serve=True)


class PoliceVisit(FamilyOrOwnKey):
    """The police at the centre (CHE-PO), or someone arriving to serve an order."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(
        Family,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="police_visits",
        help_text="The family the visit concerned, if any.",
    )
    data_key = models.OneToOneField(
        DataKey, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField()
    # A person's name and number (SPEC §4: names are encrypted), and they would tell who
    # came about which family: sealed like the rest of the visit.
    officer_name = EncryptedCharField(key_path=SEALING_KEY, max_length=200)
    officer_number = EncryptedCharField(
        "collar or warrant number", key_path=SEALING_KEY, max_length=40
    )
    emergency = models.BooleanField(
        "called to an emergency", default=False, help_text="Only then may they act on the premises."
    )
    order_to_serve = models.BooleanField("came to serve an order", default=False)
    purpose = EncryptedTextField(key_path=SEALING_KEY)
    outcome = EncryptedTextField(key_path=SEALING_KEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(bases=[FamilyOrOwnKey])

    objects = PoliceVisitQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["centre", "occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(family__isnull=False) & Q(data_key__isnull=True))
                | (Q(family__isnull=True) & Q(data_key__isnull=False)),
                name="police_visit_sealed_under_one_key",
            )
        ]

    def __str__(self) -> str:
        return f"police visit #{self.pk}"


class AssessmentAgreementQuerySet(models.QuerySet["AssessmentAgreement"]):
    def live(self, on: datetime.date | None = None) -> Self:
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__lte=on),
            Q(valid_until__gte=on),
            Q(ended_on__isnull=True) | Q(ended_on__gt=on),
        )

    def for_agency(self, agency: str) -> Self:
        """Agreements with this agency, its name compared as the register stores it (trimmed,
        single spaces, any case)."""
        name = " ".join((agency or "").split())
        if not name:
            return self.none()
        return self.filter(agency__iexact=name)


class AssessmentAgreement(models.Model):
    """An agreement that lets a named agency carry out family assessments of one family on the
    premises for a period (CHI-4.6, CHE-7). Without a live one, the policy refuses."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="assessment_agreements"
    )
    agency = models.CharField(
        max_length=200, help_text="As it will appear on their requests, e.g. 'CAFCASS South'."
    )
    valid_from = models.DateField()
    valid_until = models.DateField(help_text="The last day the agreement covers.")
    ended_on = models.DateField(
        null=True, blank=True, help_text="Ended early: no longer valid from this day."
    )
    terms = EncryptedTextField(
        key_path="family.data_key", help_text="What was agreed: rooms, days, who attends."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    objects = AssessmentAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-pk"]
        indexes = [models.Index(fields=["family", "valid_from", "valid_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                name="assessment_agreement_ends_after_it_starts",
                violation_error_message="The agreement must end on or after the day it starts.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("valid_from")),
                name="assessment_agreement_ended_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"assessment agreement #{self.pk}"

    def is_live(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on <= self.valid_until and (
            self.ended_on is None or self.ended_on > on
        )
