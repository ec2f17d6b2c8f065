"""The coordinator's day sheet (issue 17, point 4): the day's sessions room by room and in time
order, each adult's plan with its keep-apart handover, the volunteers on each session; a page
to print and a PDF, each read an audit entry; the coordinator's only (CHI-4.3: volunteers have
no export)."""

import datetime
import re

import pytest
from django.urls import reverse

from cccc.models import AccessLog
from families.models import Adult, ContactSession
from tests.disclosures.test_summons import flat, pdf_text
from tests.factories import (
    AdultFactory,
    AppointedVolunteerFactory,
    FamilyFactory,
    RotaEntryFactory,
    room_named,
)
from tests.session_cases import DAY, DAY_TEXT, OUTSIDERS, book
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

PAGE = reverse("day_sheet", args=[DAY_TEXT])
PDF = reverse("day_sheet_pdf", args=[DAY_TEXT])


def put_in_room(session: ContactSession, name: str) -> ContactSession:
    """Move a session to the centre's room of that name, or to none ("")."""
    session.room = room_named(session.centre, name) if name else None
    session.save()
    return session


def another(cast, start: str, end: str, room: str, **kwargs) -> ContactSession:
    """A session of a new family of the centre, its two parents planned by the scheduler."""
    family = FamilyFactory(centre=cast.centre, accepted=True)
    adults = [AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT),
              AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)]  # fmt: skip
    session = book(family, adults, start=start, end=end, by=cast.coordinator, **kwargs)
    return put_in_room(session, room) if room is not None else session


def cleared(cast, **fields) -> Volunteer:
    """An appointed volunteer whose clearance covers DAY (in 2030)."""
    until = DAY + datetime.timedelta(days=30)
    return AppointedVolunteerFactory(centre=cast.centre, clearance_expires=until, **fields)


def references_in_order(text: str, sessions: list[ContactSession]) -> list[str]:
    found = {s.family.reference: text.index(s.family.reference) for s in sessions}
    return sorted(found, key=found.get)


# --- what it holds ----------------------------------------------------------------------------


def test_it_lists_the_days_sessions_room_by_room_in_time_order(cast, login):
    late_blue = another(cast, "14:00", "15:00", "Blue room")
    early_blue = another(cast, "10:00", "11:00", "Blue room")
    garden = another(cast, "09:00", "10:00", "Garden room")
    anywhere = another(cast, "08:00", "09:00", "")
    tomorrow = another(cast, "10:00", "11:00", "Blue room", date=DAY + datetime.timedelta(days=1))
    cancelled = another(cast, "12:00", "13:00", "Blue room")
    cancelled.status = ContactSession.Status.CANCELLED
    cancelled.save()
    html = login(cast.coordinator).get(PAGE).content.decode()
    assert "Day sheet: Wednesday 6 March 2030" in html and "4 booked sessions" in html
    rooms = re.findall(r'<h2 class="h4 mt-4" id="room-\d+">([^<]+)</h2>', html)
    assert rooms == ["Blue room", "Garden room", "No room given"]
    order = [early_blue, late_blue, garden, anywhere]
    assert references_in_order(html, order) == [s.family.reference for s in order]
    assert tomorrow.family.reference not in html and cancelled.family.reference not in html


def test_each_adults_plan_shows_the_keep_apart_handover(cast, login, case, session):
    html = login(cast.coordinator).get(PAGE).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    # The resident parent brings the child, hands over and leaves before the other parent
    # arrives, and comes back to collect once they have gone (families/scheduling.py).
    plan = {a.adult.role: a for a in session.adults.select_related("adult")}
    resident = plan[Adult.Role.RESIDENT_PARENT]
    assert resident.leaves_at and resident.returns_at
    assert (
        f"Resident parent brings the child kept apart {resident.arrives_at:%H:%M} "
        f"{resident.leaves_at:%H:%M} {resident.returns_at:%H:%M} {resident.departs_at:%H:%M}"
    ) in text
    assert "keep-apart handover" in text
    assert f"in the building {resident.arrives_at:%H:%M}–{resident.departs_at:%H:%M}" in text


def test_the_volunteers_on_each_session_are_named_and_a_shortfall_shown(cast, login, case, session):
    ada = cleared(cast, first_name="Ada", last_name="Quist")
    RotaEntryFactory(session=session, volunteer=ada)
    bare = another(cast, "15:00", "16:00", "Garden room")
    html = login(cast.coordinator).get(PAGE).content.decode()
    assert "Volunteers: Ada Quist (1 of 2; 1 more needed)" in html
    assert "Volunteers: none yet (0 of 2; 2 more needed)" in html
    assert bare.family.reference in html


def test_it_names_no_family_member_and_gives_no_contact_detail(cast, login, case, session):
    client = login(cast.coordinator)
    page = client.get(PAGE).content.decode()
    pdf = flat(pdf_text(client.get(PDF).content))
    for adult in (case.resident, case.other):
        for value in (adult.first_name, adult.last_name, adult.address, adult.phone, adult.email):
            assert value not in page and value not in pdf
    assert case.child.first_name not in page and case.child.first_name not in pdf
    assert case.family.reference in page and case.family.reference in pdf


def test_the_pdf_holds_the_sheet(cast, login, case, session):
    ada = cleared(cast, first_name="Ada", last_name="Quist")
    RotaEntryFactory(session=session, volunteer=ada)
    response = login(cast.coordinator).get(PDF)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="day-sheet-{DAY_TEXT}.pdf"'
    text = flat(pdf_text(response.content))
    assert "Day sheet: Wednesday 6 March 2030" in text
    assert "Blue room" in text and case.family.reference in text
    assert "Resident parent (brings the child, kept apart)" in text
    assert "Volunteers: Ada Quist (1 of 2; 1 more needed)" in text
    assert "shred it at the end of the day" in text


def test_a_quiet_day_says_so(cast, login):
    client = login(cast.coordinator)
    assert "No sessions are booked on this day." in client.get(PAGE).content.decode()
    assert "No sessions are booked on this day." in pdf_text(client.get(PDF).content)


def test_the_page_prints_through_its_own_stylesheet_and_has_no_inline_style(cast, login, session):
    html = login(cast.coordinator).get(PAGE).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', html)
    assert " style=" not in html and "<style" not in html
    assert 'class="d-print-none"' in html  # the links and buttons are left off the paper


# --- the audit trail ------------------------------------------------------------------------


def test_each_view_and_each_download_is_an_audit_entry(cast, login, case, session):
    client = login(cast.coordinator)
    client.get(PAGE)
    client.get(PDF)
    entries = AccessLog.objects.filter(action=AccessLog.Action.VIEW_DAY_SHEET).order_by("seq")
    assert [(e.user, e.centre, e.record_type, e.record_id) for e in entries] == [
        (cast.coordinator, cast.centre, "cccc.Centre", cast.centre.pk)
    ] * 2
    assert [e.detail for e in entries] == [
        f"day={DAY_TEXT} format=page sessions=1",
        f"day={DAY_TEXT} format=pdf sessions=1",
    ]


# --- who reaches it ---------------------------------------------------------------------------


def test_volunteers_have_no_day_sheet_of_any_kind(cast, login, case, session):
    """CHI-4.3: a volunteer, even one on the day's rota, has no export or print."""
    own = Volunteer.objects.get(user=cast.volunteer)
    own.clearance_expires = DAY
    own.save()
    RotaEntryFactory(session=session, volunteer=own)
    client = login(cast.volunteer)
    assert client.get(PAGE).status_code == 404
    assert client.get(PDF).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.VIEW_DAY_SHEET).exists()


@pytest.mark.parametrize("role", [r for r in OUTSIDERS if r != "other_coordinator"])
def test_every_other_role_gets_a_404(cast, login, case, session, role):
    client = login(getattr(cast, role))
    assert client.get(PAGE).status_code == 404
    assert client.get(PDF).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.VIEW_DAY_SHEET).exists()


def test_another_centres_coordinator_gets_their_own_day_and_none_of_ours(
    cast, login, case, session
):
    client = login(cast.other_coordinator)
    page = client.get(PAGE).content.decode()
    assert "Other Centre" in page and "No sessions are booked on this day." in page
    assert case.family.reference not in page
    assert case.family.reference not in flat(pdf_text(client.get(PDF).content))


def test_a_day_that_is_not_a_day_is_a_404(cast, login):
    client = login(cast.coordinator)
    for bad in ("2030-02-30", "tomorrow", "0001-01-01"):
        assert client.get(f"/sessions/day/{bad}/sheet/").status_code == 404
        assert client.get(f"/sessions/day/{bad}/sheet.pdf").status_code == 404


# --- speed ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["day_sheet", "day_sheet_pdf"])
def test_it_reads_the_same_number_of_queries_whatever_the_size_of_the_day(
    cast, login, django_assert_max_num_queries, name
):
    client = login(cast.coordinator)
    url = reverse(name, args=[DAY_TEXT])

    def grow(sessions: int) -> None:
        for n in range(sessions):
            session = another(cast, f"{8 + n % 10:02d}:00", f"{8 + n % 10:02d}:30", f"Room {n % 3}")
            RotaEntryFactory(session=session, volunteer=cleared(cast))

    grow(1)
    client.get(url)  # warm up the session and the like
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    grow(8)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
