"""The volunteer portal: only their own sessions, only what a session needs (SPEC §2), and
the three things a volunteer records: attendance, factual notes, requests for guidance and
concerns (CHI-4.2). No export, print or report of any kind (CHI-4.3)."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from families.models import Adult, Concern, SessionAttendance, SessionNote
from tests.factories import (
    AdultFactory,
    ChildAttendanceFactory,
    ChildFactory,
    ContactSessionFactory,
    DbsCheckFactory,
    FamilyFactory,
    KeepApartFactory,
    ReferralFactory,
    SessionAttendanceFactory,
    UserFactory,
)
from tests.volunteers.conftest import book, put_on_rota
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate

# Canary values: none of them may reach any portal page.
SECRETS = [
    "Quartermaine-Zebedee",  # surnames
    "Fotheringay-Wolsey",
    "Xylander-Child",
    "17 Nightingale Crescent",  # address
    "Wolverhampton WV9 9ZZ",
    "07700 900123",  # phone
    "hidden.parent@example.net",  # email
    "Canary-court-order-text",  # referral details and reasons
    "Canary-risk-detail",
    "Canary-access-need",
    "Canary-needs-text",
    "Otherfamily-Firstname",  # another family on the same day
    "998877665544",  # another volunteer's DBS certificate
    "Colleague-Surname",
]


@pytest.fixture
def canary(cast, volunteer):
    """A session today with distinctive personal data all around it."""
    family = FamilyFactory(centre=cast.centre)
    session = ContactSessionFactory(
        family=family, date=TODAY(), instructions="Use the garden room door."
    )
    resident = AdultFactory(
        family=family,
        role=Adult.Role.RESIDENT_PARENT,
        first_name="Rosa",
        last_name="Quartermaine-Zebedee",
        address="17 Nightingale Crescent\nWolverhampton WV9 9ZZ",
        phone="07700 900123",
        email="hidden.parent@example.net",
    )
    visitor = AdultFactory(
        family=family,
        role=Adult.Role.NON_RESIDENT_PARENT,
        first_name="Victor",
        last_name="Fotheringay-Wolsey",
        address="17 Nightingale Crescent",
        phone="07700 900123",
    )
    SessionAttendanceFactory(
        session=session,
        adult=resident,
        brings_child=True,
        arrives_at=datetime.time(9, 40),
        departs_at=datetime.time(12, 20),
        leaves_at=datetime.time(9, 50),
        returns_at=datetime.time(11, 50),
    )
    SessionAttendanceFactory(
        session=session,
        adult=visitor,
        arrives_at=datetime.time(10, 5),
        departs_at=datetime.time(11, 45),
    )
    child = ChildFactory(
        family=family,
        first_name="Tilly",
        last_name="Xylander-Child",
        date_of_birth=TODAY().replace(year=TODAY().year - 7) - datetime.timedelta(days=1),
        needs="Canary-needs-text",
    )
    ChildAttendanceFactory(session=session, child=child)
    KeepApartFactory(adult_a=resident, adult_b=visitor)
    ReferralFactory(
        family=family,
        court_order="Canary-court-order-text",
        risk_details="Canary-risk-detail",
        access_needs="Canary-access-need",
    )
    put_on_rota(volunteer, session)
    # Around it: another family the same day, and a colleague with a DBS check.
    other = book(cast.centre, day=TODAY())
    other.resident.first_name = "Otherfamily-Firstname"
    other.resident.save()
    colleague = Volunteer.objects.get(user=UserFactory(role="volunteer", centre=cast.centre))
    colleague.last_name = "Colleague-Surname"
    colleague.save()
    DbsCheckFactory(volunteer=colleague, certificate_number="998877665544")
    put_on_rota(colleague, session)
    put_on_rota(colleague, other.session)
    return session


def assert_no_secret(html: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in html, f"{secret!r} on {where}"


def test_the_canary_no_surname_address_phone_or_email_on_any_portal_page(cast, login, canary):
    client = login(cast.volunteer)
    attendance = canary.adults.first()
    pages = {
        "list": client.get(reverse("volunteer_portal")),
        "session": client.get(reverse("portal_session", args=[canary.pk])),
        # pages re-shown with form errors
        "attendance error": client.post(
            reverse("portal_attendance", args=[canary.pk, attendance.pk]),
            {f"a{attendance.pk}-outcome": "nonsense"},
        ),
        "note error": client.post(reverse("portal_note", args=[canary.pk]), {"note-text": ""}),
        "concern error": client.post(
            reverse("portal_concern", args=[canary.pk]), {"concern-text": ""}
        ),
        # pages after each thing a volunteer records
        "after attendance": client.post(
            reverse("portal_attendance", args=[canary.pk, attendance.pk]),
            {f"a{attendance.pk}-outcome": "attended", f"a{attendance.pk}-actual_arrival": "09:41"},
            follow=True,
        ),
        "after note": client.post(
            reverse("portal_note", args=[canary.pk]),
            {"note-text": "Handover went calmly."},
            follow=True,
        ),
        "after concern": client.post(
            reverse("portal_concern", args=[canary.pk]),
            {"concern-kind": "guidance", "concern-text": "Who collects?"},
            follow=True,
        ),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        assert_no_secret(response.content.decode(), where)
    # The page did show the session: the canary is not silent because the page was empty.
    session_html = pages["session"].content.decode()
    for shown in [canary.family.reference, "Rosa", "Victor", "Tilly", "Use the garden room door"]:
        assert shown in session_html


def test_the_session_page_shows_what_the_session_needs(cast, login, canary):
    html = login(cast.volunteer).get(reverse("portal_session", args=[canary.pk])).content.decode()
    text = re.sub(r"\s+", " ", html)
    assert "Tilly, 7" in text  # first name and age on the day
    assert "Rosa" in text and "resident parent" in text
    assert "Victor" in text and "non-resident parent" in text
    assert "Supervised contact" in text
    assert "09:40" in text and "09:50–11:50" in text and "12:20" in text  # the plan
    assert "10:05" in text and "11:45" in text
    assert "Keep apart" in text and "keep apart</span>" in text


def test_the_list_shows_only_the_volunteers_own_sessions(cast, login, volunteer):
    mine = book(cast.centre)
    not_mine = book(cast.centre, day=mine.session.date)
    put_on_rota(volunteer, mine.session)
    html = login(cast.volunteer).get(reverse("volunteer_portal")).content.decode()
    assert mine.session.family.reference in html
    assert not_mine.session.family.reference not in html


def test_the_portal_says_there_are_no_reports_and_offers_no_export(cast, login, canary):
    client = login(cast.volunteer)
    for url in [reverse("volunteer_portal"), reverse("portal_session", args=[canary.pk])]:
        html = client.get(url).content.decode()
        assert "volunteers do not write reports for court" in html
        lowered = html.lower()
        for word in ["export", "download", "csv", "print", ".pdf", "window.print"]:
            assert word not in lowered, (url, word)


def test_a_volunteer_records_arrival_and_departure(cast, login, canary):
    attendance = canary.adults.first()
    login(cast.volunteer).post(
        reverse("portal_attendance", args=[canary.pk, attendance.pk]),
        {
            f"a{attendance.pk}-outcome": "attended",
            f"a{attendance.pk}-actual_arrival": "09:41",
            f"a{attendance.pk}-actual_departure": "12:22",
        },
    )
    attendance.refresh_from_db()
    assert (attendance.outcome, attendance.actual_arrival, attendance.actual_departure) == (
        "attended",
        datetime.time(9, 41),
        datetime.time(12, 22),
    )
    canary.family.refresh_from_db()
    assert canary.family.last_activity.date() == TODAY()


def test_a_volunteer_records_a_non_attendance(cast, login, canary):
    attendance = canary.adults.last()
    login(cast.volunteer).post(
        reverse("portal_attendance", args=[canary.pk, attendance.pk]),
        {f"a{attendance.pk}-outcome": "did_not_attend"},
    )
    attendance.refresh_from_db()
    assert attendance.outcome == SessionAttendance.Outcome.DID_NOT_ATTEND


def test_bad_attendance_times_are_explained_and_kept(cast, login, canary):
    attendance = canary.adults.first()
    response = login(cast.volunteer).post(
        reverse("portal_attendance", args=[canary.pk, attendance.pk]),
        {
            f"a{attendance.pk}-outcome": "attended",
            f"a{attendance.pk}-actual_arrival": "12:00",
            f"a{attendance.pk}-actual_departure": "11:00",
        },
    )
    assert response.status_code == 200
    assert "Departure must be after arrival" in response.content.decode()
    response = login(cast.volunteer).post(
        reverse("portal_attendance", args=[canary.pk, attendance.pk]),
        {f"a{attendance.pk}-outcome": "attended", f"a{attendance.pk}-actual_arrival": "25:99"},
    )
    assert response.status_code == 200 and "Enter a valid time" in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.outcome == "expected"


def test_attendance_waits_for_the_day_of_the_session(cast, login, volunteer):
    booked = book(cast.centre, day=TODAY() + datetime.timedelta(days=3))
    put_on_rota(volunteer, booked.session)
    attendance = booked.session.adults.first()
    response = login(cast.volunteer).post(
        reverse("portal_attendance", args=[booked.session.pk, attendance.pk]),
        {f"a{attendance.pk}-outcome": "did_not_attend"},
    )
    assert "recorded on the day of the session" in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.outcome == "expected"


def test_a_volunteer_writes_a_factual_note(cast, login, canary):
    login(cast.volunteer).post(
        reverse("portal_note", args=[canary.pk]),
        {"note-text": "Tilly arrived at 09:40 and played with Lego."},
    )
    note = SessionNote.objects.get()
    assert (note.session, note.author) == (canary, cast.volunteer)


def test_an_empty_note_is_explained(cast, login, canary):
    response = login(cast.volunteer).post(
        reverse("portal_note", args=[canary.pk]), {"note-text": " "}
    )
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not SessionNote.objects.exists()


def test_a_request_for_guidance_reaches_the_coordinator_at_once_without_an_email(
    cast, login, canary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.volunteer).post(
            reverse("portal_concern", args=[canary.pk]),
            {
                "concern-kind": "guidance",
                "concern-text": "Dad asked me for the mother's new address.",
            },
        )
    concern = Concern.objects.get()
    assert (concern.kind, concern.status, concern.family, concern.session, concern.raised_by) == (
        "guidance",
        "open",
        canary.family,
        canary,
        cast.volunteer,
    )
    assert mail.outbox == []


@pytest.mark.parametrize("kind", ["safeguarding", "violence"])
def test_an_urgent_concern_also_emails_the_coordinators_with_the_reference_only(
    cast, login, canary, django_capture_on_commit_callbacks, kind
):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.volunteer).post(
            reverse("portal_concern", args=[canary.pk]),
            {"concern-kind": kind, "concern-text": "Tilly said Victor hit her."},
        )
    assert Concern.objects.get().kind == kind
    email = mail.outbox[-1]
    assert cast.coordinator.email in email.to
    assert cast.other_coordinator.email not in email.to
    assert canary.family.reference in email.body and "Sign in to read it" in email.body
    for secret in ["Tilly", "Victor", "hit", "Rosa", *SECRETS]:
        assert secret not in email.body and secret not in email.subject


def test_a_concern_needs_a_kind_and_words(cast, login, canary):
    response = login(cast.volunteer).post(
        reverse("portal_concern", args=[canary.pk]),
        {"concern-kind": "gossip", "concern-text": "x"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Concern.objects.exists()


def test_the_volunteer_sees_their_own_concerns_and_only_a_guidance_answer(cast, login, canary):
    # Issue 17: the answer to a request for guidance is shown to the volunteer who asked; the
    # outcome of a safeguarding concern is not (tests/volunteers/test_guidance_answer.py).
    from families import services as family_services

    client = login(cast.volunteer)
    for kind, text in [("guidance", "Q?"), ("safeguarding", "S?")]:
        client.post(
            reverse("portal_concern", args=[canary.pk]),
            {"concern-kind": kind, "concern-text": text},
        )
    for concern in Concern.objects.all():
        family_services.concern_close(
            concern=concern, by=cast.coordinator, outcome=f"Canary-outcome-{concern.kind}"
        )
    html = client.get(reverse("portal_session", args=[canary.pk])).content.decode()
    assert "Request for guidance" in html and "closed" in html
    assert "Canary-outcome-guidance" in html
    assert "Canary-outcome-safeguarding" not in html


def test_portal_pages_keep_a_fixed_number_of_queries(
    cast, login, volunteer, django_assert_max_num_queries
):
    client = login(cast.volunteer)
    first = book(cast.centre, day=TODAY())
    put_on_rota(volunteer, first.session)
    urls = [reverse("volunteer_portal"), reverse("portal_session", args=[first.session.pk])]
    counts = []
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(40) as captured:
            client.get(url)
        counts.append(len(captured.captured_queries))
    # More sessions, more adults and children on the same session.
    for days in range(1, 8):
        put_on_rota(
            volunteer, book(cast.centre, day=TODAY() + datetime.timedelta(days=days)).session
        )
    for _ in range(3):
        adult = AdultFactory(family=first.session.family)
        SessionAttendanceFactory(session=first.session, adult=adult)
        ChildAttendanceFactory(
            session=first.session, child=ChildFactory(family=first.session.family)
        )
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
