"""A referrer asks for the attendance of the family they referred and sees dates and times
only; a second referrer of the same centre, who referred another family, is refused."""

import datetime

import pytest
from django.utils import timezone

from cccc.models import Role
from families.models import Adult, SessionAttendance
from tests.browser.helpers import sign_in
from tests.factories import (
    AdultFactory,
    ContactSessionFactory,
    FamilyFactory,
    ReferralFactory,
    SessionAttendanceFactory,
    SessionNoteFactory,
    UserFactory,
)


@pytest.mark.django_db(transaction=True)
def test_a_referrer_sees_dates_and_times_only_and_another_referrer_is_refused(page):
    centre_user = UserFactory(role=Role.COORDINATOR)
    centre = centre_user.centre
    referrer = UserFactory(role=Role.REFERRER, centre=centre, email="rhea@example.org")
    family = FamilyFactory(centre=centre)
    ReferralFactory(family=family, referrer=referrer, status="accepted")
    mum = AdultFactory(
        family=family, role=Adult.Role.RESIDENT_PARENT, first_name="Rowena",
        last_name="Quillfeather", address="14 Larkspur Close",
    )  # fmt: skip
    dad = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT, first_name="Bram")
    day = timezone.localdate() - datetime.timedelta(days=9)
    session = ContactSessionFactory(
        family=family, date=day, starts_at=datetime.time(14, 0), ends_at=datetime.time(15, 30),
        room="Kingfisher room", instructions="Zebra-instructions",
    )  # fmt: skip
    SessionAttendanceFactory(
        session=session, adult=mum, arrives_at=datetime.time(13, 45),
        departs_at=datetime.time(15, 45), outcome=SessionAttendance.Outcome.ATTENDED,
        actual_arrival=datetime.time(13, 48), actual_departure=datetime.time(15, 41),
    )  # fmt: skip
    SessionAttendanceFactory(
        session=session, adult=dad, arrives_at=datetime.time(14, 0),
        departs_at=datetime.time(15, 30), outcome=SessionAttendance.Outcome.DID_NOT_ATTEND,
    )  # fmt: skip
    SessionNoteFactory(session=session, text="Walrus-note")

    sign_in(page, referrer)
    page.wait_for_url("**/referrer/")
    page.get_by_role("link", name="Ask for dates and times of attendance").click()
    page.get_by_role("link", name=f"Ask for attendance of {family.reference}").click()
    page.get_by_label("From").fill((day - datetime.timedelta(days=30)).isoformat())
    page.get_by_label("To").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Show attendance").click()

    table = page.get_by_role("table")
    table.wait_for()  # is_visible() does not wait for the answer page; under load it lost
    assert table.is_visible()
    text = table.inner_text()
    assert day.strftime("%a %-d %b %Y") in text
    assert "14:00" in text and "15:30" in text  # contact times
    assert "Resident parent" in text and "Did not attend" in text
    html = page.content()
    for secret in ["Rowena", "Quillfeather", "Larkspur", "Bram", "Kingfisher", "Zebra", "Walrus",
                   "13:45", "13:48", "15:41", "15:45"]:  # fmt: skip
        assert secret not in html

    other = UserFactory(role=Role.REFERRER, centre=centre, email="otto@example.org")
    ReferralFactory(family=FamilyFactory(centre=centre), referrer=other, status="accepted")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, other)
    page.wait_for_url("**/referrer/")
    response = page.goto(f"/attendance/{family.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Not found").is_visible()
    assert family.reference not in page.content()
