"""The retention screen (coordinator) and the annual view (chair and coordinator)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from retention.models import KeepLonger
from retention.services import retention_run
from tests.factories import (
    ConcernFactory,
    DestructionRecordFactory,
    KeepLongerFactory,
    MonthlyStatisticFactory,
)
from tests.retention.conftest import family_history, resigned_volunteer, years_ago
from tests.stored import stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.localdate()


def test_it_lists_due_soon_held_kept_and_destroyed(cast, login, now):
    soon = family_history(cast.centre, years_ago(3, days=-10, today=now), by=cast.coordinator)
    held = family_history(cast.centre, years_ago(4, today=now), by=cast.coordinator)
    concern = ConcernFactory(family=held.family, raised_by=cast.coordinator)
    kept = family_history(cast.centre, years_ago(4, today=now), by=cast.coordinator)
    KeepLongerFactory(family=kept.family, review_on=now + datetime.timedelta(days=200))
    volunteer = resigned_volunteer(cast.centre, years_ago(3, days=-5, today=now))
    gone = DestructionRecordFactory(centre=cast.centre)
    DestructionRecordFactory(centre=cast.other_centre, reference="OTH-2020-0001")
    html = login(cast.coordinator).get(reverse("retention_screen")).content.decode()
    due, held_part, kept_part, destroyed = re.split(r"<h2[^>]*>", html)[1:5]
    assert soon.family.reference in due and f"VOL-{volunteer.pk}" in due
    assert held.family.reference in held_part and f"open concern #{concern.pk}" in held_part
    assert kept.family.reference in kept_part
    assert gone.reference in destroyed and "OTH-2020-0001" not in html
    for story in (soon, held, kept):
        for adult in story.adults:
            assert adult.last_name not in html and adult.first_name not in html


def test_it_costs_the_same_queries_for_few_and_many_records(
    cast, login, now, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    family_history(cast.centre, years_ago(3, days=-3, today=now), by=cast.coordinator)
    resigned_volunteer(cast.centre, years_ago(3, days=-1, today=now))
    DestructionRecordFactory(centre=cast.centre)
    with django_assert_max_num_queries(31) as few:
        client.get(reverse("retention_screen"))
    for n in range(4):
        story = family_history(
            cast.centre, years_ago(4, today=now), by=cast.coordinator, sessions=1
        )
        if n % 2:
            ConcernFactory(family=story.family, raised_by=cast.coordinator)
        else:
            KeepLongerFactory(family=story.family)
        DestructionRecordFactory(centre=cast.centre)
    resigned_volunteer(cast.centre, years_ago(3, days=-2, today=now))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("retention_screen"))


def test_a_coordinator_keeps_a_family_longer_with_a_reason_sealed_under_its_key(cast, login, now):
    story = family_history(cast.centre, years_ago(4, today=now), by=cast.coordinator)
    review = now + datetime.timedelta(days=180)
    response = login(cast.coordinator).post(
        reverse("keep_family", args=[story.family.pk]),
        {"reason": "Court hearing Qzmarch pending", "review_on": review.isoformat()},
    )
    assert response.status_code == 302
    keep = KeepLonger.objects.get()
    assert (keep.family, keep.review_on, keep.data_key_id) == (
        story.family,
        review,
        story.family.data_key_id,
    )
    token = stored(KeepLonger, keep.pk, "reason")
    assert "Qzmarch" not in token
    assert retention_run().destroyed == []


def test_a_coordinator_keeps_a_volunteer_longer(cast, login, now):
    volunteer = resigned_volunteer(cast.centre, years_ago(4, today=now))
    review = now + datetime.timedelta(days=30)
    login(cast.coordinator).post(
        reverse("keep_volunteer", args=[volunteer.pk]),
        {"reason": "Insurance claim open", "review_on": review.isoformat()},
    )
    assert KeepLonger.objects.get().volunteer == volunteer
    assert retention_run().destroyed == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "", "review_on": "2030-01-01"}, "This field is required."),
        ({"reason": "x", "review_on": "2020-01-01"}, "The review date must be after today."),
        ({"reason": "x", "review_on": "2099-01-01"}, "Review it within 10 years."),
        ({"reason": "x", "review_on": "soon"}, "Enter a valid date."),
    ],
)
def test_the_keep_form_explains_every_error(cast, login, now, data, message):
    story = family_history(cast.centre, years_ago(4, today=now), by=cast.coordinator)
    response = login(cast.coordinator).post(reverse("keep_family", args=[story.family.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not KeepLonger.objects.exists()


def test_the_annual_view_adds_destroyed_records_to_live_figures(cast, login, now):
    story = family_history(
        cast.centre, datetime.date(now.year - 4, 3, 10), by=cast.coordinator, sessions=2
    )
    year = now.year - 4
    client = login(cast.chair)
    before = client.get(reverse("retention_annual") + f"?year={year}").content.decode()
    assert "<td>2</td>" in before  # two sessions held in March
    retention_run()
    after = client.get(reverse("retention_annual") + f"?year={year}").content.decode()
    table = re.compile(r"<table.*?</table>", re.S)
    assert table.findall(before)[0] == table.findall(after)[0]  # the statistics survive
    this_year = client.get(reverse("retention_annual")).content.decode()
    assert story.family.reference in this_year  # destroyed this year


def test_the_annual_view_reads_only_its_own_centre(cast, login, now):
    MonthlyStatisticFactory(centre=cast.other_centre, month=datetime.date(2024, 5, 1),
                            sessions_held=777)  # fmt: skip
    DestructionRecordFactory(centre=cast.other_centre, reference="OTH-2019-0003")
    html = login(cast.chair).get(reverse("retention_annual") + "?year=2024").content.decode()
    assert "777" not in html and "OTH-2019-0003" not in html


def test_the_last_run_shows_only_what_it_destroyed_at_this_centre(cast, login, now):
    family_history(cast.other_centre, years_ago(4, today=now), by=cast.other_coordinator)
    family_history(cast.other_centre, years_ago(5, today=now), by=cast.other_coordinator)
    assert len(retention_run().destroyed) == 2
    mine = login(cast.coordinator).get(reverse("retention_screen")).content.decode()
    assert "0 destroyed at this centre" in mine and "2 destroyed" not in mine
    theirs = login(cast.other_coordinator).get(reverse("retention_screen")).content.decode()
    assert "2 destroyed at this centre" in theirs


@pytest.mark.parametrize("year", ["abc", "99999", "-1"])
def test_a_bad_year_never_breaks_the_annual_view(cast, login, year):
    response = login(cast.chair).get(reverse("retention_annual") + f"?year={year}")
    assert response.status_code == 200


def test_the_pages_carry_no_inline_script_style_or_handlers(cast, login, now):
    story = family_history(cast.centre, years_ago(4, today=now), by=cast.coordinator)
    DestructionRecordFactory(centre=cast.centre)
    client = login(cast.coordinator)
    for url in (
        reverse("retention_screen"),
        reverse("retention_annual"),
        reverse("keep_family", args=[story.family.pk]),
    ):
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, tag
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert "style=" not in html, url
        assert html.count("<table") == html.count("<caption"), url


def test_the_coordinator_and_chair_find_it_in_their_navigation(cast, login):
    coordinator = login(cast.coordinator).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("retention_screen")}"' in coordinator
    chair = login(cast.chair).get(reverse("committee")).content.decode()
    assert f'href="{reverse("retention_annual")}"' in chair
