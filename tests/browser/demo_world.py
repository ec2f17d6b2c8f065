"""The demo data (`manage.py load_demo`), plus what a few weeks of use add at the Chichester
centre, so that the pages walked by the phone and accessibility tests have something on them:
a past session the volunteer was on (attendance, a note, a question to the coordinator), a
referral still waiting, a disclosure request, a witness summons, a police visit, an assessment
agreement and a subject access request; and the policy's annual review is due in three weeks,
so the dashboard and the committee page show their warning. (No accident: on PostgreSQL the
accident book refuses the TRUNCATE that ends a browser test, since it is kept forever.)

The demo's own accounts sign in, with the demo password and their demo authenticators.
"""

import datetime

from django.utils import timezone

from cccc.models import Centre, Role, User
from families import services
from families.models import Adult, Child, Concern, Referral, SessionAttendance
from tests.factories import (
    AssessmentAgreementFactory,
    ConcernFactory,
    ContactSessionFactory,
    DisclosureRequestFactory,
    PoliceVisitFactory,
    RotaEntryFactory,
    SessionAttendanceFactory,
    SessionNoteFactory,
    SubjectAccessRequestFactory,
    WitnessSummonsFactory,
)
from tools.demo import DEMO_PASSWORD, load_demo
from volunteers.models import Volunteer

ROLES = ["coordinator", "chair", "volunteer", "referrer", "operator"]
PASSWORD = DEMO_PASSWORD


def _past_session_of_the_volunteer(centre: Centre, users: dict[str, User]) -> None:
    family = centre.families.order_by("pk").first()
    mum, dad = family.adults.order_by("pk")
    session = ContactSessionFactory(
        family=family,
        date=timezone.localdate() - datetime.timedelta(days=6),
        booked_by=users["coordinator"],
        instructions="Meet at the side door; the child likes drawing.",
    )
    for adult, arrives, departs in ((mum, 9, 12), (dad, 10, 11)):
        SessionAttendanceFactory(
            session=session,
            adult=adult,
            brings_child=adult == mum,
            arrives_at=datetime.time(arrives, 45),
            departs_at=datetime.time(departs, 15),
            outcome=SessionAttendance.Outcome.ATTENDED,
            actual_arrival=datetime.time(arrives, 47),
        )
    RotaEntryFactory(session=session, volunteer=Volunteer.objects.get(user=users["volunteer"]))
    SessionNoteFactory(
        session=session,
        author=users["volunteer"],
        text="Contact went well. They built a den out of the cushions and read two books.",
    )
    ConcernFactory(
        family=family,
        session=session,
        raised_by=users["volunteer"],
        kind=Concern.Kind.GUIDANCE,
        text="Who collects the child next week?",
    )


def _waiting_referral(centre: Centre, users: dict[str, User]) -> None:
    referrer = users["referrer"]
    services.referral_submit(
        centre=centre,
        entered_by=referrer,
        referrer=referrer,
        referral=Referral(
            agency_type="solicitor",
            agency_name=referrer.agency,
            court_order="Interim child arrangements order: supported contact, weekly.",
            risk_domestic_abuse="no",
            risk_abduction="no",
            risk_substance_misuse="no",
            risk_mental_health="no",
            contact_type="supported",
        ),
        adults=[
            Adult(role=Adult.Role.RESIDENT_PARENT, first_name="Priya", last_name="Marsh"),
            Adult(role=Adult.Role.NON_RESIDENT_PARENT, first_name="Owen", last_name="Marsh"),
        ],
        children=[
            Child(
                first_name="Isla",
                last_name="Marsh",
                date_of_birth=timezone.localdate().replace(day=1) - datetime.timedelta(days=2000),
            )
        ],
    )


def _legal_records(centre: Centre) -> None:
    family = centre.families.order_by("pk").first()
    mum = family.adults.order_by("pk").first()
    DisclosureRequestFactory(family=family)
    WitnessSummonsFactory(centre=centre, family=family)
    PoliceVisitFactory(centre=centre)
    AssessmentAgreementFactory(family=family)
    SubjectAccessRequestFactory(adult=mum)


def _policy_review_due(centre: Centre) -> None:
    centre.policies.update(next_review_due=timezone.localdate() + datetime.timedelta(days=21))


def load_demo_world() -> dict[str, User]:
    """Load it all; the accounts of each role, the Chichester centre's for the centre roles."""
    load_demo()
    centre = Centre.objects.get(slug="chichester")
    # The centre's own demo people (the demo's referrer at two centres is made after them).
    users = {
        role: User.objects.filter(memberships__centre=centre, memberships__role=role)
        .order_by("pk")
        .first()
        for role in ROLES[:4]
    }
    users["operator"] = User.objects.get(memberships__role=Role.OPERATOR)
    _past_session_of_the_volunteer(centre, users)
    _waiting_referral(centre, users)
    _legal_records(centre)
    _policy_review_due(centre)
    return users
