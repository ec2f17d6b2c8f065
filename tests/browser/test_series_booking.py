"""A coordinator books a weekly series for a family: one of the dates clashes (another family
has the room then), the page names the clash and why, and the other dates are booked."""

import datetime

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from families import session_services
from families.models import Adult, ContactSession, Series
from tests.browser.helpers import sign_in
from tests.factories import AdultFactory, ChildFactory, FamilyFactory, UserFactory, room_named

FIRST = datetime.date(2030, 3, 2)  # a Saturday
SATURDAYS = [FIRST + datetime.timedelta(weeks=n) for n in range(4)]


@pytest.mark.django_db(transaction=True)
def test_a_series_with_one_clash_is_booked_on_the_other_dates(page):
    coordinator = UserFactory(role="coordinator", email="cora@example.org")
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    centre = coordinator.centre
    garden = room_named(centre, "Garden room")
    family = FamilyFactory(centre=centre, accepted=True)
    AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT, first_name="Rosalind")
    ChildFactory(family=family, first_name="Poppy")
    neighbours = FamilyFactory(centre=centre, accepted=True)
    neighbour = AdultFactory(family=neighbours, role=Adult.Role.RESIDENT_PARENT)
    session_services.session_book(
        family=neighbours, date=SATURDAYS[2], starts_at=datetime.time(10, 30),
        ends_at=datetime.time(11, 30), contact_type="supported", adults=[neighbour],
        bringing=neighbour, booked_by=coordinator, room=garden,
    )  # fmt: skip

    sign_in(page, coordinator)
    page.wait_for_url("**/dashboard/")
    page.goto(f"/families/{family.pk}/")
    page.get_by_role("link", name="Book a repeat series").click()
    page.get_by_label("First date").fill(FIRST.isoformat())
    page.get_by_label("Every week").check()
    page.get_by_label("Number of sessions").fill("4")
    page.get_by_label("Contact starts").fill("10:00")
    page.get_by_label("Contact ends").fill("11:00")
    page.get_by_label("Room").select_option(label="Garden room")
    page.get_by_label("Supported").check()
    page.get_by_role("button", name="Check the dates").click()

    dates = page.get_by_role("table").filter(has_text="Can be booked")
    rows = dates.locator("tbody tr")
    assert rows.count() == 4
    clash = rows.nth(2)
    assert "Sat 16 Mar 2030" in clash.inner_text()
    assert (
        f"Garden room holds one family at a time and is booked then: "
        f"{neighbours.reference} (10:30–11:30)."
    ) in clash.inner_text()
    assert clash.get_by_role("checkbox").count() == 0
    for n in (0, 1, 3):
        assert rows.nth(n).get_by_text("Can be booked").is_visible()
        assert rows.nth(n).get_by_role("checkbox").is_checked()
    assert not ContactSession.objects.filter(family=family).exists()

    page.get_by_role("button", name="Book the chosen dates").click()
    series = Series.objects.get(family=family)
    page.wait_for_url(f"**/series/{series.pk}/")
    assert page.get_by_text("3 sessions booked in the series.").is_visible()
    booked = list(series.sessions.order_by("date").values_list("date", flat=True))
    assert booked == [SATURDAYS[0], SATURDAYS[1], SATURDAYS[3]]
    assert page.get_by_role("link", name="Sat 23 Mar 2030").is_visible()
