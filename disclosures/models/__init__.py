from disclosures.models.choices import (
    CategoryChoice,
    ContactItem,
    GroundChoice,
    RequesterType,
    SubjectTold,
    Via,
)
from disclosures.models.consent import ConsentGrant, Recipient
from disclosures.models.request import DisclosureRequest

__all__ = [
    "CategoryChoice", "ConsentGrant", "ContactItem", "DisclosureRequest", "GroundChoice",
    "Recipient", "RequesterType", "SubjectTold", "Via",
]  # fmt: skip
