"""A coordinator's decision to keep a record past its retention date, until a review date."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.fields import EncryptedTextField
from cccc.models import Centre, DataKey


class KeepLonger(models.Model):
    """Skip one family or volunteer until `review_on`, for a written reason.

    The reason is sealed under the record's own data key: it says something about the
    record, so it dies with it (it is deleted with the record, and its key with it).
    """

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    family = models.OneToOneField(
        "families.Family",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="keep_longer",
    )
    volunteer = models.OneToOneField(
        "volunteers.Volunteer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="keep_longer",
    )
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(key_path="data_key")
    review_on = models.DateField(help_text="Kept until this day; destroyed from then if due.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "keep-longer decision"
        constraints = [
            models.CheckConstraint(
                condition=(Q(family__isnull=False) & Q(volunteer__isnull=True))
                | (Q(family__isnull=True) & Q(volunteer__isnull=False)),
                name="keep_longer_names_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"keep-longer #{self.pk} until {self.review_on}"

    @property
    def record_type(self) -> str:
        return "family" if self.family_id else "volunteer"

    @property
    def record_id(self) -> int:
        return self.family_id or self.volunteer_id
