"""Factories for disclosures: consents, requests, witness summonses, police visits,
assessment agreements and subject access requests."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from disclosures import policy
from disclosures.models import (
    AssessmentAgreement,
    CategoryChoice,
    ConsentGrant,
    DisclosureRequest,
    PoliceVisit,
    RequesterType,
    SarWithheldItem,
    SubjectAccessRequest,
    SubjectTold,
    Via,
    WitnessSummons,
    due_date,
)
from tests.factories.cccc import CentreFactory, DataKeyFactory, a_coordinator
from tests.factories.families import AdultFactory, FamilyFactory


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
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.adult.family.centre))


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
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.family.centre))
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
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.centre))


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
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.centre))


class AssessmentAgreementFactory(DjangoModelFactory):
    """In force from a week ago for two months."""

    class Meta:
        model = AssessmentAgreement

    family = factory.SubFactory(FamilyFactory)
    centre = factory.SelfAttribute("family.centre")
    agency = "CAFCASS South"
    valid_from = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=7))
    valid_until = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=60))
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.family.centre))


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
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.centre))


class SarWithheldItemFactory(DjangoModelFactory):
    class Meta:
        model = SarWithheldItem

    request = factory.SubFactory(SubjectAccessRequestFactory)
    item_key = "person"
    ground = SarWithheldItem.Ground.VIOLENCE
    reason = "Held to prevent violence."
    recorded_by = factory.LazyAttribute(lambda o: a_coordinator(o.request.centre))
