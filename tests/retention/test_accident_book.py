"""The accident book (CHI-4.9): coordinators and volunteers add entries, sealed under the
centre's own key; the author or a coordinator corrects one for 24 hours, then nobody;
nobody ever deletes one; coordinators print it by date range."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cccc import crypto
from families.models import Family
from retention import accident_services as services
from retention.models import AccidentEntry
from retention.services import retention_run
from tests.factories import AccidentEntryFactory, UserFactory
from tests.retention.conftest import family_history, years_ago
from tests.stored import stored

pytestmark = pytest.mark.django_db

FORM = {
    "occurred_at": "2026-01-10T10:15",
    "place": "Garden room",
    "people_involved": "Ollie Qzbrook (child) and his father",
    "what_happened": "Ollie slipped on the wet floor by the door.",
    "injury": "Bumped elbow",
    "first_aid_and_action": "Cold compress; floor dried; sign put up.",
}


def _values(**changes):
    when = timezone.make_aware(datetime.datetime(2026, 1, 10, 10, 15))
    values = {**FORM, "occurred_at": when}
    return {**values, **changes}


def _recorded_hours_ago(entry, hours: float):
    """Move an entry's recording time back (test setup, bypassing the refusing queryset)."""
    moved = timezone.now() - datetime.timedelta(hours=hours)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE retention_accidententry SET recorded_at = %s WHERE id = %s", [moved, entry.pk]
        )


def test_an_entry_is_sealed_under_the_centres_own_key(cast):
    entry = services.accident_entry_add(centre=cast.centre, by=cast.coordinator, **_values())
    cast.centre.refresh_from_db()
    assert cast.centre.data_key_id is not None
    token = stored(AccidentEntry, entry.pk, "people_involved")
    assert "Qzbrook" not in token
    assert crypto.token_data_key_id(token) == cast.centre.data_key_id
    assert AccidentEntry.objects.get(pk=entry.pk).people_involved == FORM["people_involved"]


def test_the_centre_key_is_made_once(cast):
    first = services.accident_entry_add(centre=cast.centre, by=cast.coordinator, **_values())
    second = services.accident_entry_add(centre=cast.centre, by=cast.coordinator, **_values())
    assert first.centre.data_key_id == second.centre.data_key_id


def test_it_outlives_the_family_it_mentions(cast):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    name = story.adults[0].first_name
    entry = services.accident_entry_add(
        centre=cast.centre, by=cast.coordinator, **_values(people_involved=f"{name}, mother")
    )
    retention_run()
    assert not Family.objects.filter(pk=story.family.pk).exists()
    assert AccidentEntry.objects.get(pk=entry.pk).people_involved == f"{name}, mother"


def test_nobody_deletes_an_entry(cast):
    entry = AccidentEntryFactory(centre=cast.centre)
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccidentEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AccidentEntry.objects.all().delete()
    assert AccidentEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_the_database_refuses_a_delete_on_postgresql(cast):
    from django.db import DatabaseError, transaction

    entry = AccidentEntryFactory(centre=cast.centre)
    with (
        pytest.raises(DatabaseError, match="kept forever"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM retention_accidententry WHERE id = %s", [entry.pk])
    assert AccidentEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
def test_the_database_refuses_to_change_an_entry_past_its_24_hours_on_postgresql(cast):
    from django.db import DatabaseError, transaction

    entry = AccidentEntryFactory(centre=cast.centre)
    _recorded_hours_ago(entry, 24.1)
    sql = "UPDATE retention_accidententry SET place = place WHERE id = %s"
    with (
        pytest.raises(DatabaseError, match="sealed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    fresh = AccidentEntryFactory(centre=cast.centre)  # within its 24 hours: still correctable
    with connection.cursor() as cursor:
        cursor.execute(sql, [fresh.pk])


@pytest.mark.postgres
def test_the_database_refuses_to_truncate_the_book_or_delete_its_history_on_postgresql(cast):
    from django.db import DatabaseError, transaction

    entry = AccidentEntryFactory(centre=cast.centre)
    history = AccidentEntry.history.model._meta.db_table
    with connection.cursor() as cursor:  # PostgreSQL refuses TRUNCATE with checks pending
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for sql, params in (
        ("TRUNCATE retention_accidententry CASCADE", []),
        (f"TRUNCATE {history}", []),
        (f"DELETE FROM {history} WHERE id = %s", [entry.pk]),  # noqa: S608
        (f"UPDATE {history} SET place = '' WHERE id = %s", [entry.pk]),  # noqa: S608
    ):
        with (
            pytest.raises(DatabaseError, match="kept forever"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    assert AccidentEntry.objects.filter(pk=entry.pk).exists()
    assert AccidentEntry.history.filter(id=entry.pk).count() == 1


def test_its_author_corrects_it_within_24_hours(cast):
    entry = services.accident_entry_add(centre=cast.centre, by=cast.volunteer, **_values())
    _recorded_hours_ago(entry, 23.5)
    services.accident_entry_update(
        entry=entry, by=cast.volunteer, **_values(injury="Bruised elbow")
    )
    entry = AccidentEntry.objects.get(pk=entry.pk)
    assert entry.injury == "Bruised elbow" and entry.updated_at is not None
    assert entry.history.count() == 2  # the first version is kept


def test_a_coordinator_corrects_a_volunteers_entry_within_24_hours(cast):
    entry = services.accident_entry_add(centre=cast.centre, by=cast.volunteer, **_values())
    services.accident_entry_update(entry=entry, by=cast.coordinator, **_values(place="Hall"))
    assert AccidentEntry.objects.get(pk=entry.pk).place == "Hall"


def test_another_volunteer_cannot_correct_it(cast):
    entry = services.accident_entry_add(centre=cast.centre, by=cast.coordinator, **_values())
    other = UserFactory(role="volunteer", centre=cast.centre)
    with pytest.raises(ValidationError, match="author or a coordinator"):
        services.accident_entry_update(entry=entry, by=other, **_values(place="Hall"))


@pytest.mark.parametrize("who", ["author", "coordinator"])
def test_nobody_corrects_it_after_24_hours(cast, who):
    entry = services.accident_entry_add(centre=cast.centre, by=cast.volunteer, **_values())
    _recorded_hours_ago(entry, 24.1)
    by = cast.volunteer if who == "author" else cast.coordinator
    with pytest.raises(ValidationError, match="24 hours"):
        services.accident_entry_update(entry=entry, by=by, **_values(place="Hall"))
    assert AccidentEntry.objects.get(pk=entry.pk).place == "Garden room"


@pytest.mark.parametrize("role", ["chair", "referrer", "other_coordinator"])
def test_only_the_centres_coordinators_and_volunteers_write_in_it(cast, role):
    with pytest.raises(ValidationError):
        services.accident_entry_add(centre=cast.centre, by=getattr(cast, role), **_values())
    assert not AccidentEntry.objects.exists()


def test_an_accident_in_the_future_is_refused(cast):
    later = timezone.now() + datetime.timedelta(hours=2)
    with pytest.raises(ValidationError) as exc:
        services.accident_entry_add(centre=cast.centre, by=cast.coordinator, **_values(
            occurred_at=later
        ))  # fmt: skip
    assert "occurred_at" in exc.value.message_dict


# --- pages ------------------------------------------------------------------------------------


def test_a_coordinator_records_an_accident(cast, login):
    response = login(cast.coordinator).post(reverse("accident_new"), FORM)
    assert response.status_code == 302
    entry = AccidentEntry.objects.get()
    assert (entry.recorded_by, entry.place) == (cast.coordinator, "Garden room")


def test_a_volunteer_records_an_accident_from_the_portal(cast, login):
    client = login(cast.volunteer)
    response = client.post(reverse("accident_new"), FORM, follow=True)
    entry = AccidentEntry.objects.get()
    assert entry.recorded_by == cast.volunteer
    html = response.content.decode()
    assert reverse("accident_edit", args=[entry.pk]) in html  # their own, to correct


def test_a_paused_volunteer_cannot_record_one(cast, login):
    from volunteers.models import Volunteer

    Volunteer.objects.filter(user=cast.volunteer).update(clearance_expires=years_ago(1))
    response = login(cast.volunteer).post(reverse("accident_new"), FORM)
    # The sign-in gate turns them away (volunteers.auth); were they let in, the page would
    # show "access paused" instead of the form.
    assert response.status_code == 302 and "/login/" in response.url
    assert not AccidentEntry.objects.exists()


def test_the_form_explains_every_error_and_keeps_what_was_typed(cast, login):
    data = {**FORM, "occurred_at": "yesterday-ish", "place": ""}
    response = login(cast.coordinator).post(reverse("accident_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid date/time." in html and "This field is required." in html
    assert "Qzbrook" in html
    assert not AccidentEntry.objects.exists()


def test_the_edit_page_refuses_after_24_hours(cast, login):
    entry = AccidentEntryFactory(centre=cast.centre, recorded_by=cast.coordinator)
    _recorded_hours_ago(entry, 30)
    client = login(cast.coordinator)
    page = client.get(reverse("accident_edit", args=[entry.pk])).content.decode()
    assert "can no longer be changed" in page and '<form method="post" novalidate' not in page
    client.post(reverse("accident_edit", args=[entry.pk]), {**FORM, "place": "Hall"})
    assert AccidentEntry.objects.get(pk=entry.pk).place == "Garden room"


def test_a_volunteer_no_longer_reaches_their_entry_after_24_hours(cast, login):
    entry = AccidentEntryFactory(centre=cast.centre, recorded_by=cast.volunteer)
    _recorded_hours_ago(entry, 25)
    assert login(cast.volunteer).get(reverse("accident_edit", args=[entry.pk])).status_code == 404


def test_the_print_page_shows_the_entries_in_the_date_range(cast, login):
    def at(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11)))

    inside = AccidentEntryFactory(
        centre=cast.centre, occurred_at=at(datetime.date(2026, 3, 5)), place="Blue room"
    )
    AccidentEntryFactory(
        centre=cast.centre, occurred_at=at(datetime.date(2026, 4, 5)), place="Car park"
    )
    url = reverse("accident_print") + "?start=2026-03-01&end=2026-03-31"
    html = login(cast.coordinator).get(url).content.decode()
    assert "Blue room" in html and inside.people_involved in html
    assert "Car park" not in html


@pytest.mark.parametrize("query", ["?start=31/02/2026", "?start=2026-05-01&end=2026-01-01"])
def test_bad_dates_never_break_the_pages(cast, login, query):
    client = login(cast.coordinator)
    for name in ("accident_list", "accident_print"):
        assert client.get(reverse(name) + query).status_code == 200


def test_the_list_costs_the_same_queries_for_few_and_many_entries(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    AccidentEntryFactory(centre=cast.centre, recorded_by=cast.coordinator)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("accident_list"))
    for _ in range(15):
        AccidentEntryFactory(centre=cast.centre, recorded_by=cast.volunteer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accident_print"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accident_list"))


def test_the_pages_carry_no_inline_script_style_or_handlers(cast, login):
    entry = AccidentEntryFactory(centre=cast.centre, recorded_by=cast.coordinator)
    client = login(cast.coordinator)
    for url in (
        reverse("accident_list"),
        reverse("accident_print"),
        reverse("accident_new"),
        reverse("accident_edit", args=[entry.pk]),
    ):
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, tag
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert "style=" not in html, url
        assert html.count("<table") == html.count("<caption"), url
