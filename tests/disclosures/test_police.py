"""Police at the centre (CHE-PO): the coordinator logs visits and attempts to serve orders,
with the policy's guidance in front of them; the chair reads the log."""

import datetime
import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from disclosures import police_services
from disclosures.models import PoliceVisit
from tests.factories import FamilyFactory, PoliceVisitFactory
from tests.stored import stored

MIGRATIONS = Path(__file__).resolve().parents[2] / "disclosures" / "migrations"

pytestmark = pytest.mark.django_db

GUIDANCE = (
    "Unless called to an emergency, the police are asked not to approach or detain anyone on "
    "the premises; anyone arriving to serve an order is asked to serve it elsewhere."
)
PURPOSE = "Came to serve a non-molestation order on a father during contact. Tapir-purpose."


def form_data(**fields):
    now = timezone.localtime() - datetime.timedelta(hours=1)
    return {
        "date": now.date().isoformat(), "time": now.strftime("%H:%M"),
        "officer_name": "PC Morgan Hale", "officer_number": "4471", "order_to_serve": "on",
        "purpose": PURPOSE, "outcome": "Asked to serve it elsewhere; left at once.",
    } | fields  # fmt: skip


@pytest.mark.parametrize("url_name", ["police_create", "police_list"])
def test_the_policys_guidance_is_shown_where_visits_are_logged(cast, login, url_name):
    html = login(cast.coordinator).get(reverse(url_name)).content.decode()
    assert GUIDANCE in html
    assert "CHE-PO" in html


def test_the_guidance_is_the_services_own_words(cast):
    assert police_services.POLICE_GUIDANCE == GUIDANCE


def test_the_coordinator_logs_an_attempt_to_serve_an_order(cast, login):
    family = FamilyFactory(centre=cast.centre)
    response = login(cast.coordinator).post(
        reverse("police_create"), form_data(family_reference=family.reference)
    )
    visit = PoliceVisit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("police_detail", args=[visit.pk])
    assert (visit.family, visit.order_to_serve, visit.emergency) == (family, True, False)
    assert (visit.officer_name, visit.officer_number) == ("PC Morgan Hale", "4471")
    assert visit.purpose == PURPOSE and visit.data_key_id is None


def test_purpose_and_outcome_are_sealed_even_without_a_family(cast, login):
    login(cast.coordinator).post(reverse("police_create"), form_data(emergency="on"))
    visit = PoliceVisit.objects.get()
    assert visit.family is None and visit.data_key_id is not None and visit.emergency
    raw_purpose, raw_outcome = stored(PoliceVisit, visit.pk, "purpose", "outcome")
    assert "Tapir" not in raw_purpose and "elsewhere" not in raw_outcome


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"date": "2999-01-01"}, "date", "cannot be recorded before it happens"),
        ({"date": "2026-13-40"}, "date", "Enter a date like"),
        ({"time": "25:99"}, "time", "Enter a time like"),
        ({"purpose": ""}, "purpose", "required"),
        ({"family_reference": "HOM-2026-9999"}, "family_reference", "No family of this centre"),
    ],
)
def test_the_form_explains_every_error(cast, login, fields, field, message):
    response = login(cast.coordinator).post(reverse("police_create"), form_data(**fields))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not PoliceVisit.objects.exists()


def test_a_family_of_another_centre_cannot_be_linked(cast, login):
    other = FamilyFactory(centre=cast.other_centre)
    response = login(cast.coordinator).post(
        reverse("police_create"), form_data(family_reference=other.reference)
    )
    assert "No family of this centre" in response.content.decode()
    assert not PoliceVisit.objects.exists()


def test_the_chair_reads_the_log_and_a_visit_but_cannot_log_one(cast, login):
    visit = PoliceVisitFactory(centre=cast.centre, purpose=PURPOSE)
    client = login(cast.chair)
    html = client.get(reverse("police_list")).content.decode()
    assert reverse("police_detail", args=[visit.pk]) in html
    assert reverse("police_create") not in html
    assert "Tapir-purpose" in client.get(reverse("police_detail", args=[visit.pk])).content.decode()
    assert client.get(reverse("police_create")).status_code == 404


def test_the_log_shows_only_the_centres_own_visits(cast, login):
    PoliceVisitFactory(centre=cast.other_centre, officer_name="PC Elsewhere Qz9")
    html = login(cast.coordinator).get(reverse("police_list")).content.decode()
    assert "PC Elsewhere Qz9" not in html


def test_the_log_costs_the_same_with_many_visits(cast, login, django_assert_max_num_queries):
    client = login(cast.coordinator)
    PoliceVisitFactory(centre=cast.centre, family=FamilyFactory(centre=cast.centre))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("police_list"))
    for _ in range(6):
        PoliceVisitFactory(centre=cast.centre, family=FamilyFactory(centre=cast.centre))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("police_list")).content.decode()
    assert html.count("PC Morgan Hale") == 7


def raw_officers(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT officer_name, officer_number FROM {table}")  # noqa: S608
        return cursor.fetchall()


def test_the_officers_name_and_number_are_sealed_in_the_table_and_its_history(cast, login):
    """SPEC §4: names are encrypted. Under the family's key, or the visit's own without one,
    so they go when the record is destroyed."""
    family = FamilyFactory(centre=cast.centre)
    client = login(cast.coordinator)
    officer = {"officer_name": "PC Quokka Fernsby", "officer_number": "QZ-99172"}
    client.post(reverse("police_create"), form_data(family_reference=family.reference, **officer))
    client.post(reverse("police_create"), form_data(**officer))
    with_family, without = PoliceVisit.objects.order_by("pk")
    for table in ("disclosures_policevisit", "disclosures_historicalpolicevisit"):
        rows = raw_officers(table)
        assert len(rows) == 2
        assert not any("Quokka" in name or "99172" in number for name, number in rows)
    assert stored(PoliceVisit, with_family.pk, "officer_name").startswith(
        f"v1:{family.data_key_id}:"
    )
    assert stored(PoliceVisit, without.pk, "officer_name").startswith(f"v1:{without.data_key_id}:")
    for visit in (with_family, without):
        fresh = PoliceVisit.objects.get(pk=visit.pk)
        assert (fresh.officer_name, fresh.officer_number) == ("PC Quokka Fernsby", "QZ-99172")


def test_the_migration_seals_the_officers_of_visits_recorded_before_it(cast):
    with_family = PoliceVisitFactory(centre=cast.centre, family=FamilyFactory(centre=cast.centre))
    without = PoliceVisitFactory(centre=cast.centre)
    with connection.cursor() as cursor:  # as the rows stood before: plaintext
        for table in ("disclosures_policevisit", "disclosures_historicalpolicevisit"):
            cursor.execute(
                f"UPDATE {table} SET officer_name = %s, officer_number = %s",  # noqa: S608
                ["PC Numbat Olway", "NB-5521"],
            )
    (path,) = MIGRATIONS.glob("*_police_officer_sealed.py")
    migration = importlib.import_module(f"disclosures.migrations.{path.stem}")
    editor = SimpleNamespace(connection=connection)  # all the migration reads of its schema editor
    migration.seal_officers(apps, editor)
    migration.seal_officers(apps, editor)  # run twice, sealed once
    for table in ("disclosures_policevisit", "disclosures_historicalpolicevisit"):
        assert not any("Numbat" in n or "5521" in m for n, m in raw_officers(table))
    for visit in (with_family, without):
        fresh = PoliceVisit.objects.get(pk=visit.pk)
        assert (fresh.officer_name, fresh.officer_number) == ("PC Numbat Olway", "NB-5521")
        history = fresh.history.get()
        assert (history.officer_name, history.officer_number) == ("PC Numbat Olway", "NB-5521")
