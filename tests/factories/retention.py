"""Factories for retention: the accident book, keep-longer decisions, runs, the destruction
register, the monthly statistics and the lock."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from retention.models import (
    AccidentEntry,
    DestructionRecord,
    KeepLonger,
    MonthlyStatistic,
    RetentionLock,
    RetentionRun,
)
from tests.factories.cccc import CentreFactory, a_coordinator
from tests.factories.families import FamilyFactory


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
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.centre))

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
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.centre))


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
