"""Session pages in families: booking with keep-apart refusals and cancelling; the cards the
dashboard, day and week views draw (families/timeline.py); outsiders on every session page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families import session_services
from families.models import (
    Adult,
    ContactSession,
    Family,
    Room,
    SessionNote,
)
from families.timeline import add_plans, session_cards
from tests.factories import (
    AdultFactory,
    FamilyFactory,
    KeepApartFactory,
    ReferralFactory,
)
from tests.session_cases import (
    CENTRE_PAGES,
    DAY,
    OUTSIDERS,
    _outsider_requests,
    book,
    form_data,
    text_of,
)
from volunteers.rota_services import cover_annotations

pytestmark = pytest.mark.django_db


def test_the_booking_form_defaults_to_the_resident_parent_and_the_referrals_contact_type(
    cast, login, case
):
    ReferralFactory(family=case.family, status="accepted", contact_type="supported", review_due=DAY)
    response = login(cast.coordinator).get(reverse("session_book", args=[case.family.pk]))
    form = response.context["form"]
    assert form.initial["bringing"] == case.resident.pk
    assert form.initial["contact_type"] == "supported"
    assert form.initial["children"] == [case.child.pk]
    html = text_of(response)
    assert "Rosalind" in html and "Poppy" in html
    for secret in ["Quillfeather", "Hidden Lane", "07700 900111", "rosalind@private.example"]:
        assert secret not in html


def test_the_booking_form_ignores_a_pending_or_declined_referral_for_the_contact_type(
    cast, login, case
):
    ReferralFactory(family=case.family, status="pending", contact_type="supported")
    response = login(cast.coordinator).get(reverse("session_book", args=[case.family.pk]))
    assert response.context["form"].initial["contact_type"] == "supervised"


def test_a_coordinator_books_a_session_with_staggered_arrivals(cast, login, case):
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]), form_data(case)
    )
    session = ContactSession.objects.get()
    assert response.url == reverse("session_detail", args=[session.pk])
    assert (session.date, session.room.name, session.booked_by) == (
        DAY,
        "Garden room",
        cast.coordinator,
    )
    assert not session.recorded_afterwards
    assert session.instructions == "Meet at the side door."
    plan = session.adults.get(adult=case.resident)
    assert plan.brings_child and plan.leaves_at == datetime.time(9, 45)
    assert [c.child for c in session.children.all()] == [case.child]


def test_a_clash_shows_the_form_again_with_what_was_typed_and_why(cast, login, case):
    other_family = FamilyFactory(centre=cast.centre, accepted=True)
    stepmother = AdultFactory(family=other_family, role=Adult.Role.NAMED_VISITOR)
    KeepApartFactory(adult_a=case.other, adult_b=stepmother)
    book(other_family, [stepmother], start="11:00", end="12:00", by=cast.coordinator)
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]), form_data(case, starts_at="10:30")
    )
    assert response.status_code == 200
    html = text_of(response)
    assert f"{case.family.reference} non-resident parent (10:30–12:00)" in html
    assert f"{other_family.reference} named visitor (10:45–12:15)" in html
    room = Room.objects.get(name="Garden room")
    assert 'value="10:30"' in html and f'<option value="{room.pk}" selected>Garden room' in html
    assert "Meet at the side door." in html
    assert ContactSession.objects.filter(family=case.family).count() == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"starts_at": "12:00", "ends_at": "11:00"}, "Contact must end after it starts."),
        ({"starts_at": "23:00", "ends_at": "23:55"}, "runs past midnight"),
        ({"starts_at": "00:05", "ends_at": "01:00"}, "runs past midnight"),
        ({"starts_at": "25:99"}, "Enter a valid time."),
        ({"date": "2030-02-30"}, "Enter a valid date."),
        ({"bringing": "not-a-number"}, "Select a valid choice."),
        ({"adults": [999999]}, "Select a valid choice."),
        ({"children": []}, "This field is required."),
        ({"adults": []}, "This field is required."),
        ({"contact_type": "court_report"}, "Select a valid choice."),
        ({"room": ""}, "This field is required."),
        ({"room": "987654"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error_never_a_crash(cast, login, case, changes, message):
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]), form_data(case, **changes)
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert not ContactSession.objects.exists()


def test_another_centres_room_is_not_a_choice(cast, login, case):
    theirs = Room.objects.create(centre=cast.other_centre, name="Their hall", capacity=9)
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]), form_data(case, room=theirs.pk)
    )
    assert "Select a valid choice." in text_of(response) and "Their hall" not in text_of(response)
    assert not ContactSession.objects.exists()


def test_the_adult_bringing_the_child_must_attend(cast, login, case):
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]), form_data(case, adults=[case.other.pk])
    )
    assert "Tick the adult bringing the child as attending too." in text_of(response)
    assert not ContactSession.objects.exists()


def test_an_adult_of_another_family_cannot_be_booked_through_this_one(cast, login, case):
    stranger = AdultFactory(family=FamilyFactory(centre=cast.centre))
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]),
        form_data(case, adults=[case.resident.pk, stranger.pk]),
    )
    assert "Select a valid choice." in text_of(response)
    assert not ContactSession.objects.exists()


def test_the_booking_page_lists_the_familys_keep_apart_flags_by_role(cast, login, case):
    html = text_of(login(cast.coordinator).get(reverse("session_book", args=[case.family.pk])))
    ref = case.family.reference
    assert f"{ref} resident parent and {ref} non-resident parent" in html


def test_the_coordinator_cancels_a_session(cast, login, session):
    client = login(cast.coordinator)
    response = client.post(reverse("session_cancel", args=[session.pk]))
    assert response.url == reverse("session_detail", args=[session.pk])
    session.refresh_from_db()
    assert session.status == ContactSession.Status.CANCELLED
    html = text_of(client.get(response.url))
    assert "Cancelled" in html and "Record attendance" not in html


@pytest.mark.parametrize("name", ["session_cancel", "attendance_record", "session_note_add"])
def test_changes_are_refused_by_get(cast, login, session, name):
    response = login(cast.coordinator).get(reverse(name, args=[session.pk]))
    assert response.status_code == 405
    session.refresh_from_db()
    assert session.status == ContactSession.Status.BOOKED


def test_an_unknown_session_is_a_404(cast, login):
    assert login(cast.coordinator).get(reverse("session_detail", args=[987654])).status_code == 404


def test_session_cards_read_two_queries_whatever_the_number_of_sessions(cast, case, session):
    """The dashboard, day and week views draw sessions with `session_cards`: plain values, roles
    and times only (no name, so no data key is opened), in two queries for any number."""
    later = book(
        case.family, [case.resident, case.other], by=cast.coordinator, start="14:00", end="15:00"
    )
    sessions = ContactSession.objects.filter(pk__in=[session.pk, later.pk]).order_by("starts_at")
    with CaptureQueriesContext(connection) as queries:
        cards = session_cards(sessions, cover=cover_annotations())
    assert len(queries) == 2
    first, second = cards
    assert (first.hours, first.reference, first.room) == (
        "10:00–12:00",
        case.family.reference,
        "Blue room",
    )
    assert [
        (row.role, row.arrives, row.leaves, row.returns, row.departs) for row in first.plan
    ] == [
        ("Resident parent", "09:35", "09:45", "12:15", "12:25"),
        ("Non-resident parent", "10:00", "", "", "12:00"),
    ]
    assert first.plan[0].brings_child and first.plan[0].kept_apart
    assert not first.plan[1].kept_apart
    assert second.cover == (0, 2) and second.below_cover  # supervised: two needed, none yet
    assert session_cards(sessions)[0].cover is None  # where the page shows no cover
    html = render_to_string("families/session_card.html", {"card": first})
    assert "Resident parent" in html and "09:35" in html and "kept apart" in html
    assert "Rosalind" not in html and "Quillfeather" not in html


def test_session_cards_can_leave_the_plans_for_the_cards_that_show_them(cast, case, session):
    later = book(
        case.family, [case.resident, case.other], by=cast.coordinator, start="14:00", end="15:00"
    )
    sessions = ContactSession.objects.filter(pk__in=[session.pk, later.pk]).order_by("starts_at")
    first, second = session_cards(sessions, plans=False)
    assert first.plan == [] and second.plan == []
    # The timeline in brief comes with the cards, without the plans.
    assert first.in_building == "09:35–12:25" and first.handover
    assert second.in_building == "13:35–15:25" and second.handover
    with CaptureQueriesContext(connection) as queries:
        add_plans([second])
    assert len(queries) == 1
    assert first.plan == [] and [row.role for row in second.plan] == [
        "Resident parent", "Non-resident parent"
    ]  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        add_plans([])
    assert len(queries) == 0


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_a_404_from_every_session_page(cast, login, case, session, who):
    client = login(getattr(cast, who))
    for method, url, data in _outsider_requests(case, session):
        assert getattr(client, method)(url, data).status_code == 404, (who, url)
    session.refresh_from_db()
    assert session.status == ContactSession.Status.BOOKED
    assert ContactSession.objects.count() == 1
    assert not SessionNote.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, case, session):
    login_url = reverse("login")
    urls = [(m, u, d) for m, u, d in _outsider_requests(case, session)]
    urls += [("get", reverse(name, args=args), {}) for name, args in CENTRE_PAGES]
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(login_url), url
    assert ContactSession.objects.count() == 1
    assert not SessionNote.objects.exists()


def test_the_service_refuses_to_cancel_a_session_twice(cast, case, session):
    session_services.session_cancel(session=session, by=cast.coordinator)
    Family.objects.filter(pk=case.family.pk).update(
        last_activity=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    with pytest.raises(ValidationError, match="cancelled already"):
        session_services.session_cancel(
            session=ContactSession.objects.get(pk=session.pk), by=cast.chair
        )
    case.family.refresh_from_db()
    assert case.family.last_activity.year == 2020  # a refused cancel is not a use
