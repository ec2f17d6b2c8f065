"""A volunteer signs in, sees only the session they are on, records an arrival and asks the
coordinator for guidance; the coordinator then sees the request on the dashboard."""

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from families.models import Adult, Concern, SessionAttendance
from tests.browser.helpers import sign_in
from tests.factories import (
    AdultFactory,
    ChildAttendanceFactory,
    ChildFactory,
    ContactSessionFactory,
    FamilyFactory,
    RotaEntryFactory,
    SessionAttendanceFactory,
    UserFactory,
)
from volunteers.models import Volunteer


def session_today(centre, first_name: str):
    family = FamilyFactory(centre=centre)
    session = ContactSessionFactory(family=family, date=timezone.localdate())
    adult = AdultFactory(
        family=family,
        role=Adult.Role.RESIDENT_PARENT,
        first_name=first_name,
        last_name="Hiddensurname",
    )
    attendance = SessionAttendanceFactory(
        session=session,
        adult=adult,
        brings_child=True,
        arrives_at=datetime.time(9, 45),
        departs_at=datetime.time(12, 15),
    )
    ChildAttendanceFactory(session=session, child=ChildFactory(family=family, first_name="Poppy"))
    return session, attendance


@pytest.mark.django_db(transaction=True)
def test_a_volunteer_records_attendance_and_asks_for_guidance_which_the_coordinator_sees(page):
    coordinator = UserFactory(role="coordinator", email="cora@example.org")
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    centre = coordinator.centre
    volunteer_user = UserFactory(role="volunteer", centre=centre, email="val@example.org")
    volunteer = Volunteer.objects.get(user=volunteer_user)
    mine, attendance = session_today(centre, "Rosalind")
    not_mine, _ = session_today(centre, "Ottoline")
    RotaEntryFactory(session=mine, volunteer=volunteer)
    RotaEntryFactory(session=not_mine)  # someone else's session, the same day

    sign_in(page, volunteer_user)
    page.wait_for_url("**/portal/")
    assert page.get_by_role("heading", name="My sessions").is_visible()
    body = page.content()
    assert mine.family.reference in body
    assert not_mine.family.reference not in body

    page.get_by_role(
        "link", name=re.compile(f"Open the session of {mine.family.reference}")
    ).click()
    page.wait_for_url(f"**/portal/sessions/{mine.pk}/")
    assert page.get_by_text("Rosalind").first.is_visible()
    assert "Hiddensurname" not in page.content() and "Ottoline" not in page.content()

    form = page.locator(f"form[action='/portal/sessions/{mine.pk}/attendance/{attendance.pk}/']")
    form.get_by_label("Attendance").select_option("attended")
    form.get_by_label("Arrived at").fill("09:47")
    form.get_by_role("button", name=re.compile("Save attendance")).click()
    assert page.get_by_text("Attendance recorded.").is_visible()

    page.get_by_label("I need guidance from the coordinator").check()
    page.get_by_label("Tell the coordinator").fill("Who collects Poppy today?")
    page.get_by_role("button", name="Send to the coordinator").click()
    assert page.get_by_text("Sent to the coordinator.").is_visible()

    attendance.refresh_from_db()
    assert (attendance.outcome, attendance.actual_arrival) == (
        SessionAttendance.Outcome.ATTENDED,
        datetime.time(9, 47),
    )
    assert Concern.objects.get().kind == Concern.Kind.GUIDANCE

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    sign_in(page, coordinator)
    page.wait_for_url("**/dashboard/")
    concerns = page.locator("section", has=page.get_by_role("heading", name=re.compile("concerns")))
    assert concerns.get_by_text(mine.family.reference).is_visible()
    assert concerns.get_by_text("Request for guidance").is_visible()
