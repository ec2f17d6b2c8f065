"""Factories for the core: data keys, centres, users and the access log."""

import factory
from factory.django import DjangoModelFactory
from faker import Faker

from cccc.keys import data_key_create
from cccc.models import AccessLog, Centre, DataKey, Membership, PolicyVariant, Role, User

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
            from tests.factories.volunteers import AppointedVolunteerFactory

            AppointedVolunteerFactory(user=obj, centre=obj.centre)


def a_coordinator(centre: Centre) -> User:
    """The centre's first coordinator, made only when it has none (keeps `cast` exact)."""
    found = (
        User.objects.filter(memberships__centre=centre, memberships__role=Role.COORDINATOR)
        .order_by("pk")
        .first()
    )
    return found or UserFactory(centre=centre, role=Role.COORDINATOR)


class MembershipFactory(DjangoModelFactory):
    """Another membership for an existing person: `MembershipFactory(user=u, centre=c,
    role=Role.REFERRER)`. A person's first membership comes with UserFactory(role, centre)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    role = Role.COORDINATOR


def membership_of(user: User, centre: Centre | None = None) -> Membership:
    """The person's membership (at `centre`, when they have several)."""
    memberships = user.memberships.select_related("centre")
    if centre is not None:
        memberships = memberships.filter(centre=centre)
    return memberships.get()


class AccessLogFactory(DjangoModelFactory):
    """Entries are appended through the chain, as the application does."""

    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    action = AccessLog.Action.REVEAL_CONTACT
    record = factory.SubFactory("tests.factories.families.AdultFactory")
    detail = "address"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from cccc.audit import access_log_record

        return access_log_record(**kwargs)
