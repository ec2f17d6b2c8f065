"""The keyed n-gram blind index of the names in a family (families/name_index.py): one row
per distinct hash of a piece of the name of someone in the family. No name, and no way back
to one without BLIND_INDEX_KEY; what the rows still reveal is in the README (Finding
families)."""

from django.db import models

from cccc.models import Centre
from families.models.family import Family


class NameToken(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family", "token"], name="name_token_once_a_family")
        ]
        indexes = [
            # A search asks for a centre's rows with these hashes, and wants their families:
            # answered from the index alone.
            models.Index(fields=["centre", "token", "family"], name="name_token_search"),
        ]

    def __str__(self) -> str:
        return f"name token of family #{self.family_id}"
