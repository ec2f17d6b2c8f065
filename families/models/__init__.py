from cccc.dates import add_months
from families.models.concern import Concern
from families.models.family import (
    FAMILY_KEY,
    Adult,
    Child,
    Family,
    KeepApart,
    ReferenceCounter,
    RulesAcknowledgement,
)
from families.models.mail import EmailConsent, FamilyMail
from families.models.name_token import NameToken
from families.models.referral import AgencyType, ContactType, Referral
from families.models.room import Room
from families.models.series import Series
from families.models.session import (
    ChildAttendance,
    ContactSession,
    SessionAttendance,
    SessionNote,
)

__all__ = [
    "FAMILY_KEY", "Adult", "AgencyType", "Child", "ChildAttendance", "Concern", "ContactSession",
    "ContactType", "EmailConsent", "Family", "FamilyMail", "KeepApart", "NameToken",
    "ReferenceCounter", "Referral", "Room", "RulesAcknowledgement", "Series",
    "SessionAttendance", "SessionNote", "add_months",
]  # fmt: skip
