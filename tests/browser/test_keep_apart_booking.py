"""A coordinator books a session for a family whose mother must be kept apart from an adult of
another family: the clashing time is refused with the reason, a later time is booked."""

import datetime

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from families import session_services
from families.models import Adult, ContactSession
from tests.browser.helpers import sign_in
from tests.factories import (
    AdultFactory,
    ChildFactory,
    FamilyFactory,
    KeepApartFactory,
    UserFactory,
    room_named,
)

DAY = datetime.date(2030, 3, 6)


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_sees_a_keep_apart_refusal_then_books_a_later_time(page):
    coordinator = UserFactory(role="coordinator", email="cora@example.org")
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    centre = coordinator.centre
    family = FamilyFactory(centre=centre, accepted=True)
    mother = AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT, first_name="Rosalind")
    father = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    KeepApartFactory(adult_a=mother, adult_b=father)
    ChildFactory(family=family, first_name="Poppy")
    neighbours = FamilyFactory(centre=centre, accepted=True)
    stranger = AdultFactory(family=neighbours, role=Adult.Role.NAMED_VISITOR)
    KeepApartFactory(adult_a=mother, adult_b=stranger)
    session_services.session_book(
        family=neighbours,
        date=DAY,
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(11, 0),
        contact_type="supported",
        adults=[stranger],
        bringing=stranger,
        booked_by=coordinator,
        room=room_named(centre, "Blue room"),
    )
    room_named(centre, "Garden room")

    sign_in(page, coordinator)
    page.wait_for_url("**/dashboard/")
    page.goto(f"/families/{family.pk}/sessions/new/")
    page.get_by_label("Date").fill(DAY.isoformat())
    page.get_by_label("Contact starts").fill("10:30")
    page.get_by_label("Contact ends").fill("11:30")
    page.get_by_label("Room").select_option(label="Garden room")
    page.get_by_role("button", name="Book the session").click()

    refusal = page.get_by_text("must be kept apart").first
    assert refusal.is_visible()
    html = page.content()
    assert f"{neighbours.reference} named visitor (09:45–11:15)" in html
    assert f"{family.reference} resident parent" in html
    assert page.get_by_label("Room").locator("option:checked").inner_text() == "Garden room"
    assert ContactSession.objects.filter(family=family).count() == 0

    page.get_by_label("Contact starts").fill("14:00")
    page.get_by_label("Contact ends").fill("15:00")
    page.get_by_role("button", name="Book the session").click()

    session = ContactSession.objects.get(family=family)
    page.wait_for_url(f"**/sessions/{session.pk}/")
    assert page.get_by_text("Session booked.").is_visible()
    assert page.get_by_role("heading", name=f"Session for {family.reference}").is_visible()
    # The mother hands over and leaves 15 minutes before the father arrives.
    first, second = page.locator("table.timeline tbody tr").all()
    assert first.get_by_role("rowheader").inner_text().startswith("Resident parent")
    assert first.get_by_role("cell").all_inner_texts() == ["13:35", "13:45", "15:15", "15:25"]
    assert second.get_by_role("rowheader").inner_text().startswith("Non-resident parent")
    assert second.get_by_role("cell").all_inner_texts()[0] == "14:00"
