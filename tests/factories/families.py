"""Factories for families, their people, referrals, sessions and concerns."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cccc.models import Role
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    Concern,
    ContactSession,
    ContactType,
    EmailConsent,
    Family,
    FamilyMail,
    KeepApart,
    ReferenceCounter,
    Referral,
    Room,
    RulesAcknowledgement,
    Series,
    SessionAttendance,
    SessionNote,
)
from families.name_index_services import name_index_refresh
from tests.factories.cccc import CentreFactory, DataKeyFactory, UserFactory, distinct


def _index_names(person, create, extracted, **kwargs):
    """As the services do on every write of a name: the family's search hashes follow."""
    if create:
        name_index_refresh(family=person.family)


class FamilyFactory(DjangoModelFactory):
    class Meta:
        model = Family
        skip_postgeneration_save = True

    centre = factory.SubFactory(CentreFactory)
    reference = factory.Sequence(lambda n: f"TST-2026-{n:04d}")
    data_key = factory.SubFactory(DataKeyFactory)

    @factory.post_generation
    def accepted(family, create, extracted, **kwargs):
        """FamilyFactory(accepted=True): with an accepted referral, so it can be booked."""
        if create and extracted:
            ReferralFactory(family=family, status=Referral.Status.ACCEPTED)


class AdultFactory(DjangoModelFactory):
    class Meta:
        model = Adult
        skip_postgeneration_save = True

    family = factory.SubFactory(FamilyFactory)
    role = Adult.Role.RESIDENT_PARENT
    first_name = factory.Sequence(distinct("first_name"))
    last_name = factory.Sequence(distinct("last_name"))
    address = factory.Faker("address", locale="en_GB")
    phone = factory.Faker("phone_number", locale="en_GB")
    email = factory.Faker("email")
    name_index = factory.PostGeneration(_index_names)


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child
        skip_postgeneration_save = True

    family = factory.SubFactory(FamilyFactory)
    first_name = factory.Sequence(distinct("first_name"))
    last_name = factory.Sequence(distinct("last_name"))
    date_of_birth = factory.Faker("date_of_birth", minimum_age=2, maximum_age=15)
    needs = ""
    name_index = factory.PostGeneration(_index_names)


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
    centre = factory.SelfAttribute("family.centre")
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
    status = Referral.Status.PENDING
    # An accepted referral always has its six-monthly review date (a database constraint).
    review_due = factory.LazyAttribute(
        lambda o: (
            timezone.localdate() + datetime.timedelta(days=182)
            if o.status == Referral.Status.ACCEPTED
            else None
        )
    )


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Room
        django_get_or_create = ("centre", "name")

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 1


def room_named(centre, name: str, capacity: int = 1) -> Room:
    """The centre's room of that name, made the first time it is asked for."""
    return RoomFactory(centre=centre, name=name, capacity=capacity)


def _booked_ahead(o) -> datetime.datetime:
    """A session dated in the past was booked before its day, as the database requires of a
    session not recorded afterwards."""
    now = timezone.now()
    if o.recorded_afterwards or o.date >= timezone.localdate():
        return now
    day = datetime.datetime.combine(o.date - datetime.timedelta(days=14), datetime.time(12))
    return timezone.make_aware(day)


class ContactSessionFactory(DjangoModelFactory):
    """`room` may be given as a name: it is then the centre's room of that name."""

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
    recorded_afterwards = False
    booked_at = factory.LazyAttribute(_booked_ahead)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("room"), str):
            kwargs["room"] = room_named(kwargs["centre"], kwargs["room"])
        return kwargs


class SeriesFactory(DjangoModelFactory):
    class Meta:
        model = Series

    family = factory.SubFactory(FamilyFactory)
    centre = factory.SelfAttribute("family.centre")
    every = Series.Every.WEEK
    first_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))
    count = 4
    starts_at = datetime.time(10, 0)
    ends_at = datetime.time(12, 0)
    room = factory.SubFactory(RoomFactory, centre=factory.SelfAttribute("..centre"))
    contact_type = ContactType.SUPERVISED
    created_by = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..centre"))


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
    centre = factory.SelfAttribute("family.centre")
    kind = Concern.Kind.GUIDANCE
    raised_by = factory.SubFactory(UserFactory, centre=factory.SelfAttribute("..family.centre"))
    text = "A question about the handover."


class ReferenceCounterFactory(DjangoModelFactory):
    class Meta:
        model = ReferenceCounter

    centre = factory.SubFactory(CentreFactory)
    year = 2026
    last = 0


class EmailConsentFactory(DjangoModelFactory):
    """A live consent to email, given in person today."""

    class Meta:
        model = EmailConsent

    adult = factory.SubFactory(AdultFactory)
    given_on = factory.LazyFunction(datetime.date.today)
    how_given = "in_person"
    recorded_by = factory.SubFactory(
        UserFactory, centre=factory.SelfAttribute("..adult.family.centre")
    )


class FamilyMailFactory(DjangoModelFactory):
    """A reminder of a session to one of its adults, waiting to be sent."""

    class Meta:
        model = FamilyMail

    session = factory.SubFactory(ContactSessionFactory)
    adult = factory.SubFactory(AdultFactory, family=factory.SelfAttribute("..session.family"))
    kind = FamilyMail.Kind.REMINDER
