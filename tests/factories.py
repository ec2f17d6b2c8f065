"""Factories for every model. Personal values are made up by Faker."""

import factory
from factory.django import DjangoModelFactory

from cccc.keys import data_key_create
from cccc.models import AccessLog, Centre, DataKey, PolicyVariant, Role, User
from families.models import Adult, Family
from volunteers.models import Volunteer

PASSWORD = "correct horse battery staple"


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
    full_name = factory.Faker("name", locale="en_GB")
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
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    address = factory.Faker("address", locale="en_GB")
    phone = factory.Faker("phone_number", locale="en_GB")
    email = factory.Faker("email")


class VolunteerFactory(DjangoModelFactory):
    class Meta:
        model = Volunteer

    centre = factory.SubFactory(CentreFactory)
    data_key = factory.SubFactory(DataKeyFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    phone = factory.Faker("phone_number", locale="en_GB")
    email = factory.Faker("email")


class AccessLogFactory(DjangoModelFactory):
    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    centre = factory.LazyAttribute(lambda log: log.user.centre)
    action = AccessLog.Action.REVEAL_CONTACT
    record_type = "families.Adult"
    record_id = 1
    detail = "address"
