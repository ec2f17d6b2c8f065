from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedTextField
from cccc.models import Centre, Membership, Role
from families.models.family import FAMILY_KEY, Family
from families.models.session import ContactSession


class Concern(models.Model):
    """A safeguarding or violence-risk concern, or a volunteer asking for guidance (CHI-4.2).
    An open concern is a legal hold: retention never destroys the family meanwhile."""

    class Kind(models.TextChoices):
        SAFEGUARDING = "safeguarding", "Safeguarding concern (a child may be at risk)"
        VIOLENCE = "violence", "Risk of physical violence"
        GUIDANCE = "guidance", "Request for guidance"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="concerns")
    # The family's centre again, for the centre's open-concerns list (see Referral.centre).
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+", editable=False)
    session = models.ForeignKey(
        ContactSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    text = EncryptedTextField(key_path=FAMILY_KEY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = EncryptedTextField(key_path=FAMILY_KEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["family", "status"]),
            models.Index(fields=["centre", "status", "raised_at"]),  # the open concerns
        ]

    def __str__(self) -> str:
        return f"concern #{self.pk} ({self.kind})"

    def clean(self) -> None:
        if self.family_id is not None and self.centre_id != self.family.centre_id:
            raise ValidationError("A concern belongs to its family's centre.")

    @property
    def answers_a_volunteer(self) -> bool:
        """A volunteer's request for guidance: its outcome is the answer the volunteer reads in
        the portal (volunteers/access.py, `answer_for_volunteer`). Raised as a volunteer of
        the concern's own centre: the person may hold other roles at other centres."""
        if self.kind != self.Kind.GUIDANCE:
            return False
        known = getattr(self, "raised_as_volunteer", None)  # from raised_as_volunteer()
        if known is not None:
            return bool(known)
        return Membership.objects.filter(
            user_id=self.raised_by_id, centre_id=self.centre_id, role=Role.VOLUNTEER
        ).exists()


def raised_as_volunteer() -> models.Exists:
    """`concerns.annotate(raised_as_volunteer=raised_as_volunteer())`: whether each concern's
    author is a volunteer of its centre, for a list of concerns in one query."""
    return models.Exists(
        Membership.objects.filter(
            user_id=models.OuterRef("raised_by_id"),
            centre_id=models.OuterRef("centre_id"),
            role=Role.VOLUNTEER,
        )
    )
