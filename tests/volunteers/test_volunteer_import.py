"""Volunteers imported from a spreadsheet (issue 19, point 4): each row checked by the forms
of "Add a volunteer" and "Record a DBS check", imported in one transaction through
volunteer_create and dbs_check_record, by the centre's coordinator only."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cccc.csv_import import RowRefused
from cccc.models import AccessLog, DataKey, DbsVisibility
from tests.csv_upload import FILE_NAME, capture_every_log, check_and_import, csv_bytes, upload
from tests.factories import membership_of
from tests.stored import stored
from volunteers.import_services import VolunteerImportRow, volunteers_import
from volunteers.models import DbsCheck, Volunteer
from volunteers.volunteer_import import known_columns

pytestmark = pytest.mark.django_db

URL = "/volunteers/import/"
TODAY = timezone.localdate()
ISSUED = TODAY - datetime.timedelta(days=30)


def volunteer(**overrides) -> dict[str, str]:
    row = {
        "First name": "Perpetua",
        "Last name": "Ravenscroft",
        "Phone": "07700 900456",
        "Email address": "perpetua@example.org",
        "Applied on": "01/09/2025",
        "DBS level": "Enhanced with barred list (children)",
        "DBS certificate number": "0012 3456 7890",
        "DBS outcome": "clear",
        "DBS issue date": ISSUED.strftime("%d/%m/%Y"),
    }
    row.update(overrides)
    return row


NO_DBS = {"DBS level": "", "DBS certificate number": "", "DBS outcome": "", "DBS issue date": ""}


def imported():
    """The volunteers the tests import (the cast's volunteers have an account)."""
    return Volunteer.objects.filter(user=None).order_by("pk")


def volunteers_csv(*rows: dict[str, str]) -> bytes:
    return csv_bytes(known_columns(), list(rows))


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Volunteer, DbsCheck, DataKey, AccessLog))


def problems(response) -> list[tuple[str, str, str]]:
    html = response.content.decode()
    return re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)


def test_the_coordinator_downloads_the_template(cast, login):
    response = login(cast.coordinator).get(reverse("volunteer_import_template"))
    body = response.content.decode()
    assert body.lstrip("\ufeff").strip().split(",") == known_columns()
    assert 'filename="volunteers-template.csv"' in response["Content-Disposition"]


def test_the_volunteer_list_links_to_the_import(cast, login):
    assert URL in login(cast.coordinator).get(reverse("volunteer_list")).content.decode()


def test_the_preview_shows_each_volunteer_and_what_their_check_will_do(cast, login):
    renewal = ISSUED.replace(year=ISSUED.year + 3)
    rows = [
        volunteer(),
        volunteer(**{"First name": "Ambrose", "DBS level": "basic", "Phone": ""}),
        volunteer(**{"First name": "Cressida", "DBS outcome": "Information disclosed"}),
        volunteer(**{"First name": "Dorian", **NO_DBS}),
    ]
    before = counts()
    html = upload(login(cast.coordinator), URL, volunteers_csv(*rows)).content.decode()
    assert "Preview: 4 volunteers" in html
    assert "Perpetua Ravenscroft" in html and "phone, email given" in html
    assert f"cleared until {renewal.strftime('%-d %b %Y')}" in html
    assert "Basic, clear: nothing disclosed" in html and "clears nobody" in html
    assert "no clearance until the chair approves a risk assessment" in html
    assert "No DBS check" in html
    assert "07700" not in html and "perpetua@" not in html
    assert counts() == before


def test_choosing_the_same_file_again_imports_it_through_the_services(cast, login):
    rows = [volunteer(), volunteer(**{"First name": "Dorian", **NO_DBS, "Applied on": ""})]
    response = check_and_import(login(cast.coordinator), URL, volunteers_csv(*rows))
    assert response.status_code == 302 and response.url == reverse("volunteer_list")
    cleared, applicant = imported()
    assert (cleared.centre, cleared.status) == (cast.centre, Volunteer.Status.CLEARED)
    assert cleared.applied_on == datetime.date(2025, 9, 1)
    assert cleared.clearance_expires == ISSUED.replace(year=ISSUED.year + 3)
    check = cleared.dbs_checks.get()
    assert (check.certificate_number, check.outcome, check.recorded_by) == (
        "001234567890", "clear", cast.coordinator,
    )  # fmt: skip
    assert (applicant.status, applicant.applied_on) == (Volunteer.Status.APPLIED, TODAY)
    assert not applicant.dbs_checks.exists()
    raw = stored(Volunteer, cleared.pk, "first_name", "last_name", "phone", "email")
    for plain, token in zip(["Perpetua", "Ravenscroft", "900456", "perpetua@"], raw, strict=True):
        assert plain not in token
    assert "001234567890" not in stored(DbsCheck, check.pk, "certificate_number")


def test_each_volunteer_their_check_and_the_import_have_their_audit_entry(cast, login):
    rows = [volunteer(), volunteer(**NO_DBS)]
    check_and_import(login(cast.coordinator), URL, volunteers_csv(*rows))
    first, second = imported()
    entries = [
        (e.action, e.record_type, e.record_id, e.detail)
        for e in AccessLog.objects.order_by("seq")
        if e.action in ("import", "dbs_result")
    ]
    assert entries == [
        ("import", "volunteers.Volunteer", first.pk, "row 2"),
        ("dbs_result", "volunteers.DbsCheck", first.dbs_checks.get().pk, "recorded"),
        ("import", "volunteers.Volunteer", second.pk, "row 3"),
        ("import", "cccc.Centre", cast.centre.pk, "volunteers=2 dbs_checks=1"),
    ]


def test_errors_are_listed_by_row_and_column_and_nothing_is_saved(cast, login):
    rows = [
        volunteer(),
        volunteer(**{"Last name": "", "DBS certificate number": "1234"}),
        volunteer(**{"DBS outcome": "", "Email address": "nope"}),
        volunteer(**{"DBS issue date": (TODAY + datetime.timedelta(days=2)).isoformat()}),
        volunteer(**{"DBS level": "Super enhanced"}),
    ]
    before = counts()
    client = login(cast.coordinator)
    found = [(r, c) for r, c, _ in problems(upload(client, URL, volunteers_csv(*rows)))]
    assert found == [
        ("3", "DBS certificate number"), ("3", "Last name"), ("4", "DBS outcome"),
        ("4", "Email address"), ("5", "DBS issue date"), ("6", "DBS level"),
    ]  # fmt: skip
    upload(client, URL, volunteers_csv(*rows), action="import")
    assert counts() == before


def test_dbs_details_are_refused_where_only_the_chair_sees_them(cast, login):
    cast.centre.dbs_visible_to = DbsVisibility.CHAIR
    cast.centre.save()
    client = login(cast.coordinator)
    html = upload(client, URL, volunteers_csv(volunteer(), volunteer(**NO_DBS))).content.decode()
    assert "only the chair sees and records DBS results" in html
    response = check_and_import(client, URL, volunteers_csv(volunteer(**NO_DBS)))
    assert response.status_code == 302 and imported().count() == 1


def test_the_service_refuses_dbs_details_where_only_the_chair_sees_them(cast):
    from django.core.exceptions import ValidationError

    cast.centre.dbs_visible_to = DbsVisibility.CHAIR
    cast.centre.save()
    cast.coordinator.refresh_from_db()
    row = VolunteerImportRow(
        row=2,
        details={"first_name": "A", "last_name": "B", "phone": "", "email": "",
                 "applied_on": TODAY},
        dbs={"level": "enhanced_barred", "certificate_number": "001234567890",
             "outcome": "clear", "issued_on": ISSUED},
    )  # fmt: skip
    with pytest.raises(ValidationError):
        volunteers_import(centre=cast.centre, by=cast.coordinator, rows=[row])
    assert not imported().exists()


def test_the_services_refusal_of_the_whole_import_is_a_message_not_a_500(cast):
    from cccc.csv_import import Checked, ImportFailed
    from volunteers.volunteer_import import save_rows

    cast.centre.dbs_visible_to = DbsVisibility.CHAIR
    cast.centre.save()
    cast.coordinator.refresh_from_db()
    row = VolunteerImportRow(
        row=2,
        details={"first_name": "A", "last_name": "B", "phone": "", "email": "",
                 "applied_on": TODAY},
        dbs={"level": "enhanced_barred", "certificate_number": "001234567890",
             "outcome": "clear", "issued_on": ISSUED},
    )  # fmt: skip
    with pytest.raises(ImportFailed) as failed:
        save_rows([Checked(2, payload=row)], membership_of(cast.coordinator))
    assert [(e.row, e.column) for e in failed.value.errors] == [(0, "")]
    assert "recorded by the chair" in failed.value.errors[0].message


def test_a_row_refused_while_saving_undoes_every_row_before_it(cast):
    def row(number, last_name="B"):
        return VolunteerImportRow(
            row=number,
            details={"first_name": "A", "last_name": last_name, "phone": "", "email": "",
                     "applied_on": TODAY},
            dbs={"level": "enhanced_barred", "certificate_number": "001234567890",
                 "outcome": "clear", "issued_on": ISSUED},
        )  # fmt: skip

    before = counts()
    with pytest.raises(RowRefused) as refused:
        volunteers_import(
            centre=cast.centre, by=cast.coordinator, rows=[row(2), row(3, last_name="x" * 101)]
        )
    assert refused.value.row == 3
    assert counts() == before


def test_a_formula_is_refused_with_its_row_and_column(cast, login):
    rows = [volunteer(**{"Last name": '=HYPERLINK("x")'})]
    found = problems(upload(login(cast.coordinator), URL, volunteers_csv(*rows)))
    assert [(r, c) for r, c, _ in found] == [("2", "Last name")]


def test_neither_the_files_name_nor_its_values_reach_any_log(cast, login, caplog, monkeypatch):
    capture_every_log(caplog, monkeypatch)
    client = login(cast.coordinator)
    upload(client, URL, volunteers_csv(volunteer(**{"DBS outcome": "Ravenscroft"})))
    check_and_import(client, URL, volunteers_csv(volunteer()))
    assert imported().count() == 1
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for value in [FILE_NAME, "Perpetua", "Ravenscroft", "900456", "perpetua@", "1234567890"]:
        assert value not in logged, value


OUTSIDERS = ["chair", "volunteer", "referrer", "operator", "other_chair", "other_referrer"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_but_a_coordinator_reaches_the_import(cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(URL).status_code == 404
    assert client.get(reverse("volunteer_import_template")).status_code == 404
    assert upload(client, URL, volunteers_csv(volunteer())).status_code == 404
    assert not imported().exists()


def test_another_centres_coordinator_imports_into_their_own_centre_only(cast, login):
    check_and_import(login(cast.other_coordinator), URL, volunteers_csv(volunteer()))
    assert imported().get().centre == cast.other_centre
