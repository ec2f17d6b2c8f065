"""Families imported from a spreadsheet (issue 19, point 4): the coordinator checks a CSV,
sees each row as it will be saved or its errors by row and column, and imports it in one
transaction, through the same forms and services as "Enter a referral"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog, DataKey
from families.family_import import template_columns
from families.models import Adult, Child, Family, Referral
from tests.csv_upload import check_and_import, csv_bytes, upload
from tests.factories import UserFactory
from tests.stored import stored

pytestmark = pytest.mark.django_db

URL = "/families/import/"


def family(**overrides) -> dict[str, str]:
    row = {
        "Type of agency": "Solicitor",
        "Agency or firm": "Hartley & Shaw LLP",
        "Referral received on": "03/02/2026",
        "Court order details": "Child arrangements order of 3 March.",
        "Risk: domestic abuse": "Yes",
        "Risk: abduction": "no",
        "Risk: drug or alcohol misuse": "Not known",
        "Risk: mental health": "No",
        "Details of any risk": "Non-molestation order until June.",
        "Contact needed": "Supervised",
        "Interpreter or access needs": "",
        "Adult 1 role": "Resident parent",
        "Adult 1 first name": "Wilhelmina",
        "Adult 1 surname": "Quarrington",
        "Adult 1 address": "7 Hidden Lane, Chichester",
        "Adult 1 phone": "+44 7700 900123",
        "Adult 1 email address": "wq@example.org",
        "Adult 2 role": "non_resident",
        "Adult 2 first name": "Bartholomew",
        "Adult 2 surname": "Quarrington",
        "Child 1 first name": "Theodora",
        "Child 1 surname": "Quarrington",
        "Child 1 date of birth": "04/05/2019",
        "Child 1 needs": "Asthma inhaler in her bag.",
    }
    row.update(overrides)
    return row


def families_csv(*rows: dict[str, str], header: list[str] | None = None, **kw) -> bytes:
    return csv_bytes(header or template_columns(), list(rows), **kw)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Family, Adult, Child, Referral, DataKey, AccessLog)
    )


# --- the page and the template ----------------------------------------------------------------


def test_the_coordinator_downloads_the_template(cast, login):
    response = login(cast.coordinator).get(reverse("family_import_template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="families-template.csv"' in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    header = body.lstrip("\ufeff").strip().split(",")
    assert header == template_columns()
    assert "Adult 3 email address" in header and "Child 4 needs" in header


def test_the_page_lists_every_column_with_its_choices(cast, login):
    html = login(cast.coordinator).get(URL).content.decode()
    assert "Download the template" in html
    for name in ["Referrer email", "Adult N role", "Child N date of birth"]:
        assert name in html
    assert "Resident parent; Non-resident parent; Carer; Named visitor" in html


def test_the_family_list_links_to_the_import(cast, login):
    html = login(cast.coordinator).get(reverse("family_list")).content.decode()
    assert URL in html


# --- preview, then import -------------------------------------------------------------------


def test_the_preview_shows_each_row_as_it_will_be_saved_and_saves_nothing(cast, login):
    before = counts()
    data = families_csv(family(), family(**{"Adult 1 first name": "Rowena"}))
    response = upload(login(cast.coordinator), URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: 2 families" in html
    assert "Resident parent: Wilhelmina Quarrington (address, phone, email given)" in html
    assert "Resident parent: Rowena Quarrington" in html
    assert "Theodora Quarrington, born 4 May 2019 (needs given)" in html
    assert "Solicitor: Hartley &amp; Shaw LLP" in html and "Received 3 Feb 2026" in html
    assert "Risk answered yes: domestic abuse" in html
    # Contact details are "given", never shown, as on the family's page.
    assert "Hidden Lane" not in html and "wq@example.org" not in html
    assert counts() == before


def test_the_session_holds_a_digest_of_the_file_and_nothing_from_it(cast, login):
    client = login(cast.coordinator)
    upload(client, URL, families_csv(family()))
    session = client.session
    note = session["csv_import_pending"]
    assert set(note) == {"kind", "digest"} and len(note["digest"]) == 64
    stored_session = str(dict(session.items()))
    for value in ["Wilhelmina", "Quarrington", "Hidden Lane", "Quokka", "families.csv"]:
        assert value not in stored_session


def test_choosing_the_same_file_again_imports_it(cast, login):
    before = timezone.now()
    client = login(cast.coordinator)
    response = check_and_import(client, URL, families_csv(family(), family()))
    assert response.status_code == 302 and response.url == reverse("referral_list")
    referrals = list(Referral.objects.order_by("pk"))
    assert len(referrals) == 2
    referral = referrals[0]
    assert referral.family.centre == cast.centre
    assert referral.family.reference.startswith("HOM-")
    assert (referral.status, referral.entered_by, referral.referrer) == (
        Referral.Status.PENDING, cast.coordinator, None,
    )  # fmt: skip
    assert referral.received_on == datetime.date(2026, 2, 3)
    assert (referral.agency_type, referral.contact_type) == ("solicitor", "supervised")
    assert referral.risk_substance_misuse == "unknown"
    assert referral.family.last_activity >= before
    adults = {a.role: a for a in referral.family.adults.all()}
    assert adults["resident"].phone == "+44 7700 900123"
    assert adults["non_resident"].first_name == "Bartholomew"
    child = referral.family.children.get()
    assert child.date_of_birth == datetime.date(2019, 5, 4)
    assert "csv_import_pending" not in client.session


def test_every_value_is_encrypted_and_the_surname_searchable_as_when_typed(cast, login):
    check_and_import(login(cast.coordinator), URL, families_csv(family()))
    resident = Adult.objects.get(role="resident")
    raw = stored(Adult, resident.pk, "first_name", "last_name", "address", "phone", "email")
    for plain, token in zip(
        ["Wilhelmina", "Quarrington", "Hidden Lane", "7700", "wq@"], raw, strict=True
    ):
        assert plain not in token
    digest = Adult._meta.get_field("last_name_index").digest("Quarrington")
    assert Adult.objects.filter(last_name_index=digest).count() == 2
    referral = Referral.objects.get()
    assert "Non-molestation" not in stored(Referral, referral.pk, "risk_details")
    assert "Theodora" not in stored(Child, Child.objects.get().pk, "first_name")


def test_each_family_and_the_import_have_their_audit_entry(cast, login):
    check_and_import(login(cast.coordinator), URL, families_csv(family(), family()))
    entries = list(AccessLog.objects.filter(action=AccessLog.Action.IMPORT).order_by("seq"))
    families = list(Family.objects.order_by("pk"))
    assert [(e.record_type, e.record_id, e.detail) for e in entries] == [
        ("families.Family", families[0].pk, "row 2"),
        ("families.Family", families[1].pk, "row 3"),
        ("cccc.Centre", cast.centre.pk, "families=2"),
    ]
    assert {(e.user, e.centre) for e in entries} == {(cast.coordinator, cast.centre)}


def test_a_named_referrer_becomes_the_referrer_of_record(cast, login):
    row = family(**{"Referrer email": cast.referrer.email.upper(), "Agency or firm": ""})
    check_and_import(login(cast.coordinator), URL, families_csv(row))
    referral = Referral.objects.get()
    assert referral.referrer == cast.referrer
    assert referral.agency_name == cast.referrer.agency


def test_an_empty_received_date_is_today(cast, login):
    check_and_import(
        login(cast.coordinator), URL, families_csv(family(**{"Referral received on": ""}))
    )
    assert Referral.objects.get().received_on == timezone.localdate()


def test_choices_are_taken_by_label_or_value_in_any_case(cast, login):
    row = family(**{
        "Type of agency": "cafcass", "Contact needed": "SUPPORTED", "Adult 2 role": "Carer",
        "Adult 1 role": "non-resident parent", "Risk: domestic abuse": "NOT KNOWN",
    })  # fmt: skip
    check_and_import(login(cast.coordinator), URL, families_csv(row))
    referral = Referral.objects.get()
    assert (referral.agency_type, referral.contact_type) == ("cafcass", "supported")
    assert referral.risk_domestic_abuse == "unknown"
    assert set(referral.family.adults.values_list("role", flat=True)) == {"non_resident", "carer"}


def test_more_adults_and_children_are_columns_added_to_the_template(cast, login):
    header = [*template_columns()] + [
        "Adult 4 role", "Adult 4 first name", "Adult 4 surname", "Adult 4 address",
        "Adult 4 phone", "Adult 4 email address", "Child 5 first name", "Child 5 surname",
        "Child 5 date of birth", "Child 5 needs",
    ]  # fmt: skip
    row = family(**{
        "Adult 4 role": "Named visitor", "Adult 4 first name": "Gran", "Adult 4 surname": "Q",
        "Child 5 first name": "Pip", "Child 5 surname": "Q", "Child 5 date of birth": "2020-01-01",
    })  # fmt: skip
    check_and_import(login(cast.coordinator), URL, families_csv(row, header=header))
    family_ = Family.objects.get()
    assert family_.adults.count() == 3 and family_.children.count() == 2


def test_a_file_that_changed_since_the_preview_is_previewed_again_not_imported(cast, login):
    client = login(cast.coordinator)
    upload(client, URL, families_csv(family()))
    other = families_csv(family(**{"Adult 1 first name": "Rowena"}))
    response = upload(client, URL, other, action="import")
    html = response.content.decode()
    assert "This is not the file you checked" in html and "Rowena" in html
    assert Family.objects.count() == 0
    check = upload(client, URL, other, action="import")
    assert check.status_code == 302 and Family.objects.count() == 1


def test_an_import_without_a_preview_is_a_preview(cast, login):
    response = upload(login(cast.coordinator), URL, families_csv(family()), action="import")
    assert "Preview: 1 families" in response.content.decode()
    assert Family.objects.count() == 0


def test_the_same_file_previewed_after_its_import_is_flagged(cast, login):
    client = login(cast.coordinator)
    data = families_csv(family())
    check_and_import(client, URL, data)
    html = upload(client, URL, data).content.decode()
    assert "You imported this same file earlier" in html


# --- errors, by row and column, with nothing saved ------------------------------------------


def problems(response) -> list[tuple[str, str, str]]:
    """(row, column, message) of each line of the problems table."""
    import re

    html = response.content.decode()
    cells = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    return [(row, column, message) for row, column, message in cells]


def test_errors_are_listed_by_row_and_column_and_nothing_is_saved(cast, login):
    before = counts()
    data = families_csv(
        family(),
        family(**{"Child 1 date of birth": "31/02/2019", "Adult 1 surname": ""}),
        family(**{"Adult 2 role": "Mum", "Type of agency": ""}),
    )
    client = login(cast.coordinator)
    response = upload(client, URL, data)
    found = problems(response)
    assert ("3", "Child 1 date of birth", "Enter a real date, for example 2019-03-14.") in found
    assert ("3", "Adult 1 surname", "This field is required.") in found
    assert ("4", "Type of agency", "This field is required.") in found
    assert any(r == "4" and c == "Adult 2 role" and "Mum" in m for r, c, m in found)
    assert "4 problems in 2 of the file's 3 rows" in response.content.decode()

    assert "csv_import_pending" not in client.session
    upload(client, URL, data, action="import")
    assert counts() == before


def test_a_row_with_two_formulas_is_counted_once(cast, login):
    row = family(**{"Adult 1 address": "=1", "Adult 1 phone": "@2"})
    html = upload(login(cast.coordinator), URL, families_csv(family(), row)).content.decode()
    assert "2 problems in 1 of the file's 2 rows" in html


def test_the_rules_are_the_referral_forms_rules(cast, login):
    rows = [
        family(**{"Details of any risk": ""}),  # a yes without details
        family(**{"Adult 1 role": "Named visitor"}),  # nobody the children live with
        family(**{"Child 1 first name": "", "Child 1 surname": "", "Child 1 date of birth": "",
                  "Child 1 needs": ""}),  # no child
        family(**{"Child 1 date of birth": "01/01/1990"}),
        family(**{"Adult 1 email address": "not an email"}),
        family(**{"Referral received on": "01/01/2099"}),
    ]  # fmt: skip
    found = problems(upload(login(cast.coordinator), URL, families_csv(*rows)))
    assert ("2", "Details of any risk", "Describe the risk behind each answer of yes.") in found
    assert (
        "3", "(the whole row)", "Name the adult the children live with (resident parent or carer)."
    ) in found  # fmt: skip
    assert ("4", "(the whole row)", "Name at least one child.") in found
    too_old = "Contact centres are for children: check the year."
    assert ("5", "Child 1 date of birth", too_old) in found
    assert ("6", "Adult 1 email address", "Enter a valid email address.") in found
    assert ("7", "Referral received on", "The date cannot be in the future.") in found


def test_a_referrer_not_of_this_centre_is_refused(cast, login):
    inactive = UserFactory(role="referrer", centre=cast.centre, is_active=False)
    rows = [
        family(**{"Referrer email": cast.other_referrer.email}),
        family(**{"Referrer email": inactive.email}),
        family(**{"Referrer email": cast.volunteer.email}),
    ]
    found = problems(upload(login(cast.coordinator), URL, families_csv(*rows)))
    assert [(r, c) for r, c, _ in found] == [("2", "Referrer email"), ("3", "Referrer email"),
                                            ("4", "Referrer email")]  # fmt: skip
    assert "No active referrer account of this centre has this email address" in found[0][2]


def test_a_formula_is_refused_with_its_row_and_column(cast, login):
    rows = [
        family(),
        family(**{"Adult 1 address": '=HYPERLINK("http://evil.example","Click")'}),
        family(**{"Child 1 needs": "@SUM(1+1)", "Adult 2 first name": "-cmd|' /C calc'!A0"}),
    ]
    before = counts()
    found = problems(upload(login(cast.coordinator), URL, families_csv(*rows)))
    assert [(r, c) for r, c, _ in found] == [
        ("3", "Adult 1 address"), ("4", "Adult 2 first name"), ("4", "Child 1 needs"),
    ]  # fmt: skip
    assert "a spreadsheet would run it as a formula" in found[0][2]
    assert "HYPERLINK" not in found[0][2]
    assert counts() == before


def test_a_phone_number_with_a_plus_is_not_a_formula(cast, login):
    row = family(**{"Adult 1 phone": "+44 (0)7700 900123"})
    assert check_and_import(login(cast.coordinator), URL, families_csv(row)).status_code == 302


def test_a_referrer_deactivated_between_preview_and_import_stops_the_whole_import(cast, login):
    client = login(cast.coordinator)
    data = families_csv(family(), family(**{"Referrer email": cast.referrer.email}))
    upload(client, URL, data)
    cast.referrer.is_active = False
    cast.referrer.save()
    before = counts()
    response = upload(client, URL, data, action="import")
    assert ("3", "Referrer email") in [(r, c) for r, c, _ in problems(response)]
    assert counts() == before
