"""Factories for volunteers, their DBS checks, training and the rota."""

import datetime
import hashlib

import factory
from factory.django import DjangoModelFactory

from cccc.models import User
from tests.factories.cccc import CentreFactory, DataKeyFactory, a_coordinator, distinct
from tests.factories.families import ContactSessionFactory
from volunteers.models import (
    CalendarFeed,
    DbsCheck,
    DbsLevel,
    DbsOutcome,
    DbsReminder,
    DbsRiskAssessment,
    RotaEntry,
    RotaMail,
    TrainingRecord,
    Volunteer,
    VolunteerAvailability,
    Weekday,
)


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
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.volunteer.centre))


class DbsRiskAssessmentFactory(DjangoModelFactory):
    """A pending risk assessment of a check with information disclosed."""

    class Meta:
        model = DbsRiskAssessment

    check_record = factory.SubFactory(DbsCheckFactory, outcome=DbsOutcome.DISCLOSED)
    assessment = "Spent conviction for a driving offence; no risk to children."
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.check_record.volunteer.centre))


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
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.volunteer.centre))


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
    assigned_by = factory.LazyAttribute(lambda o: a_coordinator(o.session.centre))


class VolunteerAvailabilityFactory(DjangoModelFactory):
    """A time a volunteer is usually free: Saturday mornings unless told otherwise."""

    class Meta:
        model = VolunteerAvailability

    volunteer = factory.SubFactory(AppointedVolunteerFactory)
    weekday = Weekday.SATURDAY
    starts_at = datetime.time(9, 0)
    ends_at = datetime.time(13, 0)


class CalendarFeedFactory(DjangoModelFactory):
    """A live calendar feed; its token is `token` (only its hash is stored)."""

    class Meta:
        model = CalendarFeed
        exclude = ["token"]

    volunteer = factory.SubFactory(AppointedVolunteerFactory)
    token = factory.Sequence(lambda n: f"test-feed-token-{n:04d}")
    token_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.token.encode()).hexdigest())
    created_by = factory.LazyAttribute(
        lambda o: o.volunteer.user or a_coordinator(o.volunteer.centre)
    )


class RotaMailFactory(DjangoModelFactory):
    class Meta:
        model = RotaMail

    volunteer = factory.SubFactory(AppointedVolunteerFactory)
    session = factory.SubFactory(
        ContactSessionFactory, family__centre=factory.SelfAttribute("...volunteer.centre")
    )
    kind = RotaMail.Kind.ADDED
    sequence = 1
