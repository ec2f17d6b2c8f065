"""The referrer's attendance request (CHI-4.4, CHE-4): the referrer of record picks a family
and dates, and at once gets dates and times of attendance, nothing else; each answer is a
recorded disclosure. Anyone else gets a 404."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cccc.audit import verify_chain
from cccc.models import AccessLog, Role
from disclosures import attendance_services, request_services
from disclosures.models import DisclosureRequest
from families.models import Family, Referral
from tests.disclosures.conftest import SECRETS, days_ago
from tests.factories import (
    ContactSessionFactory,
    FamilyFactory,
    ReferralFactory,
    SessionAttendanceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ask(client, family, *, start=None, end=None, fmt="page"):
    return client.post(
        reverse("attendance_request", args=[family.pk]),
        {
            "date_from": (start or days_ago(60)).isoformat(),
            "date_to": (end or days_ago(-30)).isoformat(),
            "format": fmt,
        },
    )


def test_the_referrer_sees_only_the_families_they_referred(cast, login, family, referral):
    theirs = ReferralFactory(family=FamilyFactory(centre=cast.centre)).family
    html = login(cast.referrer).get(reverse("attendance_families")).content.decode()
    assert family.reference in html
    assert reverse("attendance_request", args=[family.pk]) in html
    assert theirs.reference not in html


def test_the_portal_links_to_the_attendance_request(cast, login, referral):
    html = login(cast.referrer).get(reverse("referrer_portal")).content.decode()
    assert reverse("attendance_families") in html


def test_the_referrer_of_record_gets_dates_and_times_at_once(
    cast, login, family, referral, sessions
):
    response = ask(login(cast.referrer), family)
    assert response.status_code == 200
    html = response.content.decode()
    assert sessions["first"].date.strftime("%a %-d %b %Y") in html
    assert "10:00" in html and "11:30" in html  # contact times
    assert "Resident parent" in html and "Non-resident parent" in html
    assert "Did not attend" in html and "Cancelled" in html
    assert "2 sessions and 1 cancelled from" in html


def test_the_answer_holds_no_names_addresses_notes_rooms_or_instructions(
    cast, login, family, referral, sessions
):
    html = ask(login(cast.referrer), family).content.decode()
    for secret in SECRETS:
        assert secret not in html, secret


def test_future_sessions_are_left_out(cast, login, family, referral, sessions):
    html = ask(login(cast.referrer), family).content.decode()
    assert sessions["future"].date.strftime("%a %-d %b %Y") not in html


def test_the_csv_has_the_same_dates_and_times_and_nothing_personal(
    cast, login, family, referral, sessions
):
    response = ask(login(cast.referrer), family, fmt="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert family.reference in response["Content-Disposition"]
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["date", "contact start", "contact end", "adult role", "outcome"]
    first = sessions["first"].date.isoformat()
    cancelled = sessions["cancelled"].date.isoformat()
    second = sessions["second"].date.isoformat()
    assert rows[1:] == [
        [first, "10:00", "11:30", "Resident parent", "Attended"],
        [first, "10:00", "11:30", "Non-resident parent", "Attended"],
        [cancelled, "10:00", "11:30", "Resident parent", "Cancelled"],
        [second, "10:00", "11:30", "Resident parent", "Attended"],
        [second, "10:00", "11:30", "Non-resident parent", "Did not attend"],
    ]
    for secret in SECRETS:
        assert secret not in body, secret


@pytest.mark.parametrize("fmt", ["page", "csv"])
def test_each_answer_is_recorded_as_a_disclosure_with_its_audit_entry(
    cast, login, family, referral, sessions, fmt
):
    ask(login(cast.referrer), family, start=days_ago(30), end=days_ago(0), fmt=fmt)
    req = DisclosureRequest.objects.get()
    assert (req.family, req.requester_user, req.requester_type) == (
        family, cast.referrer, "referrer_of_record",
    )  # fmt: skip
    assert (req.category, req.received_via, req.status, req.permitted) == (
        "attendance", "portal", "decided", True,
    )  # fmt: skip
    assert (req.ground, req.clauses) == ("referrer_attendance", "CHI-4.4")
    assert req.released == f"2 sessions and 1 cancelled from {days_ago(30)} to {days_ago(0)}"
    assert not req.is_open
    entry = AccessLog.objects.get()
    assert (entry.action, entry.record_id, entry.user, entry.centre) == (
        AccessLog.Action.DISCLOSURE, req.pk, cast.referrer, cast.centre,
    )  # fmt: skip
    assert entry.detail == (
        "category=attendance ground=referrer_attendance clauses=CHI-4.4 outcome=permitted"
    )
    assert verify_chain().ok


def test_each_answer_is_a_use_of_the_family_record(cast, login, family, referral):
    before = family.last_activity
    ask(login(cast.referrer), family)
    family.refresh_from_db()
    assert family.last_activity > before


def test_showing_the_form_records_nothing(cast, login, family, referral):
    response = login(cast.referrer).get(reverse("attendance_request", args=[family.pk]))
    assert response.status_code == 200
    assert not DisclosureRequest.objects.exists()


def test_a_chesterfield_answer_cites_chesterfields_clause(cast, login):
    family = FamilyFactory(centre=cast.other_centre)
    ReferralFactory(family=family, referrer=cast.other_referrer, status=Referral.Status.ACCEPTED)
    ask(login(cast.other_referrer), family)
    assert DisclosureRequest.objects.get().clauses == "CHE-4"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (10, 20, "The end date must be on or after the start date."),
        (800, 0, "Ask for at most two years at a time."),
    ],
)
def test_a_bad_date_range_is_explained_and_releases_nothing(
    cast, login, family, referral, sessions, start, end, message
):
    response = ask(login(cast.referrer), family, start=days_ago(start), end=days_ago(end))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Resident parent" not in html
    assert not DisclosureRequest.objects.exists()


def test_a_date_that_is_not_a_date_is_a_form_error(cast, login, family, referral):
    response = login(cast.referrer).post(
        reverse("attendance_request", args=[family.pk]),
        {"date_from": "yesterday", "date_to": "2026-02-31", "format": "csv"},
    )
    assert response.status_code == 200
    assert "Enter a date like 2026-03-31." in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_a_referrer_of_another_family_of_the_same_centre_gets_404(
    cast, login, family, referral, sessions
):
    colleague = UserFactory(role=Role.REFERRER, centre=cast.centre)
    ReferralFactory(family=FamilyFactory(centre=cast.centre), referrer=colleague)
    client = login(colleague)
    assert client.get(reverse("attendance_request", args=[family.pk])).status_code == 404
    assert ask(client, family).status_code == 404
    assert ask(client, family, fmt="csv").status_code == 404
    assert not DisclosureRequest.objects.exists()
    assert not AccessLog.objects.exists()


def test_an_unknown_family_is_a_404(cast, login, referral):
    missing = (Family.objects.order_by("-pk").first().pk or 0) + 1000
    assert ask(login(cast.referrer), Family(pk=missing)).status_code == 404


def test_the_service_itself_refuses_anyone_but_the_referrer_of_record(
    cast, family, referral, sessions
):
    colleague = UserFactory(role=Role.REFERRER, centre=cast.centre)
    for asker in [colleague, cast.other_referrer, cast.coordinator]:
        with pytest.raises(request_services.Refused) as refused:
            attendance_services.attendance_answer(
                referrer=asker, family=family, date_from=days_ago(60), date_to=days_ago(0)
            )
        assert refused.value.decision.permitted is False
        assert refused.value.decision.clauses == ("CHI-4.1", "CHI-4.4")
    assert not DisclosureRequest.objects.exists()
    assert not AccessLog.objects.exists()


def test_the_answer_page_keeps_a_fixed_number_of_queries(
    cast, login, family, referral, sessions, django_assert_max_num_queries
):
    client = login(cast.referrer)
    with django_assert_max_num_queries(60) as few:
        ask(client, family)
    for n in range(15):
        extra = sessions["first"].__class__.objects.create(
            family=family, centre=family.centre, date=days_ago(30 + n),
            starts_at=sessions["first"].starts_at, ends_at=sessions["first"].ends_at,
            contact_type="supported", booked_by=cast.coordinator,
            booked_at=timezone.now() - datetime.timedelta(days=60 + n),
        )  # fmt: skip
        for attendance in sessions["first"].adults.all():
            attendance.pk = None
            attendance.session = extra
            attendance.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = ask(client, family).content.decode()
    assert "17 sessions and 1 cancelled from" in html


def test_only_sessions_that_have_ended_are_in_an_answer(cast, family, mum):
    """Issue 20, item 2: not a session later today, nor one still going on."""
    now = timezone.make_aware(datetime.datetime(2026, 3, 10, 12, 0))
    today, yesterday = now.date(), now.date() - datetime.timedelta(days=1)
    for day, start, end in [
        (yesterday, (16, 0), (17, 0)),
        (today, (9, 0), (10, 30)),  # ended this morning
        (today, (10, 0), (12, 0)),  # ended just now
        (today, (11, 0), (12, 30)),  # still going on
        (today, (14, 0), (15, 0)),  # later today
    ]:
        session = ContactSessionFactory(
            family=family, date=day, starts_at=datetime.time(*start), ends_at=datetime.time(*end)
        )
        SessionAttendanceFactory(session=session, adult=mum)
    rows = attendance_services.attendance_rows(family, yesterday, today, now=now)
    assert [(row.date, row.contact_start.hour) for row in rows] == [
        (yesterday, 16), (today, 9), (today, 10),
    ]  # fmt: skip


# --- nobody's routine (issue 15) ----------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


ROUTINE = ["09:35", "11:55", "09:52", "11:41", "09:36", "11:54", "09:51", "11:42"]


@pytest.fixture
def routine(family, mum, dad):
    """A session from 10:00 to 11:30 where each adult has their own distinctive window: the
    mother planned 09:35-11:55 and came 09:36-11:54, the father 09:52-11:41 and 09:51-11:42."""
    session = ContactSessionFactory(
        family=family, date=days_ago(3), starts_at=datetime.time(10, 0),
        ends_at=datetime.time(11, 30),
    )  # fmt: skip
    for adult, planned, actual in [
        (mum, ((9, 35), (11, 55)), ((9, 36), (11, 54))),
        (dad, ((9, 52), (11, 41)), ((9, 51), (11, 42))),
    ]:
        SessionAttendanceFactory(
            session=session, adult=adult, outcome="attended",
            arrives_at=datetime.time(*planned[0]), departs_at=datetime.time(*planned[1]),
            actual_arrival=datetime.time(*actual[0]), actual_departure=datetime.time(*actual[1]),
        )  # fmt: skip
    return session


def test_a_cell_that_looks_like_a_formula_is_written_as_text(
    cast, login, family, referral, sessions, monkeypatch
):
    """cccc/csv_safe.py. Every cell of this CSV is a date, a time or a label of the code's own,
    so the header is made to look like a formula to show the export passes through the safe
    writer."""
    from disclosures import attendance_views

    columns = ['=HYPERLINK("x")', *attendance_views.CSV_COLUMNS[1:]]
    monkeypatch.setattr(attendance_views, "CSV_COLUMNS", columns)
    rows = csv_rows(ask(login(cast.referrer), family, fmt="csv"))
    assert rows[0][0] == '\'=HYPERLINK("x")'


@pytest.mark.parametrize("fmt", ["page", "csv"])
def test_the_answer_gives_no_adults_own_arrival_or_departure(
    cast, login, family, referral, routine, fmt
):
    body = ask(login(cast.referrer), family, fmt=fmt).content.decode()
    assert "10:00" in body and "11:30" in body  # the contact time
    for time in ROUTINE:
        assert time not in body, time
        assert time.replace(":", ".") not in body, time
    for minutes in ["25", "18", "8", "11"]:  # the gaps between the windows and contact
        assert f"{minutes} min" not in body


def test_the_adults_come_in_the_same_order_whoever_arrived_first(
    cast, login, family, referral, routine, dad
):
    client = login(cast.referrer)
    rows = csv_rows(ask(client, family, fmt="csv"))
    dad.attendances.update(arrives_at=datetime.time(9, 0))  # now the father comes first
    assert csv_rows(ask(client, family, fmt="csv")) == rows


def test_a_cancelled_session_is_given_as_cancelled_for_each_adult(
    cast, login, family, referral, sessions
):
    rows = csv_rows(ask(login(cast.referrer), family, fmt="csv"))
    cancelled = sessions["cancelled"].date.isoformat()
    assert [cancelled, "10:00", "11:30", "Resident parent", "Cancelled"] in rows


# --- one register row per answer (issue 15) -----------------------------------------------------


def test_the_same_answer_viewed_again_or_as_csv_is_one_disclosure_with_a_count_of_views(
    cast, login, family, referral, sessions
):
    client = login(cast.referrer)
    start, end = days_ago(30), days_ago(0)
    for fmt in ["page", "page", "csv"]:
        assert ask(client, family, start=start, end=end, fmt=fmt).status_code == 200
    req = DisclosureRequest.objects.get()
    assert req.views == 3
    entries = AccessLog.objects.filter(action=AccessLog.Action.DISCLOSURE).order_by("seq")
    assert [e.record_id for e in entries] == [req.pk] * 3
    assert [e.detail.split()[-1] for e in entries] == ["outcome=permitted", "views=2", "views=3"]
    assert verify_chain().ok
    html = login(cast.coordinator).get(reverse("disclosure_register")).content.decode()
    assert html.count(f"#{req.pk}<") == 1
    assert "3 views" in html


def test_another_range_or_new_attendance_is_another_disclosure(
    cast, login, family, referral, sessions, dad
):
    client = login(cast.referrer)
    ask(client, family, start=days_ago(30), end=days_ago(0))
    ask(client, family, start=days_ago(31), end=days_ago(0))
    dad.attendances.filter(session=sessions["second"]).update(outcome="attended")  # corrected
    ask(client, family, start=days_ago(30), end=days_ago(0))
    assert list(DisclosureRequest.objects.values_list("views", flat=True)) == [1, 1, 1]


@pytest.mark.parametrize("status", [Referral.Status.PENDING, Referral.Status.DECLINED])
def test_a_referrer_whose_referral_was_not_accepted_gets_nothing(cast, login, family, status):
    """The other parent's solicitor refers the family; the centre declines (or has not yet
    decided): they are not its referrer of record and get no dates of anyone's attendance."""
    solicitor = UserFactory(role=Role.REFERRER, centre=cast.centre)
    ReferralFactory(family=family, referrer=solicitor, status=status)
    client = login(solicitor)
    assert family.reference not in client.get(reverse("attendance_families")).content.decode()
    assert ask(client, family).status_code == 404
    assert not DisclosureRequest.objects.exists()
