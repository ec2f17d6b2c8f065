"""The network's quarterly statistics, for the operator (issue 19, point 3): the sum over the
centres and each centre anonymous, any count from 1 to 4 shown as "fewer than 5"; counts
only, never a family's record."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from families.models import SessionAttendance
from retention.network import SMALL, WITHHELD, anonymous_order, network_statistics, suppressed
from tests.factories import (
    AdultFactory,
    CentreFactory,
    ContactSessionFactory,
    FamilyFactory,
    SessionAttendanceFactory,
)

pytestmark = pytest.mark.django_db

Q2 = datetime.date(2025, 4, 1)
LATER = datetime.date(2026, 1, 1)
HELD = "Sessions held (someone attended)"


def held(centre, sessions: int):
    """`sessions` held sessions of one family of the centre."""
    family = FamilyFactory(centre=centre)
    adult = AdultFactory(family=family)
    for n in range(sessions):
        session = ContactSessionFactory(family=family, date=datetime.date(2025, 4, 5 + n))
        SessionAttendanceFactory(
            session=session, adult=adult, outcome=SessionAttendance.Outcome.ATTENDED
        )
    return family


def column(statistics, measure, kind=""):
    i = statistics.measures.index((measure, kind))
    return statistics.total[i], sorted(str(cells[i]) for _label, cells in statistics.centres)


def fetch(client, name="network_statistics"):
    return client.get(reverse(name), {"quarter": Q2.isoformat()})


# --- suppression ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_counts_from_one_to_four_show_as_fewer_than_five(count):
    assert suppressed(count, [count, 0]) == (SMALL, [SMALL, 0])


@pytest.mark.parametrize("count", [0, 5, 6, 120])
def test_zero_and_counts_of_five_or_more_show_as_they_are(count):
    assert suppressed(count, [count, 0]) == (count, [count, 0])


def test_a_single_small_count_that_the_sum_would_give_away_takes_another_with_it():
    # 40 - 7 - 0 - 30 would tell the 3; with the 7 withheld too, only 3 + 7 can be known.
    assert suppressed(40, [3, 7, 0, 30]) == (40, [SMALL, WITHHELD, 0, 30])


def test_two_small_counts_take_another_with_them_or_the_sum_would_tell_both():
    # 13 - 11 would tell that the two hidden counts are 1 and 1 (the review of issue 19).
    assert suppressed(13, [1, 1, 11]) == (13, [SMALL, SMALL, WITHHELD])
    assert suppressed(16, [3, 2, 11]) == (16, [SMALL, SMALL, WITHHELD])


def test_staff_and_volunteers_are_shown_only_in_the_networks_sum(cast):
    """The operator manages every centre's accounts, so a per-centre count of staff or of
    volunteers would tell which anonymous row is which centre."""
    statistics = network_statistics(Q2, LATER)
    for measure in ("Staff", "Volunteers"):
        index = [m for m, _t in statistics.measures].index(measure)
        assert {cells[index] for _label, cells in statistics.centres} == {WITHHELD}


def test_the_network_view_offers_only_complete_quarters(cast, login):
    from retention.forms import QuarterForm

    today = datetime.date(2026, 5, 10)
    form = QuarterForm(today=today, complete_only=True)
    assert form.default == datetime.date(2026, 1, 1)
    assert datetime.date(2026, 4, 1) not in form.quarters


def test_a_small_sum_hides_the_sum_too():
    assert suppressed(3, [3, 0, 0]) == (SMALL, [SMALL, 0, 0])


# --- the page -------------------------------------------------------------------------------


def test_the_operator_sees_the_sum_and_each_centre_with_small_counts_hidden(cast):
    held(cast.centre, 3)
    held(cast.other_centre, 6)
    third = CentreFactory(name="Third Centre", code="THI")
    held(third, 8)
    statistics = network_statistics(Q2, LATER)
    assert column(statistics, HELD) == (17, sorted([SMALL, WITHHELD, "8"]))
    assert column(statistics, "Families using the centre") == (SMALL, sorted([SMALL] * 3))
    assert [label for label, _cells in statistics.centres] == ["Centre 1", "Centre 2", "Centre 3"]


def test_the_page_and_csv_name_no_centre_and_no_family(cast, login):
    families = [held(cast.centre, 2), held(cast.other_centre, 9)]
    client = login(cast.operator)
    html = fetch(client).content.decode()
    csv_text = fetch(client, "network_statistics_csv").content.decode()
    for text in (html, csv_text):
        for centre in (cast.centre, cast.other_centre):
            assert centre.name not in text and centre.code not in text and centre.slug not in text
        for family in families:
            assert family.reference not in text
    assert "fewer than 5" in html and "Centre 2" in html


def test_the_csv_has_the_sum_and_each_centre_as_the_page_shows_them(cast, login):
    held(cast.centre, 2)
    held(cast.other_centre, 9)
    client = login(cast.operator)
    response = fetch(client, "network_statistics_csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="network-statistics-2025-Q2.csv"'
    )
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert header == ["Quarter", "Centre", "Measure", "Referral type", "Count"]
    assert ["2025 Q2", "All centres", HELD, "", "11"] in rows
    page = fetch(client).context["statistics"]
    assert [row[1:] for row in rows] == [[str(c) for c in row] for row in page.rows()]
    assert {row[1] for row in rows} == {"All centres", "Centre 1", "Centre 2"}


def test_a_cell_that_looks_like_a_formula_is_written_as_text(cast, login, monkeypatch):
    """cccc/csv_safe.py. Every cell here is a count or a label of the code's own, so the
    quarter's name is made to look like a formula to show the export passes through the safe
    writer."""
    from retention import statistics_views

    monkeypatch.setattr(statistics_views, "quarter_name", lambda quarter: "=1+1")
    held(cast.centre, 2)
    response = fetch(login(cast.operator), "network_statistics_csv")
    _header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert {row[0] for row in rows} == {"'=1+1"}


def test_the_order_of_centres_is_stable_but_not_their_names_codes_or_ids(cast):
    made = [CentreFactory(name=f"Centre {letter}", code=f"Z{letter}") for letter in "ABCDEFGH"]
    ids = [c.pk for c in made]
    order = anonymous_order(ids, Q2)
    assert order == anonymous_order(list(reversed(ids)), Q2)  # the same on every load
    assert sorted(order) == sorted(ids)
    names = {c.pk: c.name for c in made}
    assert order != sorted(ids) and [names[i] for i in order] != sorted(names.values())
    # a different quarter, a different order: a centre's number does not follow it
    assert anonymous_order(ids, datetime.date(2025, 7, 1)) != order


def test_an_inactive_centre_with_nothing_in_the_quarter_is_left_out(cast):
    CentreFactory(is_active=False)
    statistics = network_statistics(Q2, LATER)
    assert len(statistics.centres) == 2


def test_no_centre_yet_shows_an_empty_network(db):
    statistics = network_statistics(Q2, LATER)
    assert statistics.centres == [] and set(statistics.total) == {0}


def test_the_operator_has_it_in_the_navigation(cast, login):
    html = fetch(login(cast.operator)).content.decode()
    assert f'href="{reverse("network_statistics")}"' in html
