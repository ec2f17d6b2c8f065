"""A family of the home centre (Chichester variant) referred by cast.referrer, with a mother
and a father whose names, addresses, notes and rooms must never leave the centre."""

import datetime

import pytest
from django.utils import timezone

from cccc.models import Role, User
from disclosures import sar_services
from disclosures.sar_export import sar_pending
from families.models import Adult, ContactSession, Referral, SessionAttendance
from tests.factories import (
    AdultFactory,
    ChildFactory,
    ConcernFactory,
    ConsentGrantFactory,
    ContactSessionFactory,
    FamilyFactory,
    KeepApartFactory,
    ReferralFactory,
    SessionAttendanceFactory,
    SessionNoteFactory,
    SubjectAccessRequestFactory,
)
from tests.mail_cases import pair  # noqa: F401
from tests.smtp_sink import closed_port, retries_in_process, smtp_sink  # noqa: F401

# Words that appear only in the family's private record: none may reach an outsider.
SECRETS = [
    "Rowena", "Quillfeather", "Larkspur", "07700 900123", "rowena.q@example.net",
    "Bramwell", "Stonecutter", "Gorse Row", "07700 900456", "Pip", "Kingfisher",
    "Zebra-instructions", "Walrus-note", "Narwhal-concern",
]  # fmt: skip


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def family(cast):
    return FamilyFactory(centre=cast.centre)


@pytest.fixture
def mum(family):
    return AdultFactory(
        family=family,
        role=Adult.Role.RESIDENT_PARENT,
        first_name="Rowena",
        last_name="Quillfeather",
        address="14 Larkspur Close, Newtown",
        phone="07700 900123",
        email="rowena.q@example.net",
    )


@pytest.fixture
def dad(family):
    return AdultFactory(
        family=family,
        role=Adult.Role.NON_RESIDENT_PARENT,
        first_name="Bramwell",
        last_name="Stonecutter",
        address="9 Gorse Row, Oldtown",
        phone="07700 900456",
        email="bram.s@example.net",
    )


@pytest.fixture
def referral(cast, family):
    return ReferralFactory(family=family, referrer=cast.referrer, status=Referral.Status.ACCEPTED)


def _session(family, day, *, status=ContactSession.Status.BOOKED):
    return ContactSessionFactory(
        family=family,
        date=day,
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(11, 30),
        room="Kingfisher room",
        instructions="Zebra-instructions: the side door only",
        status=status,
    )


@pytest.fixture
def sessions(family, mum, dad):
    """Two past sessions (one the father missed), a cancelled one and a future one."""
    ChildFactory(family=family, first_name="Pip")
    first = _session(family, days_ago(20))
    SessionAttendanceFactory(
        session=first, adult=mum, arrives_at=datetime.time(9, 45),
        departs_at=datetime.time(11, 45), outcome=SessionAttendance.Outcome.ATTENDED,
        actual_arrival=datetime.time(9, 47), actual_departure=datetime.time(11, 44),
    )  # fmt: skip
    SessionAttendanceFactory(
        session=first, adult=dad, arrives_at=datetime.time(10, 0),
        departs_at=datetime.time(11, 30), outcome=SessionAttendance.Outcome.ATTENDED,
        actual_arrival=datetime.time(10, 2), actual_departure=datetime.time(11, 29),
    )  # fmt: skip
    SessionNoteFactory(session=first, text="Walrus-note: father brought a gift")
    ConcernFactory(family=family, text="Narwhal-concern about the handover")
    second = _session(family, days_ago(6))
    SessionAttendanceFactory(
        session=second, adult=mum, arrives_at=datetime.time(9, 45),
        departs_at=datetime.time(11, 45), outcome=SessionAttendance.Outcome.ATTENDED,
        actual_arrival=datetime.time(9, 40), actual_departure=datetime.time(10, 15),
    )  # fmt: skip
    SessionAttendanceFactory(
        session=second, adult=dad, arrives_at=datetime.time(10, 0),
        departs_at=datetime.time(11, 30), outcome=SessionAttendance.Outcome.DID_NOT_ATTEND,
    )  # fmt: skip
    cancelled = _session(family, days_ago(13), status=ContactSession.Status.CANCELLED)
    SessionAttendanceFactory(session=cancelled, adult=mum)
    future = _session(family, days_ago(-5))
    SessionAttendanceFactory(session=future, adult=mum)
    return {"first": first, "second": second, "cancelled": cancelled, "future": future}


@pytest.fixture
def subject(cast, family, mum, dad, sessions, referral):
    """The mother's subject access request, her identity checked; her record mentions the
    father in free text."""
    SessionNoteFactory(
        session=sessions["first"],
        text="Bramwell Stonecutter was late; his number is 07700 900456. Rowena waited.",
    )
    ConsentGrantFactory(adult=mum, recipient_name="Her solicitor Ms Quince")
    KeepApartFactory(adult_a=mum, adult_b=dad, created_by=cast.coordinator)
    return SubjectAccessRequestFactory(
        adult=mum, identity_checked_on=timezone.localdate(), identity_check="photo_id"
    )


# --- the father's subject access request (issue 15) ----------------------------------------


def review_all(sar, by=None) -> None:
    """As the coordinator would after reading each one: mark every item still to review of an
    open request released."""
    sar.refresh_from_db()
    if not sar.is_open:
        return
    by = (
        by
        or User.objects.filter(
            memberships__role=Role.COORDINATOR, memberships__centre=sar.centre
        ).first()
    )
    for item in sar_pending(sar, by=by):
        sar_services.sar_release_item(sar=sar, by=by, item_key=item.key)


ADDRESS = "Flat 2, 14 Elm Grove, Hove BN3 4AB"
NOTE = (
    "Mum said she moved to Hove (BN3 4AB) last month; new mobile 07700-900-123. "
    "Ms O’Sullivan’s sister brought Pip."
)
RISK = (
    "Mother left after domestic abuse… Father must not learn her address. "
    "Now housed near Elm Grove, Hove."
)
CONCERN = "Violence-concern: father followed mother's car after the last handover."


@pytest.fixture
def fathers(cast):
    """The father's request: his identity checked, a session both parents attended, a note
    about the mother, the referral's risk screening and a concern."""
    family = FamilyFactory(centre=cast.centre)
    mother = AdultFactory(
        family=family, role=Adult.Role.RESIDENT_PARENT, first_name="Siobhan",
        last_name="O'Sullivan", address=ADDRESS, phone="07700 900123", email="s.os@example.net",
    )  # fmt: skip
    father = AdultFactory(
        family=family, role=Adult.Role.NON_RESIDENT_PARENT, first_name="Declan",
        last_name="Farrow", address="3 Quarry Lane, Lewes BN7 2AA", phone="01273 555777",
        email="d.farrow@example.net",
    )  # fmt: skip
    ChildFactory(family=family, first_name="Pip")
    session = ContactSessionFactory(
        family=family, date=timezone.localdate() - datetime.timedelta(days=7)
    )
    for adult in (mother, father):
        SessionAttendanceFactory(
            session=session, adult=adult, outcome=SessionAttendance.Outcome.ATTENDED
        )
    SessionNoteFactory(session=session, text=NOTE)
    ReferralFactory(family=family, referrer=cast.referrer, risk_details=RISK)
    ConcernFactory(family=family, kind="violence", text=CONCERN)
    KeepApartFactory(adult_a=mother, adult_b=father, created_by=cast.coordinator)
    return SubjectAccessRequestFactory(
        adult=father, identity_checked_on=timezone.localdate(), identity_check="photo_id"
    )
