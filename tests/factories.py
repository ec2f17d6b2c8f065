"""Factories for every model. Personal values are made up by Faker."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from faker import Faker

from cccc.keys import data_key_create
from cccc.models import AccessLog, Centre, DataKey, PolicyVariant, Role, User
from disclosures import policy
from disclosures.models import (
    CategoryChoice,
    ConsentGrant,
    DisclosureRequest,
    RequesterType,
    SubjectTold,
    Via,
)
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    Concern,
    ContactSession,
    ContactType,
    Family,
    KeepApart,
    ReferenceCounter,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
    SessionNote,
)
from volunteers.models import (
    DbsCheck,
    DbsLevel,
    DbsOutcome,
    DbsReminder,
    RotaEntry,
    TrainingRecord,
    Volunteer,
)

PASSWORD = "correct horse battery staple"


def distinct(kind: str):
    """A realistic name made unmistakable ("Ellis Qz17"), so a test that asserts a name is
    absent from a page cannot pass or fail by coincidence with other words on it."""
    fake = Faker("en_GB")

    def make(n: int) -> str:
        # No apostrophes: "O'Brien" is escaped in HTML and would defeat a plain `in` check.
        return f"{getattr(fake, kind)().replace(chr(39), '')} Qz{n}"

    return make


class DataKeyFactory(DjangoModelFactory):
    class Meta:
        model = DataKey

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return data_key_create()


class CentreFactory(DjangoModelFactory):
    class Meta:
        model = Centre

    name = factory.Sequence(lambda n: f"Test Centre {n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    code = factory.Sequence(lambda n: f"T{n:03d}"[:5])
    policy_variant = PolicyVariant.CHICHESTER


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(distinct("name"))
    role = Role.COORDINATOR
    centre = factory.Maybe(
        factory.LazyAttribute(lambda u: u.role != Role.OPERATOR),
        yes_declaration=factory.SubFactory(CentreFactory),
        no_declaration=None,
    )
    is_staff = factory.LazyAttribute(lambda u: u.role == Role.OPERATOR)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def volunteer_record(obj, create, extracted, **kwargs):
        """A volunteer account comes with an appointed, DBS-cleared volunteer record, as the
        sign-in gate needs (volunteers.auth); pass volunteer_record=False for a bare account."""
        if create and obj.role == Role.VOLUNTEER and extracted is not False:
            AppointedVolunteerFactory(user=obj, centre=obj.centre)


class FamilyFactory(DjangoModelFactory):
    class Meta:
        model = Family

    centre = factory.SubFactory(CentreFactory)
    reference = factory.Sequence(lambda n: f"TST-2026-{n:04d}")
    data_key = factory.SubFactory(DataKeyFactory)


class AdultFactory(DjangoModelFactory):
    class Meta:
        model = Adult

    family = factory.SubFactory(FamilyFactory)
    role = Adult.Role.RESIDENT_PARENT
    first_name = factory.Sequence(distinct("first_name"))
    last_name = factory.Sequence(distinct("last_name"))
    address = factory.Faker("address", locale="en_GB")
    phone = factory.Faker("phone_number", locale="en_GB")
    email = factory.Faker("email")


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    family = factory.SubFactory(FamilyFactory)
    first_name = factory.Sequence(distinct("first_name"))
    last_name = factory.Sequence(distinct("last_name"))
    date_of_birth = factory.Faker("date_of_birth", minimum_age=2, maximum_age=15)
    needs = ""


class KeepApartFactory(DjangoModelFactory):
    """A flagged pair; pass adult_a and adult_b in either order."""

    class Meta:
        model = KeepApart

    adult_a = factory.SubFactory(AdultFactory)
    adult_b = factory.SubFactory(
        AdultFactory,
        family=factory.SelfAttribute("..adult_a.family"),
        role=Adult.Role.NON_RESIDENT_PARENT,
    )
    centre = factory.LazyAttribute(lambda k: k.adult_a.family.centre)
    created_by = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        a, b = kwargs["adult_a"], kwargs["adult_b"]
        kwargs["adult_a"], kwargs["adult_b"] = (a, b) if a.pk < b.pk else (b, a)
        return super()._create(model_class, *args, **kwargs)


class RulesAcknowledgementFactory(DjangoModelFactory):
    class Meta:
        model = RulesAcknowledgement

    adult = factory.SubFactory(AdultFactory)
    acknowledged_on = factory.LazyFunction(datetime.date.today)
    policy_version = "1"
    no_recording = True
    no_discussing_others = True
    recorded_by = factory.SubFactory(
        UserFactory, centre=factory.SelfAttribute("..adult.family.centre")
    )


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    family = factory.SubFactory(FamilyFactory)
    referrer = factory.SubFactory(
        UserFactory, role=Role.REFERRER, centre=factory.SelfAttribute("..family.centre")
    )
    entered_by = factory.SelfAttribute("referrer")
    agency_type = "solicitor"
    agency_name = "Example & Co Solicitors"
    court_order = "Child arrangements order, supervised contact fortnightly."
    risk_domestic_abuse = "yes"
    risk_abduction = "no"
    risk_substance_misuse = "no"
    risk_mental_health = "unknown"
    contact_type = ContactType.SUPERVISED


class ContactSessionFactory(DjangoModelFactory):
    class Meta:
        model = ContactSession

    family = factory.SubFactory(FamilyFactory)
    centre = factory.SelfAttribute("family.centre")
    date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
    starts_at = datetime.time(10, 0)
    ends_at = datetime.time(12, 0)
    room = "Blue room"
    contact_type = ContactType.SUPERVISED
    booked_by = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))


class SessionAttendanceFactory(DjangoModelFactory):
    class Meta:
        model = SessionAttendance

    session = factory.SubFactory(ContactSessionFactory)
    adult = factory.SubFactory(AdultFactory, family=factory.SelfAttribute("..session.family"))
    arrives_at = datetime.time(9, 45)
    departs_at = datetime.time(12, 15)


class ChildAttendanceFactory(DjangoModelFactory):
    class Meta:
        model = ChildAttendance

    session = factory.SubFactory(ContactSessionFactory)
    child = factory.SubFactory(ChildFactory, family=factory.SelfAttribute("..session.family"))


class SessionNoteFactory(DjangoModelFactory):
    class Meta:
        model = SessionNote

    session = factory.SubFactory(ContactSessionFactory)
    author = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..session.centre"))
    text = "Contact went ahead as planned."


class ConcernFactory(DjangoModelFactory):
    class Meta:
        model = Concern

    family = factory.SubFactory(FamilyFactory)
    kind = Concern.Kind.GUIDANCE
    raised_by = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..family.centre"))
    text = "A question about the handover."


class ReferenceCounterFactory(DjangoModelFactory):
    class Meta:
        model = ReferenceCounter

    centre = factory.SubFactory(CentreFactory)
    year = 2026
    last = 0


class VolunteerFactory(DjangoModelFactory):
    class Meta:
        model = Volunteer

    centre = factory.SubFactory(CentreFactory)
    data_key = factory.SubFactory(DataKeyFactory)
    first_name = factory.Sequence(distinct("first_name"))
    last_name = factory.Sequence(distinct("last_name"))
    phone = factory.Faker("phone_number", locale="en_GB")
    email = factory.Faker("email")
    status = Volunteer.Status.APPLIED
    applied_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=90))


def _a_coordinator(centre: Centre) -> User:
    """The centre's first coordinator, made only when it has none (keeps `cast` exact)."""
    found = User.objects.filter(centre=centre, role=Role.COORDINATOR).order_by("pk").first()
    return found or UserFactory(centre=centre, role=Role.COORDINATOR)


def _years_later(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year + years, day=min(day.day, 28) if day.month == 2 else day.day)


class AppointedVolunteerFactory(VolunteerFactory):
    """Appointed with a clear DBS check issued a year ago (renewal in two years) and the
    confidentiality agreement signed: the volunteer may work and use the portal."""

    class Meta:
        skip_postgeneration_save = True

    status = Volunteer.Status.APPOINTED
    appointed_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    agreement_signed_on = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=60)
    )
    agreement_policy_version = "1"
    clearance_expires = factory.LazyFunction(
        lambda: _years_later(datetime.date.today() - datetime.timedelta(days=365), 3)
    )

    @factory.post_generation
    def dbs_check(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            DbsCheckFactory(
                volunteer=obj,
                issued_on=_years_later(obj.clearance_expires, -3),
                renewal_due=obj.clearance_expires,
            )


def appointed_volunteer(user: User) -> Volunteer:
    """The appointed, DBS-cleared volunteer record of a volunteer account (made if missing)."""
    found = Volunteer.objects.filter(user=user).first()
    return found or AppointedVolunteerFactory(user=user, centre=user.centre)


class DbsCheckFactory(DjangoModelFactory):
    class Meta:
        model = DbsCheck

    volunteer = factory.SubFactory(VolunteerFactory)
    level = DbsLevel.ENHANCED_BARRED
    certificate_number = factory.Sequence(lambda n: f"{1000_0000_0000 + n:012d}")
    outcome = DbsOutcome.CLEAR
    issued_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=365))
    renewal_due = factory.LazyAttribute(lambda c: _years_later(c.issued_on, 3))
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.volunteer.centre))


class DbsReminderFactory(DjangoModelFactory):
    class Meta:
        model = DbsReminder

    check_record = factory.SubFactory(DbsCheckFactory)
    threshold = 60


class TrainingRecordFactory(DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    volunteer = factory.SubFactory(VolunteerFactory)
    course = "Safeguarding children"
    completed_on = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=100)
    )
    expires_on = None
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.volunteer.centre))


class RotaEntryFactory(DjangoModelFactory):
    """A volunteer on a session's rota; the volunteer is appointed in the session's centre."""

    class Meta:
        model = RotaEntry

    session = factory.SubFactory(ContactSessionFactory)
    volunteer = factory.SubFactory(
        AppointedVolunteerFactory, centre=factory.SelfAttribute("..session.centre")
    )
    session_date = factory.SelfAttribute("session.date")
    volunteer_cleared_until = factory.SelfAttribute("volunteer.clearance_expires")
    assigned_by = factory.LazyAttribute(lambda o: _a_coordinator(o.session.centre))


class AccessLogFactory(DjangoModelFactory):
    """Entries are appended through the chain, as the application does."""

    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    action = AccessLog.Action.REVEAL_CONTACT
    record = factory.SubFactory(AdultFactory)
    detail = "address"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from cccc.audit import access_log_record

        return access_log_record(**kwargs)


# --- disclosures ------------------------------------------------------------------------------


class ConsentGrantFactory(DjangoModelFactory):
    """A live written consent, given a month ago, for address and phone."""

    class Meta:
        model = ConsentGrant

    adult = factory.SubFactory(AdultFactory)
    recipient_name = factory.Faker("name", locale="en_GB")
    recipient_agency = ""
    address = True
    phone = True
    email = False
    given_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    how_given = ConsentGrant.HowGiven.WRITTEN
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.adult.family.centre))


def _proposal(o) -> policy.Decision:
    return policy.decide(
        policy.Request(
            policy.Variant(o.centre.policy_variant),
            policy.Requester(o.requester_type),
            policy.Category(o.category),
        )
    )


class DisclosureRequestFactory(DjangoModelFactory):
    """An open request with the policy's proposal; `decided=True` decides it as proposed."""

    class Meta:
        model = DisclosureRequest

    family = factory.SubFactory(FamilyFactory)
    centre = factory.SelfAttribute("family.centre")
    requester_type = RequesterType.AGENCY
    requester_name = factory.Faker("name", locale="en_GB")
    requester_agency = "Example & Co Solicitors"
    received_via = Via.PHONE
    category = CategoryChoice.FAMILY_INFO
    detail = "Asked how contact is going."
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.family.centre))
    proposed_permitted = factory.LazyAttribute(lambda o: _proposal(o).permitted)
    proposed_ground = factory.LazyAttribute(lambda o: _proposal(o).ground.value)
    proposed_clauses = factory.LazyAttribute(lambda o: ",".join(_proposal(o).clauses))

    class Params:
        decided = factory.Trait(
            status=DisclosureRequest.Status.DECIDED,
            permitted=factory.SelfAttribute("proposed_permitted"),
            ground=factory.SelfAttribute("proposed_ground"),
            clauses=factory.SelfAttribute("proposed_clauses"),
            decided_by=factory.SelfAttribute("recorded_by"),
            decided_at=factory.LazyFunction(timezone.now),
            subject_told=SubjectTold.NO,
        )


# --- retention --------------------------------------------------------------------------------

from retention.models import (  # noqa: E402 - appended section, kept apart from the others
    AccidentEntry,
    DestructionRecord,
    KeepLonger,
    MonthlyStatistic,
    RetentionLock,
    RetentionRun,
)


class AccidentEntryFactory(DjangoModelFactory):
    """An entry recorded now by a coordinator, sealed under the centre's key."""

    class Meta:
        model = AccidentEntry

    centre = factory.SubFactory(CentreFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    place = "Garden room"
    people_involved = factory.Sequence(lambda n: f"Child of family {n} and a volunteer")
    what_happened = "Tripped on the step by the garden door."
    injury = "Grazed knee."
    first_aid_and_action = "Cleaned and plastered; parent told at collection."
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.centre))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from retention.accident_services import centre_key_ensure

        centre_key_ensure(centre=kwargs["centre"])
        return super()._create(model_class, *args, **kwargs)


class KeepLongerFactory(DjangoModelFactory):
    """A family kept a year past its retention date."""

    class Meta:
        model = KeepLonger

    family = factory.SubFactory(FamilyFactory)
    volunteer = None
    centre = factory.LazyAttribute(lambda o: (o.family or o.volunteer).centre)
    data_key = factory.LazyAttribute(lambda o: (o.family or o.volunteer).data_key)
    reason = "Solicitor asked us to keep it while proceedings are pending."
    review_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=365))
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.centre))


class RetentionRunFactory(DjangoModelFactory):
    class Meta:
        model = RetentionRun

    today = factory.LazyFunction(datetime.date.today)
    outcome = RetentionRun.Outcome.FINISHED
    finished_at = factory.LazyFunction(timezone.now)


class DestructionRecordFactory(DjangoModelFactory):
    class Meta:
        model = DestructionRecord

    centre = factory.SubFactory(CentreFactory)
    record_type = "family"
    record_id = factory.Sequence(lambda n: 900_000 + n)
    reference = factory.Sequence(lambda n: f"OLD-2020-{n:04d}")
    clock_started_on = datetime.date(2020, 3, 1)
    due_on = datetime.date(2023, 3, 1)
    rule = "CHI-4.9 / CHE-10 / CHE-DP5: 3 years after last use"


class MonthlyStatisticFactory(DjangoModelFactory):
    class Meta:
        model = MonthlyStatistic

    centre = factory.SubFactory(CentreFactory)
    month = datetime.date(2024, 1, 1)
    sessions_held = 4
    families_seen = 2
    families_first_seen = 1
    referrals = factory.LazyFunction(lambda: {"solicitor": 1})


class RetentionLockFactory(DjangoModelFactory):
    class Meta:
        model = RetentionLock
        django_get_or_create = ("name",)

    name = "retention"


# --- legal and subject access (disclosures.models.legal, disclosures.models.sar) ---------------

from disclosures.models import (  # noqa: E402 - appended section, kept apart from the others
    AssessmentAgreement,
    PoliceVisit,
    SarItemReview,
    SubjectAccessRequest,
    WitnessSummons,
    due_date,
)


class WitnessSummonsFactory(DjangoModelFactory):
    """An open summons served on the centre; sealed under its own key unless a family is
    given (then under the family's)."""

    class Meta:
        model = WitnessSummons

    centre = factory.SubFactory(CentreFactory)
    family = None
    data_key = factory.Maybe(
        "family", yes_declaration=None, no_declaration=factory.SubFactory(DataKeyFactory)
    )
    court = "Family Court at Brighton"
    case_number = factory.Sequence(lambda n: f"BN{n:02d}P{10000 + n}")
    received_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3))
    served = WitnessSummons.Served.CENTRE
    hearing_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    recipient = "The Family Court at Brighton\n1 Edward Street\nBrighton BN2 0JD"
    notes = ""
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.centre))


class PoliceVisitFactory(DjangoModelFactory):
    class Meta:
        model = PoliceVisit

    centre = factory.SubFactory(CentreFactory)
    family = None
    data_key = factory.Maybe(
        "family", yes_declaration=None, no_declaration=factory.SubFactory(DataKeyFactory)
    )
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    officer_name = "PC Morgan Hale"
    officer_number = "4471"
    purpose = "Asked whether a family uses the centre."
    outcome = "Told that the centre does not confirm who uses it; left."
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.centre))


class AssessmentAgreementFactory(DjangoModelFactory):
    """In force from a week ago for two months."""

    class Meta:
        model = AssessmentAgreement

    family = factory.SubFactory(FamilyFactory)
    centre = factory.SelfAttribute("family.centre")
    agency = "CAFCASS South"
    valid_from = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=7))
    valid_until = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=60))
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.family.centre))


class SubjectAccessRequestFactory(DjangoModelFactory):
    """An open request from an adult of a family, received today, identity not yet checked.
    Pass volunteer=... (and adult=None) for a volunteer's."""

    class Meta:
        model = SubjectAccessRequest

    adult = factory.SubFactory(AdultFactory)
    volunteer = None
    family = factory.LazyAttribute(lambda o: o.adult.family if o.adult else None)
    centre = factory.LazyAttribute(
        lambda o: o.adult.family.centre if o.adult else o.volunteer.centre
    )
    received_on = factory.LazyFunction(datetime.date.today)
    received_via = "letter"
    due_on = factory.LazyAttribute(lambda o: due_date(o.received_on))
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.centre))


class SarItemReviewFactory(DjangoModelFactory):
    """A withheld item; pass decision="release", ground="", reason="" for a released one."""

    class Meta:
        model = SarItemReview

    request = factory.SubFactory(SubjectAccessRequestFactory)
    item_key = "person"
    decision = SarItemReview.Decision.WITHHOLD
    ground = SarItemReview.Ground.VIOLENCE
    reason = "Held to prevent violence."
    recorded_by = factory.LazyAttribute(lambda o: _a_coordinator(o.request.centre))
