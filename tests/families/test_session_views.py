"""Session pages: booking with keep-apart refusals, the session page (plan, attendance, notes,
cancel), and the day and week views."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families import session_services
from families.models import (
    Adult,
    Child,
    ContactSession,
    Family,
    SessionAttendance,
    SessionNote,
)
from families.timeline import add_plans, session_cards
from tests.factories import (
    AdultFactory,
    ChildFactory,
    FamilyFactory,
    KeepApartFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2030, 3, 6)  # a Wednesday
DAY_TEXT = DAY.isoformat()


@dataclass
class Case:
    family: Family
    resident: Adult
    other: Adult
    child: Child


@pytest.fixture
def case(cast) -> Case:
    family = FamilyFactory(centre=cast.centre)
    resident = AdultFactory(
        family=family,
        role=Adult.Role.RESIDENT_PARENT,
        first_name="Rosalind",
        last_name="Quillfeather",
        address="1 Hidden Lane, Secretbury",
        phone="07700 900111",
        email="rosalind@private.example",
    )
    other = AdultFactory(
        family=family,
        role=Adult.Role.NON_RESIDENT_PARENT,
        first_name="Norbert",
        last_name="Thistlewood",
        address="9 Far Road, Elsewhere",
        phone="07700 900222",
        email="norbert@private.example",
    )
    KeepApartFactory(adult_a=resident, adult_b=other)
    child = ChildFactory(family=family, first_name="Poppy")
    return Case(family, resident, other, child)


def book(family, adults, *, start="10:00", end="12:00", by, date=DAY):
    return session_services.session_book(
        family=family,
        date=date,
        starts_at=datetime.time.fromisoformat(start),
        ends_at=datetime.time.fromisoformat(end),
        contact_type="supervised",
        adults=adults,
        bringing=adults[0],
        booked_by=by,
        room="Blue room",
    )


def form_data(case: Case, **changes) -> dict:
    data = {
        "date": DAY_TEXT,
        "starts_at": "10:00",
        "ends_at": "12:00",
        "room": "Garden room",
        "contact_type": "supervised",
        "adults": [case.resident.pk, case.other.pk],
        "bringing": case.resident.pk,
        "children": [case.child.pk],
        "instructions": "Meet at the side door.",
    }
    data.update(changes)
    return data


def text_of(response) -> str:
    return response.content.decode()


# --- booking --------------------------------------------------------------------------------


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
    assert (session.date, session.room, session.booked_by) == (DAY, "Garden room", cast.coordinator)
    assert session.instructions == "Meet at the side door."
    plan = session.adults.get(adult=case.resident)
    assert plan.brings_child and plan.leaves_at == datetime.time(9, 45)
    assert [c.child for c in session.children.all()] == [case.child]


def test_a_clash_shows_the_form_again_with_what_was_typed_and_why(cast, login, case):
    other_family = FamilyFactory(centre=cast.centre)
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
    assert 'value="10:30"' in html and 'value="Garden room"' in html
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
    ],
)
def test_bad_input_is_a_form_error_never_a_crash(cast, login, case, changes, message):
    response = login(cast.coordinator).post(
        reverse("session_book", args=[case.family.pk]), form_data(case, **changes)
    )
    assert response.status_code == 200
    assert message in text_of(response)
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


# --- the session page -----------------------------------------------------------------------


@pytest.fixture
def session(cast, case) -> ContactSession:
    return book(case.family, [case.resident, case.other], by=cast.coordinator)


def test_the_session_page_shows_the_plan_by_role_and_first_name_only(cast, login, case, session):
    html = text_of(login(cast.coordinator).get(reverse("session_detail", args=[session.pk])))
    assert "Wednesday 6 March 2030" in html
    assert "10:00–12:00" in html and "Blue room" in html and "Supervised" in html
    # The resident parent's plan: arrives, leaves after handover, returns, departs.
    row = re.search(r"Resident parent.*?</tr>", html, re.S)[0]
    assert [*re.findall(r"\d\d:\d\d", row)] == ["09:35", "09:45", "12:15", "12:25"]
    assert "Rosalind" in html and "Norbert" in html and "Poppy" in html
    for secret in [
        "Quillfeather", "Thistlewood", "Hidden Lane", "Far Road", "07700 900111",
        "07700 900222", "rosalind@private.example", "norbert@private.example",
    ]:  # fmt: skip
        assert secret not in html


def test_the_coordinator_records_attendance_for_adults_and_children(cast, login, case, session):
    resident = session.adults.get(adult=case.resident)
    other = session.adults.get(adult=case.other)
    child = session.children.get()
    response = login(cast.coordinator).post(
        reverse("attendance_record", args=[session.pk]),
        {
            f"adult-{resident.pk}-outcome": "attended",
            f"adult-{resident.pk}-actual_arrival": "09:36",
            f"adult-{resident.pk}-actual_departure": "12:30",
            f"adult-{other.pk}-outcome": "did_not_attend",
            f"child-{child.pk}-outcome": "attended",
        },
    )
    assert response.url == reverse("session_detail", args=[session.pk])
    resident.refresh_from_db()
    other.refresh_from_db()
    child.refresh_from_db()
    assert (resident.outcome, resident.actual_arrival, resident.actual_departure) == (
        "attended",
        datetime.time(9, 36),
        datetime.time(12, 30),
    )
    assert other.outcome == "did_not_attend"
    assert child.outcome == "attended"


def test_bad_attendance_keeps_what_was_typed_and_saves_nothing(cast, login, case, session):
    resident = session.adults.get(adult=case.resident)
    other = session.adults.get(adult=case.other)
    child = session.children.get()
    response = login(cast.coordinator).post(
        reverse("attendance_record", args=[session.pk]),
        {
            f"adult-{resident.pk}-outcome": "attended",
            f"adult-{resident.pk}-actual_arrival": "12:30",
            f"adult-{resident.pk}-actual_departure": "09:36",
            f"adult-{other.pk}-outcome": "attended",
            f"child-{child.pk}-outcome": "attended",
        },
    )
    assert response.status_code == 200
    html = text_of(response)
    assert "Departure must be after arrival." in html
    assert 'value="12:30"' in html
    assert set(SessionAttendance.objects.values_list("outcome", flat=True)) == {"expected"}
    child.refresh_from_db()
    assert child.outcome == "expected"


def test_a_nonsense_attendance_outcome_is_a_form_error(cast, login, case, session):
    resident = session.adults.get(adult=case.resident)
    response = login(cast.coordinator).post(
        reverse("attendance_record", args=[session.pk]),
        {f"adult-{resident.pk}-outcome": "teleported"},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in text_of(response)


def test_the_coordinator_adds_a_factual_note(cast, login, session):
    client = login(cast.coordinator)
    response = client.post(
        reverse("session_note_add", args=[session.pk]), {"text": "  Contact went well.  "}
    )
    assert response.url == reverse("session_detail", args=[session.pk])
    note = SessionNote.objects.get()
    assert (note.text, note.author, note.session) == (
        "Contact went well.",
        cast.coordinator,
        session,
    )
    assert "Contact went well." in text_of(client.get(response.url))


def test_an_empty_note_is_refused_with_an_explanation(cast, login, session):
    response = login(cast.coordinator).post(
        reverse("session_note_add", args=[session.pk]), {"text": "   "}
    )
    assert response.status_code == 200
    assert "This field is required." in text_of(response)
    assert not SessionNote.objects.exists()


def test_the_coordinator_cancels_a_session(cast, login, session):
    client = login(cast.coordinator)
    response = client.post(reverse("session_cancel", args=[session.pk]))
    assert response.url == reverse("session_detail", args=[session.pk])
    session.refresh_from_db()
    assert session.status == ContactSession.Status.CANCELLED
    html = text_of(client.get(response.url))
    assert "Cancelled" in html and "Record attendance" not in html


def test_attendance_for_a_cancelled_session_is_refused_on_the_page(cast, login, case, session):
    session_services.session_cancel(session=session, by=cast.coordinator)
    resident = session.adults.get(adult=case.resident)
    response = login(cast.coordinator).post(
        reverse("attendance_record", args=[session.pk]),
        {f"adult-{resident.pk}-outcome": "attended"},
        follow=True,
    )
    assert "This session was cancelled" in text_of(response)
    resident.refresh_from_db()
    assert resident.outcome == "expected"


@pytest.mark.parametrize("name", ["session_cancel", "attendance_record", "session_note_add"])
def test_changes_are_refused_by_get(cast, login, session, name):
    response = login(cast.coordinator).get(reverse(name, args=[session.pk]))
    assert response.status_code == 405
    session.refresh_from_db()
    assert session.status == ContactSession.Status.BOOKED


def test_an_unknown_session_is_a_404(cast, login):
    assert login(cast.coordinator).get(reverse("session_detail", args=[987654])).status_code == 404


# --- day and week ---------------------------------------------------------------------------


def test_the_day_view_shows_the_days_sessions_with_their_plan(cast, login, case, session):
    other_day = book(
        case.family,
        [case.resident],
        by=cast.coordinator,
        date=DAY + datetime.timedelta(days=1),
        start="15:00",
        end="16:00",
    )
    html = text_of(login(cast.coordinator).get(reverse("day_view_for", args=[DAY_TEXT])))
    assert reverse("session_detail", args=[session.pk]) in html
    assert reverse("session_detail", args=[other_day.pk]) not in html
    assert "09:35" in html and "12:25" in html  # the staggered plan
    assert reverse("day_view_for", args=["2030-03-05"]) in html
    assert reverse("day_view_for", args=["2030-03-07"]) in html
    assert f'href="{reverse("day_view")}"' in html
    assert "Rosalind" not in html  # roles only


def test_the_day_view_without_a_day_is_today(cast, login, case):
    today = timezone.localdate()
    session = book(case.family, [case.resident], by=cast.coordinator, date=today)
    response = login(cast.coordinator).get(reverse("day_view"))
    assert response.context["day"] == today
    assert reverse("session_detail", args=[session.pk]) in text_of(response)


def test_the_day_view_strikes_through_cancelled_sessions(cast, login, session):
    session_services.session_cancel(session=session, by=cast.coordinator)
    html = text_of(login(cast.coordinator).get(reverse("day_view_for", args=[DAY_TEXT])))
    assert f'<del><a href="{reverse("session_detail", args=[session.pk])}">' in html
    assert "09:35" not in html


def test_the_day_view_shows_no_other_centres_sessions(cast, login, session):
    html = text_of(login(cast.other_coordinator).get(reverse("day_view_for", args=[DAY_TEXT])))
    assert reverse("session_detail", args=[session.pk]) not in html
    assert session.family.reference not in html


@pytest.mark.parametrize(
    "day", ["2030-13-01", "2030-02-30", "tomorrow", "20300306", "2030-W10-3", "0001-01-01"]
)
def test_a_bad_day_is_a_404(cast, login, day):
    client = login(cast.coordinator)
    assert client.get(reverse("day_view_for", args=[day])).status_code == 404
    assert client.get(reverse("week_view_for", args=[day])).status_code == 404


def test_the_week_view_runs_from_monday_to_sunday(cast, login, case, session):
    sunday = book(
        case.family,
        [case.resident],
        by=cast.coordinator,
        date=datetime.date(2030, 3, 10),
        start="15:00",
        end="16:00",
    )
    next_monday = book(
        case.family,
        [case.resident],
        by=cast.coordinator,
        date=datetime.date(2030, 3, 11),
        start="15:00",
        end="16:00",
    )
    response = login(cast.coordinator).get(reverse("week_view_for", args=[DAY_TEXT]))
    assert response.context["monday"] == datetime.date(2030, 3, 4)
    html = text_of(response)
    assert reverse("session_detail", args=[session.pk]) in html
    assert reverse("session_detail", args=[sunday.pk]) in html
    assert reverse("session_detail", args=[next_monday.pk]) not in html
    assert reverse("week_view_for", args=["2030-02-25"]) in html
    assert reverse("week_view_for", args=["2030-03-11"]) in html
    assert f'href="{reverse("week_view")}"' in html


def test_the_week_view_without_a_day_is_this_week(cast, login):
    response = login(cast.coordinator).get(reverse("week_view"))
    today = timezone.localdate()
    assert response.context["monday"] == today - datetime.timedelta(days=today.weekday())


@pytest.mark.parametrize("name", ["day_view_for", "week_view_for"])
def test_the_day_and_week_views_show_each_sessions_cover_and_warn_below_it(
    cast, login, session, name
):
    from tests.factories import RotaEntryFactory

    cleared = {"volunteer__clearance_expires": DAY + datetime.timedelta(days=365)}
    RotaEntryFactory(session=session, **cleared)  # supervised: one of the two needed
    html = text_of(login(cast.coordinator).get(reverse(name, args=[DAY_TEXT])))
    assert "Cover 1/2" in html and "Below cover" in html
    RotaEntryFactory(session=session, **cleared)
    html = text_of(login(cast.coordinator).get(reverse(name, args=[DAY_TEXT])))
    assert "Cover 2/2" in html and "Below cover" not in html


def _fill(cast, date, how_many):
    """how_many sessions that day, each of its own family, each with a kept-apart pair."""
    for n in range(how_many):
        family = FamilyFactory(centre=cast.centre)
        resident = AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
        other = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
        KeepApartFactory(adult_a=resident, adult_b=other)
        ChildFactory(family=family)
        book(family, [resident, other], by=cast.coordinator, date=date, start=f"{9 + n:02d}:00")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["day_view_for", "week_view_for"])
def test_the_day_and_week_views_take_as_many_queries_for_many_sessions_as_for_few(
    cast, login, django_assert_max_num_queries, name
):
    client = login(cast.coordinator)
    url = reverse(name, args=[DAY_TEXT])
    _fill(cast, DAY, 1)
    few = _queries(client, url)
    _fill(cast, DAY, 2)
    _fill(cast, DAY + datetime.timedelta(days=1), 2)
    session_services.session_cancel(session=ContactSession.objects.last(), by=cast.coordinator)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert text_of(response).count("Arrivals and departures") >= 2


def test_the_session_page_takes_a_fixed_number_of_queries(
    cast, login, case, session, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    url = reverse("session_detail", args=[session.pk])
    few = _queries(client, url)
    family = session.family
    for role in ["visitor", "carer", "visitor"]:
        AdultFactory(family=family, role=role)
    ChildFactory.create_batch(3, family=family)
    session_services.note_add(session=session, author=cast.coordinator, text="One.")
    session_services.note_add(session=session, author=cast.chair, text="Two.")
    many = book(
        family,
        [case.resident, *family.adults.exclude(pk=case.resident.pk)],
        by=cast.coordinator,
        date=DAY + datetime.timedelta(days=7),
    )
    for text in ["One.", "Two.", "Three."]:
        session_services.note_add(session=many, author=cast.coordinator, text=text)
    with django_assert_max_num_queries(few):
        client.get(reverse("session_detail", args=[many.pk]))


def test_session_cards_read_two_queries_whatever_the_number_of_sessions(cast, case, session):
    """The dashboard, day and week views draw sessions with `session_cards`: plain values, roles
    and times only (no name, so no data key is opened), in two queries for any number."""
    later = book(
        case.family, [case.resident, case.other], by=cast.coordinator, start="14:00", end="15:00"
    )
    sessions = ContactSession.objects.filter(pk__in=[session.pk, later.pk]).order_by("starts_at")
    with CaptureQueriesContext(connection) as queries:
        cards = session_cards(sessions, cover=True)
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


# --- outsiders ------------------------------------------------------------------------------


SESSION_PAGES = [
    ("get", "session_detail"),
    ("post", "session_cancel"),
    ("post", "attendance_record"),
    ("post", "session_note_add"),
]
CENTRE_PAGES = [
    ("day_view", []),
    ("day_view_for", [DAY_TEXT]),
    ("week_view", []),
    ("week_view_for", [DAY_TEXT]),
]
OUTSIDERS = [
    "other_coordinator", "chair", "volunteer", "referrer", "operator", "other_chair",
    "other_volunteer", "other_referrer",
]  # fmt: skip


def _outsider_requests(case, session):
    book_url = reverse("session_book", args=[case.family.pk])
    yield "get", book_url, {}
    yield "post", book_url, form_data(case, starts_at="14:00", ends_at="15:00")
    for method, name in SESSION_PAGES:
        yield method, reverse(name, args=[session.pk]), {"text": "Outsider note."}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_a_404_from_every_session_page(cast, login, case, session, who):
    client = login(getattr(cast, who))
    for method, url, data in _outsider_requests(case, session):
        assert getattr(client, method)(url, data).status_code == 404, (who, url)
    session.refresh_from_db()
    assert session.status == ContactSession.Status.BOOKED
    assert ContactSession.objects.count() == 1
    assert not SessionNote.objects.exists()


@pytest.mark.parametrize("who", [w for w in OUTSIDERS if w != "other_coordinator"])
@pytest.mark.parametrize("name, args", CENTRE_PAGES)
def test_only_coordinators_reach_the_day_and_week_views(cast, login, who, name, args):
    assert login(getattr(cast, who)).get(reverse(name, args=args)).status_code == 404


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
