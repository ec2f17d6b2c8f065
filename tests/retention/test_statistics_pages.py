"""The quarterly statistics pages (issue 19, point 3): the coordinator and the chair see their
own centre's, on the page and as a CSV; nobody else does (tests/retention/test_outsiders.py
has the 404s)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from families.models import SessionAttendance
from tests.factories import (
    AdultFactory,
    ContactSessionFactory,
    FamilyFactory,
    ReferralFactory,
    SessionAttendanceFactory,
)

pytestmark = pytest.mark.django_db

Q2 = "2025-04-01"


def held_session(centre, day=datetime.date(2025, 5, 10)):
    family = FamilyFactory(centre=centre)
    ReferralFactory(family=family, agency_type="cafcass", received_on=day)
    session = ContactSessionFactory(family=family, date=day)
    SessionAttendanceFactory(
        session=session, adult=AdultFactory(family=family),
        outcome=SessionAttendance.Outcome.ATTENDED,
    )  # fmt: skip
    return family


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("role", ["coordinator", "chair"])
def test_the_coordinator_and_chair_see_their_centres_quarter(cast, login, role):
    family = held_session(cast.centre)
    for _ in range(3):
        held_session(cast.other_centre)
    html = login(getattr(cast, role)).get(reverse("quarterly_statistics") + f"?quarter={Q2}")
    text = html.content.decode()
    assert "Quarterly statistics, 2025 Q2" in text and cast.centre.name in text
    assert '<td>Sessions held (someone attended)</td><td></td><td class="text-end">1</td>' in text
    assert '<td>Referrals received</td><td>Cafcass</td><td class="text-end">1</td>' in text
    assert family.reference not in text  # counts only


@pytest.mark.parametrize("role", ["coordinator", "chair"])
def test_the_csv_has_the_same_figures(cast, login, role):
    held_session(cast.centre)
    held_session(cast.other_centre)
    response = login(getattr(cast, role)).get(
        reverse("quarterly_statistics_csv") + f"?quarter={Q2}"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statistics-HOM-2025-Q2.csv"'
    header, *rows = rows_of(response)
    assert header == ["Centre", "Quarter", "Measure", "Referral type", "Count"]
    assert ["Home Centre", "2025 Q2", "Sessions held (someone attended)", "", "1"] in rows
    assert ["Home Centre", "2025 Q2", "Referrals received", "Cafcass", "1"] in rows
    assert ["Home Centre", "2025 Q2", "Referrals received", "All types", "1"] in rows
    assert ["Home Centre", "2025 Q2", "Families using the centre", "", "1"] in rows
    measures = {row[2] for row in rows}
    assert measures == {
        "Referrals received", "Referrals accepted", "Referrals rejected",
        "Families using the centre", "Children using the centre",
        "Sessions held (someone attended)", "No-shows", "Volunteers", "Staff",
        "Capacity (rooms × opening days)",
    }  # fmt: skip


def test_the_other_centres_chair_sees_only_their_own(cast, login):
    held_session(cast.centre)
    response = login(cast.other_chair).get(reverse("quarterly_statistics_csv") + f"?quarter={Q2}")
    rows = rows_of(response)[1:]
    assert {row[0] for row in rows} == {"Other Centre"}
    assert ["Other Centre", "2025 Q2", "Sessions held (someone attended)", "", "0"] in rows


def test_a_formula_in_a_centre_name_is_neutralised_in_the_csv(cast, login):
    cast.centre.name = '=HYPERLINK("http://evil.example","Click")'
    cast.centre.save()
    response = login(cast.coordinator).get(reverse("quarterly_statistics_csv") + f"?quarter={Q2}")
    assert {row[0] for row in rows_of(response)[1:]} == {
        '\'=HYPERLINK("http://evil.example","Click")'
    }


@pytest.mark.parametrize("quarter", ["2025-Q2", "1999-01-01", "2025-04-02", "x" * 300, "'"])
def test_a_bad_quarter_shows_the_last_complete_quarter_and_never_breaks(cast, login, quarter):
    response = login(cast.chair).get(reverse("quarterly_statistics"), {"quarter": quarter})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    default = response.context["form"].default
    assert response.context["quarter"] == default


def test_without_a_quarter_it_shows_the_last_complete_one(cast, login):
    response = login(cast.coordinator).get(reverse("quarterly_statistics"))
    quarter = response.context["quarter"]
    assert quarter.day == 1 and quarter.month in (1, 4, 7, 10)
    today = datetime.date.today()
    assert quarter < today.replace(day=1) and (today - quarter).days < 190


@pytest.mark.parametrize("role", ["coordinator", "chair"])
def test_the_statistics_are_in_the_navigation(cast, login, role):
    html = login(getattr(cast, role)).get(reverse("quarterly_statistics")).content.decode()
    assert f'href="{reverse("quarterly_statistics")}"' in html
