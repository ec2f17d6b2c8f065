"""The policy's vocabulary (disclosures/policy.py) as database choices, with labels people read.

The values are the policy's own; tests check the two lists stay the same."""

from django.db import models

from disclosures import policy


class RequesterType(models.TextChoices):
    REFERRER_OF_RECORD = policy.Requester.REFERRER_OF_RECORD.value, "The family's referrer"
    AGENCY = (
        policy.Requester.AGENCY.value,
        "Another referrer or agency (solicitor, CAFCASS, social worker...)",
    )
    CHILDRENS_SERVICES = policy.Requester.CHILDRENS_SERVICES.value, "Children's Services"
    POLICE = policy.Requester.POLICE.value, "Police"
    COURT = policy.Requester.COURT.value, "A court"
    FORMER_PARTNER = policy.Requester.FORMER_PARTNER.value, "The other parent (former partner)"
    DATA_SUBJECT = policy.Requester.DATA_SUBJECT.value, "The person the information is about"
    OTHER_PERSON = policy.Requester.OTHER_PERSON.value, "Someone else"


class CategoryChoice(models.TextChoices):
    ATTENDANCE = policy.Category.ATTENDANCE.value, "Dates and times of attendance"
    FAMILY_INFO = policy.Category.FAMILY_INFO.value, "Other information about the family"
    CONTACT_DETAILS = policy.Category.CONTACT_DETAILS.value, "A parent's address, phone or email"
    COURT_REPORT = (
        policy.Category.COURT_REPORT.value,
        "A report or statement for family court proceedings",
    )
    ASSESSMENT = policy.Category.ASSESSMENT.value, "A family assessment on the premises"
    OWN_DATA = policy.Category.OWN_DATA.value, "A person's own data (subject access)"
    OWN_ARRANGEMENTS = (
        policy.Category.OWN_ARRANGEMENTS.value,
        "A person's own arrangements (their letter)",
    )


class GroundChoice(models.TextChoices):
    REFERRER_ATTENDANCE = policy.Ground.REFERRER_ATTENDANCE.value, "Attendance to the referrer"
    CONFIDENTIAL = policy.Ground.CONFIDENTIAL.value, "Confidential"
    CHILD_AT_RISK = policy.Ground.CHILD_AT_RISK.value, "Child at risk of harm"
    VIOLENCE_RISK = policy.Ground.VIOLENCE_RISK.value, "Risk of physical violence"
    CONSENT = policy.Ground.CONSENT.value, "The parent's consent"
    REQUIRED_BY_LAW = policy.Ground.REQUIRED_BY_LAW.value, "Required by law"
    NO_COURT_REPORTS = policy.Ground.NO_COURT_REPORTS.value, "No reports for family court"
    ASSESSMENT_AGREEMENT = policy.Ground.ASSESSMENT_AGREEMENT.value, "Assessment agreement"
    NO_ASSESSMENT_AGREEMENT = (
        policy.Ground.NO_ASSESSMENT_AGREEMENT.value,
        "No assessment agreement",
    )
    SUBJECT_ACCESS = policy.Ground.SUBJECT_ACCESS.value, "Subject access"
    OWN_ARRANGEMENTS = policy.Ground.OWN_ARRANGEMENTS.value, "Their own arrangements"


class Via(models.TextChoices):
    PORTAL = "portal", "Referrer portal"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"


class SubjectTold(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_YET = "not_yet", "Not yet"


class ContactItem(models.TextChoices):
    """The parts of a parent's contact details a consent grant or a request names."""

    ADDRESS = "address", "Address"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
