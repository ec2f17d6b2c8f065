"""Quarterly statistics in NACCC's shape (issue 19, point 3), per centre and quarter:
referrals by NACCC type, families and children, sessions held, no-shows by type, volunteers,
staff and capacity; and they survive destruction, as the monthly ones do."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from families.models import AgencyType, Referral, SessionAttendance
from retention.models import QuarterlyStatistic
from retention.quarterly import (
    QuarterFigures,
    centre_capacity,
    quarter_figures,
    quarter_last_day,
    quarter_name,
    quarter_of,
    referral_type,
)
from retention.services import retention_run
from tests.factories import (
    AdultFactory,
    AppointedVolunteerFactory,
    ChildAttendanceFactory,
    ChildFactory,
    ContactSessionFactory,
    FamilyFactory,
    ReferralFactory,
    SessionAttendanceFactory,
    UserFactory,
    membership_of,
)
from tests.retention.conftest import TODAY, family_history, resigned_volunteer, years_ago
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

Q2 = datetime.date(2025, 4, 1)  # 2025 Q2: April to June
IN_Q2 = datetime.date(2025, 5, 10)
LATER = datetime.date(2026, 1, 1)
A = SessionAttendance.Outcome


def figures(centre, quarter=Q2, today=LATER):
    return quarter_figures([centre.pk], quarter, today)[centre.pk]


def aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))


def referral(centre, agency, *, received=IN_Q2, status=Referral.Status.PENDING, decided=None):
    return ReferralFactory(
        family=FamilyFactory(centre=centre), agency_type=agency, received_on=received,
        status=status, decided_at=aware(decided) if decided else None,
    )  # fmt: skip


def session(family, day=IN_Q2, *, adult=A.ATTENDED, children=(), room="Blue room", **kwargs):
    made = ContactSessionFactory(family=family, date=day, room=room, **kwargs)
    if adult is not None:
        SessionAttendanceFactory(session=made, adult=AdultFactory(family=family), outcome=adult)
    for child, outcome in children:
        ChildAttendanceFactory(session=made, child=child, outcome=outcome)
    return made


# --- quarters ---------------------------------------------------------------------------------


D = datetime.date


@pytest.mark.parametrize(
    ("day", "first", "last", "name"),
    [
        (D(2025, 1, 1), D(2025, 1, 1), D(2025, 3, 31), "2025 Q1"),
        (D(2025, 6, 30), D(2025, 4, 1), D(2025, 6, 30), "2025 Q2"),
        (D(2025, 8, 15), D(2025, 7, 1), D(2025, 9, 30), "2025 Q3"),
        (D(2025, 12, 31), D(2025, 10, 1), D(2025, 12, 31), "2025 Q4"),
    ],
)
def test_a_day_falls_in_its_calendar_quarter(day, first, last, name):
    assert (quarter_of(day), quarter_last_day(quarter_of(day))) == (first, last)
    assert quarter_name(first) == name


# --- referrals ------------------------------------------------------------------------------


def test_every_agency_type_maps_onto_a_naccc_referral_type():
    assert {a: referral_type(a) for a in AgencyType.values} == {
        "solicitor": "solicitor", "cafcass": "cafcass", "social_worker": "social_services",
        "mediator": "other", "self": "self", "other": "other",
    }  # fmt: skip


def test_referrals_received_accepted_and_rejected_by_naccc_type(cast):
    referral(cast.centre, "solicitor")
    referral(cast.centre, "solicitor", status="accepted", decided=IN_Q2, received=IN_Q2)
    referral(cast.centre, "social_worker", status="declined", decided=IN_Q2)
    referral(cast.centre, "mediator")
    referral(cast.centre, "cafcass", received=datetime.date(2025, 3, 31))  # Q1
    # received in Q1, decided in Q2: accepted in Q2, received in Q1
    referral(cast.centre, "cafcass", received=datetime.date(2025, 3, 20), status="accepted",
             decided=datetime.date(2025, 4, 2))  # fmt: skip
    referral(cast.centre, "self", status="declined", decided=datetime.date(2025, 7, 1))  # Q3
    got = figures(cast.centre)
    assert got.received == Counter(solicitor=2, social_services=1, other=1, self=1)
    assert got.accepted == Counter(solicitor=1, cafcass=1)
    assert got.rejected == Counter(social_services=1)


# --- families, children, sessions -----------------------------------------------------------


def test_families_and_children_are_those_at_a_session_held_in_the_quarter(cast):
    came = FamilyFactory(centre=cast.centre)
    ann, bob = ChildFactory(family=came), ChildFactory(family=came)
    session(came, children=[(ann, A.ATTENDED), (bob, A.DID_NOT_ATTEND)])
    session(came, datetime.date(2025, 6, 1), children=[(ann, A.EXPECTED)])  # ann again
    nobody = FamilyFactory(centre=cast.centre)
    session(nobody, adult=A.DID_NOT_ATTEND, children=[(ChildFactory(family=nobody), A.EXPECTED)])
    other_quarter = FamilyFactory(centre=cast.centre)
    session(other_quarter, datetime.date(2025, 7, 5))
    got = figures(cast.centre)
    assert (got.families, got.children, got.sessions_held) == (1, 1, 2)


def test_a_past_session_nobody_attended_is_not_held(cast):
    family = FamilyFactory(centre=cast.centre)
    session(family, adult=A.DID_NOT_ATTEND)
    session(family, adult=A.EXPECTED)
    session(family, adult=None)
    assert (figures(cast.centre).sessions_held, figures(cast.centre).families) == (0, 0)


def test_cancelled_and_future_sessions_are_not_held(cast):
    family = FamilyFactory(centre=cast.centre)
    session(family, status="cancelled")
    session(family, datetime.date(2025, 6, 20))
    got = figures(cast.centre, today=datetime.date(2025, 6, 19))
    assert (got.sessions_held, got.families) == (0, 0)


def test_no_shows_count_sessions_with_an_absent_adult_by_the_familys_referral_type(cast):
    solicitor = FamilyFactory(centre=cast.centre)
    ReferralFactory(family=solicitor, agency_type="cafcass", status="declined",
                    received_on=datetime.date(2025, 4, 20))  # fmt: skip
    ReferralFactory(family=solicitor, agency_type="solicitor", status="accepted",
                    received_on=datetime.date(2025, 1, 5))  # fmt: skip
    missed = session(solicitor, adult=A.DID_NOT_ATTEND)
    SessionAttendanceFactory(session=missed, adult=AdultFactory(family=solicitor),
                             outcome=A.ATTENDED)  # fmt: skip
    session(solicitor, datetime.date(2025, 5, 17), adult=A.DID_NOT_ATTEND)
    session(solicitor, datetime.date(2025, 5, 24), adult=A.DID_NOT_ATTEND, status="cancelled")
    unreferred = FamilyFactory(centre=cast.centre)
    session(unreferred, adult=A.DID_NOT_ATTEND)
    got = figures(cast.centre)
    assert got.no_shows == Counter(solicitor=2, other=1)
    assert got.sessions_held == 1  # the other parent came to the first one


def test_a_no_show_takes_the_latest_accepted_referral_or_else_the_latest(cast):
    same_day = FamilyFactory(centre=cast.centre)
    for agency in ("cafcass", "self"):  # accepted the same day: the one entered last
        ReferralFactory(family=same_day, agency_type=agency, status="accepted",
                        received_on=datetime.date(2025, 2, 1))  # fmt: skip
    none_accepted = FamilyFactory(centre=cast.centre)
    ReferralFactory(family=none_accepted, agency_type="social_worker", status="declined",
                    received_on=datetime.date(2025, 3, 1))  # fmt: skip
    ReferralFactory(family=none_accepted, agency_type="solicitor", status="pending",
                    received_on=datetime.date(2025, 1, 1))  # fmt: skip
    for family in (same_day, none_accepted):
        session(family, adult=A.DID_NOT_ATTEND)
    assert figures(cast.centre).no_shows == Counter(self=1, social_services=1)


def test_a_session_only_children_came_to_is_held_and_its_absent_adult_a_no_show(cast):
    family = FamilyFactory(centre=cast.centre)
    ann, bob, cy = (ChildFactory(family=family) for _ in range(3))
    session(family, adult=A.DID_NOT_ATTEND,
            children=[(ann, A.ATTENDED), (bob, A.EXPECTED), (cy, A.DID_NOT_ATTEND)])  # fmt: skip
    session(family, datetime.date(2025, 5, 17), children=[(ann, A.ATTENDED), (cy, A.ATTENDED)])
    # cancelled: neither held nor a no-show, and its children are not counted
    other = FamilyFactory(centre=cast.centre)
    session(other, adult=A.DID_NOT_ATTEND, status="cancelled",
            children=[(ChildFactory(family=other), A.ATTENDED)])  # fmt: skip
    got = figures(cast.centre)
    assert (got.sessions_held, got.families, got.children) == (2, 1, 3)
    assert got.no_shows == Counter(other=1)


def test_the_figures_take_the_same_few_queries_however_many_sessions(
    cast, django_assert_num_queries
):
    def fill(count):
        for _ in range(count):
            family = FamilyFactory(centre=cast.centre)
            ReferralFactory(family=family, received_on=IN_Q2, status="accepted",
                            decided_at=aware(IN_Q2))  # fmt: skip
            session(family, children=[(ChildFactory(family=family), A.ATTENDED)])
            session(family, datetime.date(2025, 5, 17), adult=A.DID_NOT_ATTEND)

    fill(1)
    # sessions: opening days and rooms; held, families and children; no-shows by the
    # families' referral types. Referrals: one. Stored figures, volunteers, staff (two).
    with django_assert_num_queries(7):
        figures(cast.centre)
    fill(3)
    with django_assert_num_queries(7):
        got = figures(cast.centre)
    assert (got.sessions_held, got.families, got.children) == (4, 4, 4)
    assert got.received == got.accepted == got.no_shows == Counter(solicitor=4)


# --- volunteers, staff, capacity ------------------------------------------------------------


def test_volunteers_appointed_at_some_time_in_the_quarter(cast):
    Volunteer.objects.all().delete()

    def volunteer(appointed, resigned=None):
        made = AppointedVolunteerFactory(centre=cast.centre, appointed_on=appointed)
        if resigned:
            Volunteer.objects.filter(pk=made.pk).update(status="resigned", resigned_on=resigned)

    volunteer(datetime.date(2024, 1, 1))  # still working
    volunteer(datetime.date(2025, 6, 30))  # from the quarter's last day
    volunteer(datetime.date(2024, 1, 1), resigned=datetime.date(2025, 4, 1))  # its first day
    volunteer(datetime.date(2024, 1, 1), resigned=datetime.date(2025, 3, 31))  # before it
    volunteer(datetime.date(2025, 7, 1))  # after it
    AppointedVolunteerFactory(centre=cast.other_centre, appointed_on=datetime.date(2024, 1, 1))
    assert figures(cast.centre).volunteers == 3


def test_staff_are_the_coordinators_active_at_the_end_of_the_quarter(cast):
    this_quarter = quarter_of(timezone.localdate())
    UserFactory(role="coordinator", centre=cast.centre)
    UserFactory(role="coordinator", centre=cast.centre, is_active=False)
    UserFactory(role="coordinator", centre=cast.other_centre)
    assert figures(cast.centre, this_quarter, timezone.localdate()).staff == 2


def test_a_coordinator_deactivated_after_the_quarter_still_counts_for_it(cast):
    cast.coordinator.history.update(history_date=aware(datetime.date(2025, 1, 10)))
    membership_of(cast.coordinator).history.update(history_date=aware(datetime.date(2025, 1, 10)))
    assert figures(cast.centre).staff == 1  # the only coordinator then
    cast.coordinator.is_active = False
    cast.coordinator.save()
    assert figures(cast.centre).staff == 1
    assert figures(cast.centre, quarter_of(timezone.localdate()), timezone.localdate()).staff == 0


def test_a_coordinator_made_after_the_quarter_does_not_count_for_it(cast):
    assert figures(cast.centre).staff == 0  # every account of the cast was made today


def test_capacity_is_rooms_times_opening_days(cast):
    family = FamilyFactory(centre=cast.centre)
    session(family, room="Blue room")
    session(family, room="Green room")
    session(family, datetime.date(2025, 5, 17), room="Blue room", adult=A.DID_NOT_ATTEND)
    session(family, datetime.date(2025, 5, 24), room="Red room", status="cancelled")
    got = figures(cast.centre)
    assert (len(got.rooms), len(got.opening_days), got.capacity) == (2, 2, 4)
    assert centre_capacity(cast.centre.pk, got) == 4


def test_sessions_naming_no_room_count_as_one_room(cast):
    session(FamilyFactory(centre=cast.centre), room="")
    assert figures(cast.centre).capacity == 1


def test_another_centres_records_are_not_counted(cast):
    other = FamilyFactory(centre=cast.other_centre)
    session(other, children=[(ChildFactory(family=other), A.ATTENDED)], adult=A.DID_NOT_ATTEND)
    referral(cast.other_centre, "solicitor", status="accepted", decided=IN_Q2)
    assert figures(cast.centre).rows(totals=True) == QuarterFigures().rows(totals=True)
    assert figures(cast.other_centre).sessions_held == 1


# --- counts survive destruction -------------------------------------------------------------


def everything(centre, quarter):
    got = quarter_figures([centre.pk], quarter, TODAY)[centre.pk]
    return got.rows(totals=True), sorted(got.opening_days), sorted(got.rooms)


def test_destroying_a_family_leaves_the_quarterly_counts_unchanged(cast):
    used = years_ago(4)
    story = family_history(cast.centre, used, by=cast.coordinator, sessions=3)
    ChildAttendanceFactory(session=story.sessions[0], child=ChildFactory(family=story.family),
                           outcome=A.DID_NOT_ATTEND)  # fmt: skip
    Referral.objects.filter(family=story.family).update(
        status="declined", decided_at=aware(story.sessions[-1].date)
    )
    SessionAttendance.objects.filter(session=story.sessions[1], adult=story.adults[1]).update(
        outcome=A.DID_NOT_ATTEND
    )
    live = family_history(cast.centre, used, by=cast.coordinator, sessions=1)
    quarters = sorted({quarter_of(s.date) for s in story.sessions + live.sessions})
    before = {q: everything(cast.centre, q) for q in quarters}
    counted = quarter_figures([cast.centre.pk], quarters[0], TODAY)[cast.centre.pk]
    assert counted.families and counted.sessions_held and counted.no_shows
    retention_run(today=TODAY)
    assert not type(story.family).objects.filter(pk=story.family.pk).exists()
    assert QuarterlyStatistic.objects.filter(centre=cast.centre).exists()
    assert {q: everything(cast.centre, q) for q in quarters} == before


def test_destroying_a_volunteer_leaves_the_quarterly_counts_unchanged(cast):
    gone = resigned_volunteer(cast.centre, years_ago(3, days=10))
    Volunteer.objects.filter(pk=gone.pk).update(appointed_on=years_ago(5))
    quarters = [quarter_of(d) for d in (years_ago(5), years_ago(4), years_ago(3, days=10))]
    before = {q: everything(cast.centre, q) for q in quarters}
    assert all(b[0][-3] == ("Volunteers", "", 1) for b in before.values())
    retention_run(today=TODAY)
    assert not Volunteer.objects.filter(pk=gone.pk).exists()
    assert {q: everything(cast.centre, q) for q in quarters} == before


def test_a_second_run_adds_nothing(cast):
    family_history(cast.centre, years_ago(4), by=cast.coordinator)
    retention_run(today=TODAY)
    stored = list(QuarterlyStatistic.objects.values())
    retention_run(today=TODAY)
    assert list(QuarterlyStatistic.objects.values()) == stored
