"""The week's rota (issue 17, point 5): a coordinator ticks two volunteers for a session, sees
its shortfall go down as they tick, and saves both in one submit."""

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.helpers import sign_in
from tests.factories import AppointedVolunteerFactory, UserFactory, VolunteerAvailabilityFactory
from tests.volunteers.conftest import book
from volunteers.models import RotaEntry


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_ticks_two_volunteers_sees_the_shortfall_change_and_saves(page):
    coordinator = UserFactory(role="coordinator", email="cora@example.org")
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    centre = coordinator.centre
    day = timezone.localdate() + datetime.timedelta(days=14)
    monday = day - datetime.timedelta(days=day.weekday())
    tuesday = monday + datetime.timedelta(days=1)
    session = book(centre, day=tuesday, contact_type="supervised").session  # needs two
    other = book(centre, day=monday + datetime.timedelta(days=3)).session
    ada = AppointedVolunteerFactory(centre=centre, first_name="Ada", last_name="Quist")
    ben = AppointedVolunteerFactory(centre=centre, first_name="Ben", last_name="Rook")
    VolunteerAvailabilityFactory(volunteer=ada, weekday=tuesday.weekday())

    sign_in(page, coordinator)
    page.wait_for_url("**/dashboard/")
    page.goto("/volunteers/")
    page.get_by_role("link", name="The week's rota").click()
    page.get_by_role("link", name="Next week").click()
    page.get_by_role("link", name="Next week").click()
    page.wait_for_url(f"**/rota/{monday.isoformat()}/")

    row = page.locator("tr.rota-row").filter(has=page.locator(f"#s{session.pk}"))
    summary = page.locator("#rota-summary")
    assert row.locator(".rota-count").inner_text() == "0 of 2"
    assert row.locator(".rota-short").inner_text() == "2 short"
    assert summary.inner_text().startswith("2 of the 2 sessions")
    # Ada said she is usually free then: her box is marked.
    ada_box = row.get_by_role("checkbox", name=re.compile(r"^Ada Quist"))
    assert "rota-available" in ada_box.locator("xpath=..").get_attribute("class")

    ada_box.check()
    assert row.locator(".rota-count").inner_text() == "1 of 2"
    assert row.locator(".rota-short").inner_text() == "1 short"
    row.get_by_role("checkbox", name=re.compile(r"^Ben Rook")).check()
    assert row.locator(".rota-count").inner_text() == "2 of 2"
    assert row.locator(".rota-short").inner_text() == "covered"
    assert summary.inner_text().startswith("1 of the 2 sessions")
    assert not RotaEntry.objects.exists()  # nothing saved until the coordinator saves

    page.get_by_role("button", name="Save the rota").click()
    assert page.get_by_text("2 places on the rota filled, on 1 session.").is_visible()
    row = page.locator("tr.rota-row").filter(has=page.locator(f"#s{session.pk}"))
    assert row.locator(".rota-count").inner_text() == "2 of 2"
    assert row.get_by_text("On rota").count() == 2
    assert summary.inner_text().startswith("1 of the 2 sessions")
    assert sorted((e.session_id, e.volunteer_id) for e in RotaEntry.objects.all()) == sorted(
        [(session.pk, ada.pk), (session.pk, ben.pk)]
    )
    assert other.family.reference in page.content()
