from disclosures.models.choices import (
    CategoryChoice,
    ContactItem,
    GroundChoice,
    RequesterType,
    SubjectTold,
    Via,
)
from disclosures.models.consent import ConsentGrant, Recipient
from disclosures.models.legal import AssessmentAgreement, PoliceVisit, WitnessSummons
from disclosures.models.request import DisclosureRequest, LegalBasis, NoticeTo
from disclosures.models.sar import SarItemReview, SubjectAccessRequest, due_date

__all__ = [
    "AssessmentAgreement", "CategoryChoice", "ConsentGrant", "ContactItem", "DisclosureRequest",
    "GroundChoice", "LegalBasis", "NoticeTo", "PoliceVisit", "Recipient", "RequesterType",
    "SarItemReview", "SubjectAccessRequest", "SubjectTold", "Via", "WitnessSummons", "due_date",
]  # fmt: skip
