"""A request for information from outside the centre, and the decision on it (SPEC §5).

Every decision is kept: who asked, about whom, what was asked, what the policy proposed, what
was decided and released, the ground and clause IDs, who decided and when, and whether the
person concerned was told. Everything personal is sealed under the family's data key.

An open (undecided) request is a legal hold: retention never destroys the family meanwhile.
"""

import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedCharField, EncryptedTextField
from cccc.models import Centre
from disclosures import policy
from disclosures.models.choices import (
    CategoryChoice,
    ContactItem,
    GroundChoice,
    RequesterType,
    SubjectTold,
    Via,
)
from disclosures.models.consent import ConsentGrant, Recipient
from families.models import FAMILY_KEY, Adult, Child, Family

# Releases the chair is told of and acknowledges: the two break-glass exceptions, and a release
# required by law (issue 14: notified and acknowledged exactly like break-glass).
EXCEPTIONS = [
    (g.value, GroundChoice(g.value).label)
    for g in sorted(policy.BREAK_GLASS | {policy.Ground.REQUIRED_BY_LAW})
]


class NoticeTo(models.TextChoices):
    """Who was told of an exception: the chair, or with no active chair the network
    safeguarding contact the operator sets (SAFEGUARDING_CONTACT_EMAIL); empty if nobody."""

    CHAIR = "chair", "the chair"
    SAFEGUARDING = "safeguarding", "the network safeguarding contact"


class LegalBasis(models.TextChoices):
    COURT_ORDER = "court_order", "An order of a court"
    STATUTE = "statute", "A statute or regulation"
    # Releases decided before the basis was asked for (the migration marks them so).
    NOT_RECORDED = "not_recorded", "Not recorded (decided before the basis was required)"


class DisclosureRequestQuerySet(models.QuerySet["DisclosureRequest"]):
    def open(self) -> Self:
        return self.filter(status=DisclosureRequest.Status.OPEN)

    def decided(self) -> Self:
        return self.filter(status=DisclosureRequest.Status.DECIDED)

    def break_glass(self) -> Self:
        return self.exclude(exception="")

    def awaiting_acknowledgement(self) -> Self:
        """Break-glass releases the chair has not acknowledged yet."""
        return self.break_glass().filter(chair_acknowledged_at__isnull=True)


class DisclosureRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="disclosure_requests")
    subject_adult = models.ForeignKey(
        Adult, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_child = models.ForeignKey(
        Child, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # who asked, how, for what
    requester_type = models.CharField(max_length=30, choices=RequesterType.choices)
    # Room for an adult's full name as a subject access release writes it (first and last
    # names of up to 100 each, and a space).
    requester_name = EncryptedCharField(key_path=FAMILY_KEY, max_length=250)
    requester_agency = models.CharField(max_length=200, blank=True)
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The referrer's account, when the request came through the portal.",
    )
    received_via = models.CharField(max_length=20, choices=Via.choices)
    received_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The coordinator who entered it; empty for the portal.",
    )
    category = models.CharField(max_length=30, choices=CategoryChoice.choices)
    contact_items = models.CharField(
        max_length=40, blank=True, help_text="For contact details: address, phone, email."
    )
    detail = EncryptedTextField(key_path=FAMILY_KEY)

    # what the policy proposed when the request was received (with no grounds on record)
    proposed_permitted = models.BooleanField()
    proposed_ground = models.CharField(max_length=40, choices=GroundChoice.choices)
    proposed_clauses = models.CharField(max_length=100)

    # the decision
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    permitted = models.BooleanField(null=True, blank=True)
    ground = models.CharField(max_length=40, choices=GroundChoice.choices, blank=True)
    clauses = models.CharField(max_length=100, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the policy answered at once (the referrer's attendance request).",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    released = EncryptedTextField(key_path=FAMILY_KEY, help_text="What was actually released.")
    subject_told = models.CharField(
        max_length=10, choices=SubjectTold.choices, default=SubjectTold.NOT_YET
    )
    subject_told_on = models.DateField(null=True, blank=True)
    refusal_text = EncryptedTextField(key_path=FAMILY_KEY)
    # One disclosure per answer, not per view (disclosures/attendance_services.py): the same
    # answer shown again or downloaded counts a view here and writes its own audit entry.
    views = models.PositiveIntegerField(
        default=1, help_text="How many times what was released was viewed or downloaded."
    )
    answer_digest = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Identifies an answer given at once (who, which family, which dates, what).",
    )
    # RESTRICT: a grant behind a decision is never deleted on its own, but goes with its
    # family when retention destroys the whole record.
    consent_grant = models.ForeignKey(
        ConsentGrant, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )

    # break-glass: an exception invoked by a coordinator with a written reason. The recipient
    # is the requester (Children's Services or the police; the policy refuses anyone else).
    # A release required by law is kept the same way, with its legal basis and the authority
    # that asked (Chichester, CHI-4.5).
    exception = models.CharField(max_length=40, choices=EXCEPTIONS, blank=True)
    break_glass_reason = EncryptedTextField(key_path=FAMILY_KEY)
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices, blank=True)
    # NULL on requests decided before these were asked for (an encrypted column has no plain
    # default to give the rows already there).
    legal_reference = EncryptedCharField(key_path=FAMILY_KEY, max_length=200, null=True)
    legal_authority = EncryptedCharField(key_path=FAMILY_KEY, max_length=200, null=True)
    chair_notified_at = models.DateTimeField(null=True, blank=True)
    notice_to = models.CharField(max_length=20, choices=NoticeTo.choices, blank=True)
    chair_acknowledged_at = models.DateTimeField(null=True, blank=True)
    chair_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    objects = DisclosureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["centre", "received_at"]),
            models.Index(fields=["centre", "status", "received_at"]),
            models.Index(fields=["family", "status"]),
            # Break-glass releases waiting for the chair, one centre at a time (issue 22).
            models.Index(
                fields=["centre", "decided_at"],
                condition=Q(chair_acknowledged_at__isnull=True) & ~Q(exception=""),
                name="request_unacknowledged_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(permitted__isnull=True) & Q(ground=""))
                | (
                    Q(status="decided")
                    & Q(permitted__isnull=False)
                    & ~Q(ground="")
                    & ~Q(clauses="")
                    & Q(decided_at__isnull=False)
                ),
                name="disclosure_decision_is_complete",
            ),
            # A break-glass is only ever a release, to Children's Services or the police, on
            # the exception invoked (CHI-3, CHE-4, CHE-6).
            models.CheckConstraint(
                condition=Q(exception="")
                | Q(
                    exception=policy.Ground.REQUIRED_BY_LAW.value,
                    permitted=True,
                    ground=F("exception"),
                )
                | (
                    Q(permitted=True)
                    & Q(ground=F("exception"))
                    & Q(requester_type__in=sorted(r.value for r in policy.BREAK_GLASS_RECIPIENTS))
                ),
                name="disclosure_break_glass_only_to_cs_or_police",
            ),
            models.CheckConstraint(
                condition=~Q(ground=policy.Ground.REQUIRED_BY_LAW.value) | ~Q(legal_basis=""),
                name="disclosure_required_by_law_has_its_basis",
            ),
            models.CheckConstraint(
                condition=Q(chair_acknowledged_at__isnull=True) | ~Q(exception=""),
                name="disclosure_only_break_glass_is_acknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"disclosure request #{self.pk} ({self.category})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def age_days(self, today: datetime.date | None = None) -> int:
        """Whole days since the request was received. The policy gives an undecided request
        no deadline (only a subject access request has one), so its age is what the
        dashboard shows."""
        return ((today or timezone.localdate()) - timezone.localdate(self.received_at)).days

    @property
    def is_break_glass(self) -> bool:
        return bool(self.exception)

    @property
    def outcome(self) -> str:
        if self.is_open:
            return "open"
        return "permitted" if self.permitted else "refused"

    def get_outcome_display(self) -> str:
        return {"open": "Open", "permitted": "Permitted", "refused": "Refused"}[self.outcome]

    @property
    def items(self) -> list[str]:
        return [i for i in self.contact_items.split(",") if i]

    def items_display(self) -> str:
        return ", ".join(ContactItem(i).label.lower() for i in self.items)

    @property
    def recipient(self) -> Recipient:
        return Recipient(self.requester_name, self.requester_agency, self.requester_user_id)

    def policy_request(self, grounds=frozenset()) -> policy.Request:
        return policy.Request(
            variant=policy.Variant(self.centre.policy_variant),
            requester=policy.Requester(self.requester_type),
            category=policy.Category(self.category),
            grounds=frozenset(grounds),
        )

    @property
    def proposal(self) -> policy.Decision:
        return policy.Decision(
            self.proposed_permitted,
            policy.Ground(self.proposed_ground),
            tuple(c for c in self.proposed_clauses.split(",") if c),
        )

    @property
    def decision(self) -> policy.Decision | None:
        if self.is_open:
            return None
        return policy.Decision(bool(self.permitted), policy.Ground(self.ground), self.clause_list)

    @property
    def clause_list(self) -> tuple[str, ...]:
        return tuple(c for c in self.clauses.split(",") if c)
