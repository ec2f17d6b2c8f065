"""Subject access (CHE-DP6, CHE-SAR): the deadline by the ICO's rule and its extension; the
export holds the person's own data, decrypted, and none of a former partner's; withheld
items are absent and recorded with their reason; the release is a disclosure decided by the
policy, with an audit entry per download; an open request is a legal hold; the dashboard
lists open requests by days left."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog, DbsVisibility
from disclosures import sar_services
from disclosures.models import (
    DisclosureRequest,
    SarWithheldItem,
    SubjectAccessRequest,
    due_date,
)
from disclosures.sar_compile import DBS_BY_THE_CHAIR
from families.models import Child
from tests.disclosures.test_summons import pdf_text
from tests.factories import (
    AppointedVolunteerFactory,
    ConcernFactory,
    ConsentGrantFactory,
    FamilyFactory,
    KeepApartFactory,
    RotaEntryFactory,
    SessionNoteFactory,
    SubjectAccessRequestFactory,
)

pytestmark = pytest.mark.django_db

OWN = ["Rowena", "Quillfeather", "14 Larkspur Close", "07700 900123", "rowena.q@example.net"]
FORMER_PARTNER = ["Bramwell", "Stonecutter", "Gorse Row", "07700 900456", "bram.s@example.net"]


def today() -> datetime.date:
    return timezone.localdate()


# --- the deadline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "received, extension, due",
    [
        ("2026-01-31", 0, "2026-02-28"),
        ("2028-01-31", 0, "2028-02-29"),  # a leap year
        ("2026-04-30", 0, "2026-05-30"),
        ("2026-03-31", 0, "2026-04-30"),
        ("2026-01-15", 0, "2026-02-15"),
        ("2026-12-31", 0, "2027-01-31"),
        ("2026-01-31", 1, "2026-03-31"),
        ("2026-01-31", 2, "2026-04-30"),
        ("2026-11-30", 2, "2027-02-28"),
    ],
)
def test_the_deadline_is_one_month_by_the_icos_rule_plus_any_extension(received, extension, due):
    received_on = datetime.date.fromisoformat(received)
    assert due_date(received_on, extension) == datetime.date.fromisoformat(due)


def test_logging_a_request_sets_its_deadline_and_an_extension_moves_it(cast, mum):
    received = datetime.date(2026, 1, 31)
    request = sar_services.sar_record(
        by=cast.coordinator, adult=mum, received_on=received, received_via="letter"
    )
    assert request.due_on == datetime.date(2026, 2, 28)
    sar_services.sar_extend(sar=request, by=cast.coordinator, months=2, reason="Many records")
    request.refresh_from_db()
    assert (request.due_on, request.extension_months) == (datetime.date(2026, 4, 30), 2)
    assert request.extension_reason == "Many records"


@pytest.mark.parametrize(
    "months, reason, message",
    [(3, "x", "one or two months"), (0, "x", "one or two months"), (1, " ", "Say why")],
)
def test_an_extension_is_at_most_two_months_and_needs_a_reason(cast, mum, months, reason, message):
    request = SubjectAccessRequestFactory(adult=mum)
    with pytest.raises(ValidationError) as caught:
        sar_services.sar_extend(sar=request, by=cast.coordinator, months=months, reason=reason)
    assert message in str(caught.value)


def test_an_extension_cannot_shorten_the_deadline(cast, mum):
    request = SubjectAccessRequestFactory(adult=mum)
    sar_services.sar_extend(sar=request, by=cast.coordinator, months=2, reason="Complex")
    with pytest.raises(ValidationError):
        sar_services.sar_extend(sar=request, by=cast.coordinator, months=1, reason="Shorter")


def test_a_stale_copy_cannot_shorten_an_extension_or_undo_it(cast, mum):
    request = SubjectAccessRequestFactory(adult=mum)
    stale = SubjectAccessRequest.objects.get(pk=request.pk)  # read before the extension
    extended = sar_services.sar_extend(sar=request, by=cast.coordinator, months=2, reason="Many")
    with pytest.raises(ValidationError):
        sar_services.sar_extend(sar=stale, by=cast.coordinator, months=1, reason="Shorter")
    sar_services.sar_identity_check(sar=stale, by=cast.coordinator, checked_on=today(), how="known")
    request.refresh_from_db()
    assert (request.extension_months, request.due_on) == (2, extended.due_on)
    assert request.identity_checked_on == today()


def test_closing_from_a_stale_copy_keeps_the_extension(cast, mum):
    request = SubjectAccessRequestFactory(adult=mum)
    stale = SubjectAccessRequest.objects.get(pk=request.pk)
    sar_services.sar_extend(sar=request, by=cast.coordinator, months=1, reason="Many")
    sar_services.sar_close(sar=stale, by=cast.coordinator, reason="withdrawn")
    request.refresh_from_db()
    assert (request.status, request.extension_months) == ("closed", 1)


def test_releasing_from_a_stale_copy_keeps_the_extension(cast, mum):
    request = SubjectAccessRequestFactory(adult=mum)
    sar_services.sar_identity_check(
        sar=request, by=cast.coordinator, checked_on=today(), how="known"
    )
    stale = SubjectAccessRequest.objects.get(pk=request.pk)  # read before the extension
    sar_services.sar_extend(sar=request, by=cast.coordinator, months=2, reason="Many")
    sar_services.sar_release(sar=stale, by=cast.coordinator, fmt="json")
    request.refresh_from_db()
    assert (request.status, request.extension_months) == ("released", 2)
    assert request.extension_reason == "Many" and request.disclosure_id is not None


# --- what the export holds --------------------------------------------------------------------


@pytest.fixture
def subject(cast, family, mum, dad, sessions, referral):
    """The mother asks; her record mentions the father in free text."""
    SessionNoteFactory(
        session=sessions["first"],
        text="Bramwell Stonecutter was late; his number is 07700 900456. Rowena waited.",
    )
    ConsentGrantFactory(adult=mum, recipient_name="Her solicitor Ms Quince")
    KeepApartFactory(adult_a=mum, adult_b=dad, created_by=cast.coordinator)
    return SubjectAccessRequestFactory(
        adult=mum, identity_checked_on=today(), identity_check="photo_id"
    )


def download(client, request, fmt):
    return client.post(reverse(f"sar_export_{fmt}", args=[request.pk]))


def test_the_export_holds_her_own_data_and_none_of_her_former_partners(cast, login, subject):
    client = login(cast.coordinator)
    as_json = download(client, subject, "json")
    as_pdf = download(client, subject, "pdf")
    document = json.loads(as_json.content)
    text_json = as_json.content.decode()
    text_pdf = pdf_text(as_pdf.content)
    for value in OWN:
        assert value in text_json, value
        assert value in text_pdf, value
    for value in FORMER_PARTNER:
        assert value not in text_json, value
        assert value not in text_pdf, value
    assert "[another person] was late" in text_json
    assert "Her solicitor Ms Quince" in text_json  # whom she allowed to have her details
    keys = {item["key"] for item in document["items"]}
    assert {"person", "children"} <= keys
    assert any(k.startswith("attendance:") for k in keys)
    assert any(k.startswith("referral:") and k.endswith(":risk") for k in keys)


def test_volunteers_and_staff_named_in_notes_and_concerns_are_blanked(
    cast, login, subject, family, sessions
):
    volunteer = AppointedVolunteerFactory(
        centre=cast.centre, first_name="Ottoline", last_name="Pemberton-Quaile"
    )
    # A fixed name: a generated one may begin with a title ("Ms"), which is also in her
    # solicitor's name, given with her consent and never blanked.
    cast.coordinator.full_name = staff = "Marisol Dunstable-Frowe"
    cast.coordinator.save()
    SessionNoteFactory(
        session=sessions["first"],
        text="Ottoline Pemberton-Quaile supervised; Rowena asked Ottoline for water.",
    )
    ConcernFactory(family=family, text=f"Raised by {staff} after the handover.")
    text = download(login(cast.coordinator), subject, "json").content.decode()
    for name in (volunteer.first_name, volunteer.last_name, *staff.split()):
        assert name not in text, name
    assert "[another person] supervised; Rowena asked [another person] for water." in text
    assert "Raised by [another person] after the handover." in text


def test_staff_names_that_are_also_words_blank_the_name_and_leave_the_words(
    cast, login, subject, family, sessions
):
    child = Child.objects.get(family=family)
    AppointedVolunteerFactory(centre=cast.centre, first_name="Will", last_name="Day")
    AppointedVolunteerFactory(centre=cast.centre, first_name=child.first_name, last_name="Oakes")
    SessionNoteFactory(
        session=sessions["first"],
        text=f"Will said Dad will collect on the day. {child.first_name} played with Day.",
    )
    text = download(login(cast.coordinator), subject, "json").content.decode()
    assert (
        f"[another person] said Dad will collect on the day. {child.first_name} played with "
        "[another person]." in text
    )


def test_children_appear_by_first_name_only(cast, login, subject, family):
    child = Child.objects.get(family=family)
    response = download(login(cast.coordinator), subject, "json")
    text = response.content.decode()
    assert child.first_name in text
    assert child.last_name not in text
    assert child.date_of_birth.isoformat() not in text


def test_only_her_own_attendance_times_are_in_the_export(cast, login, subject, sessions):
    document = json.loads(download(login(cast.coordinator), subject, "json").content)
    times = [
        field["value"]
        for item in document["items"]
        if item["key"].startswith("attendance:")
        for field in item["fields"]
        if field["label"] == "You arrived at"
    ]
    assert "09:47" in times and "10:02" not in times  # 10:02 is the father's arrival


def test_withheld_items_are_absent_and_recorded_with_their_reason(cast, login, subject):
    concern = ConcernFactory(
        family=subject.family, kind="violence", text="Okapi-concern: threats at the gate"
    )
    sar_services.sar_withhold(
        sar=subject, by=cast.coordinator, item_key=f"concern:{concern.pk}", ground="violence",
        reason="Disclosing it would put the other parent at risk",
    )  # fmt: skip
    client = login(cast.coordinator)
    as_json = download(client, subject, "json").content.decode()
    as_pdf = pdf_text(download(client, subject, "pdf").content)
    assert "Okapi-concern" not in as_json and "Okapi" not in as_pdf
    assert "Narwhal-concern" in as_json  # the other concern is still there
    withheld = SarWithheldItem.objects.get()
    assert (withheld.item_key, withheld.ground) == (f"concern:{concern.pk}", "violence")
    assert withheld.reason == "Disclosing it would put the other parent at risk"
    assert withheld.recorded_by == cast.coordinator
    entry = AccessLog.objects.filter(action=AccessLog.Action.VIEW_SAR_EXPORT).first()
    assert "withheld=1" in entry.detail


def test_the_detail_page_lists_withheld_items_with_their_reason(cast, login, subject):
    client = login(cast.coordinator)
    response = client.post(
        reverse("sar_withhold", args=[subject.pk]),
        {"item_key": "person", "ground": "third_party", "reason": "Mixed with the father's"},
    )
    assert response.status_code == 302
    html = client.get(reverse("sar_detail", args=[subject.pk])).content.decode()
    assert "Mixed with the father" in html and "Withheld" in html


def test_withholding_needs_a_reason_and_a_real_item(cast, login, subject):
    client = login(cast.coordinator)
    response = client.post(
        reverse("sar_withhold", args=[subject.pk]),
        {"item_key": "person", "ground": "violence", "reason": ""},
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    with pytest.raises(ValidationError):
        sar_services.sar_withhold(
            sar=subject, by=cast.coordinator, item_key="concern:999999", ground="violence",
            reason="x",
        )  # fmt: skip
    assert not SarWithheldItem.objects.exists()


def test_a_withheld_item_can_be_put_back_before_release(cast, login, subject):
    item = sar_services.sar_withhold(
        sar=subject, by=cast.coordinator, item_key="children", ground="third_party", reason="r"
    )
    login(cast.coordinator).post(reverse("sar_restore", args=[subject.pk, item.pk]))
    assert not SarWithheldItem.objects.exists()


def test_the_detail_page_never_shows_contact_details(cast, login, subject):
    html = login(cast.coordinator).get(reverse("sar_detail", args=[subject.pk])).content.decode()
    assert "Rowena" in html  # the coordinator sees names
    for value in ["14 Larkspur Close", "07700 900123", "rowena.q@example.net", *FORMER_PARTNER]:
        assert value not in html, value
    assert "In the export, not shown here" in html


def test_the_detail_page_costs_the_same_with_more_records(
    cast, login, subject, sessions, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("sar_detail", args=[subject.pk]))
    for _ in range(4):
        SessionNoteFactory(session=sessions["second"], text="Another note")
        ConcernFactory(family=subject.family, text="Another concern")
        ConsentGrantFactory(adult=subject.adult)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("sar_detail", args=[subject.pk]))


# --- the release --------------------------------------------------------------------------------


def test_the_first_download_is_recorded_as_a_disclosure_decided_by_the_policy(cast, login, subject):
    response = download(login(cast.coordinator), subject, "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="sar-{subject.pk}.pdf"'
    subject.refresh_from_db()
    assert subject.status == SubjectAccessRequest.Status.RELEASED
    assert subject.clauses == "CHE-DP6,CHE-SAR"
    req = DisclosureRequest.objects.get()
    assert subject.disclosure == req
    assert (req.category, req.requester_type, req.subject_adult) == (
        "own_data", "data_subject", subject.adult,
    )  # fmt: skip
    assert (req.permitted, req.ground, req.clauses) == (True, "subject_access", "CHE-DP6,CHE-SAR")
    assert req.requester_name == "Rowena Quillfeather"  # sealed under the family's key
    entries = AccessLog.objects.filter(action=AccessLog.Action.VIEW_SAR_EXPORT)
    assert [(e.record_id, e.detail.split()[0]) for e in entries] == [(subject.pk, "format=pdf")]


def test_every_download_is_audited_but_released_once(cast, login, subject):
    client = login(cast.coordinator)
    download(client, subject, "pdf")
    response = download(client, subject, "json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="sar-{subject.pk}.json"'
    assert DisclosureRequest.objects.count() == 1
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW_SAR_EXPORT).count() == 2


def test_nothing_is_released_before_the_identity_check(cast, login, mum):
    request = SubjectAccessRequestFactory(adult=mum)
    response = download(login(cast.coordinator), request, "json")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == SubjectAccessRequest.Status.OPEN
    assert not DisclosureRequest.objects.exists()
    assert not AccessLog.objects.filter(action=AccessLog.Action.VIEW_SAR_EXPORT).exists()


def test_nothing_can_be_withheld_after_release(cast, login, subject):
    download(login(cast.coordinator), subject, "json")
    subject.refresh_from_db()
    with pytest.raises(ValidationError):
        sar_services.sar_withhold(
            sar=subject, by=cast.coordinator, item_key="children", ground="third_party",
            reason="too late",
        )  # fmt: skip


def test_a_closed_request_releases_nothing(cast, login, subject):
    sar_services.sar_close(sar=subject, by=cast.coordinator, reason="withdrawn")
    response = download(login(cast.coordinator), subject, "pdf")
    assert response.status_code == 302
    assert not DisclosureRequest.objects.exists()


def test_a_volunteers_export_holds_their_record_and_no_family(cast, login, sessions):
    volunteer = AppointedVolunteerFactory(centre=cast.centre, first_name="Ottoline Qz77")
    RotaEntryFactory(session=sessions["future"], volunteer=volunteer)
    request = SubjectAccessRequestFactory(
        adult=None, volunteer=volunteer, identity_checked_on=today(), identity_check="known"
    )
    assert (request.family, request.centre) == (None, cast.centre)
    check = volunteer.dbs_checks.get()
    text = download(login(cast.coordinator), request, "json").content.decode()
    assert "Ottoline Qz77" in text and check.certificate_number in text
    assert sessions["future"].family.reference not in text
    assert not DisclosureRequest.objects.exists()
    request.refresh_from_db()
    assert (request.status, request.clauses) == ("released", "CHE-DP6,CHE-SAR")
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW_SAR_EXPORT).count() == 1


def _volunteer_request(cast, visible_to: str):
    cast.centre.dbs_visible_to = visible_to
    cast.centre.save(update_fields=["dbs_visible_to"])
    volunteer = AppointedVolunteerFactory(centre=cast.centre)
    request = SubjectAccessRequestFactory(
        adult=None, volunteer=volunteer, identity_checked_on=today(), identity_check="known"
    )
    return request, volunteer.dbs_checks.get()


def test_dbs_results_stay_out_of_a_volunteers_export_when_only_the_chair_sees_them(cast, login):
    request, check = _volunteer_request(cast, DbsVisibility.CHAIR)
    client = login(cast.coordinator)
    page = client.get(reverse("sar_detail", args=[request.pk])).content.decode()
    as_json = download(client, request, "json").content.decode()
    as_pdf = pdf_text(download(client, request, "pdf").content)
    for text in (as_json, as_pdf):
        assert check.certificate_number not in text
        assert check.get_level_display() not in text
    assert DBS_BY_THE_CHAIR in as_json
    assert "supplies the details of your DBS checks" in page
    assert not AccessLog.objects.filter(action=AccessLog.Action.VIEW_DBS).exists()


@pytest.mark.parametrize("visible_to", [DbsVisibility.COORDINATOR, DbsVisibility.BOTH])
def test_a_coordinator_who_may_see_dbs_results_exports_them_and_the_view_is_logged(
    cast, login, visible_to
):
    request, check = _volunteer_request(cast, visible_to)
    text = download(login(cast.coordinator), request, "json").content.decode()
    assert check.certificate_number in text
    assert DBS_BY_THE_CHAIR not in text
    entry = AccessLog.objects.get(action=AccessLog.Action.VIEW_DBS)
    assert (entry.user, entry.record_type, entry.record_id) == (
        cast.coordinator, "volunteers.DbsCheck", check.pk,
    )  # fmt: skip
    assert check.certificate_number not in entry.detail


# --- logging a request -------------------------------------------------------------------------


def test_the_coordinator_logs_a_request_from_a_parent(cast, login, family, mum):
    client = login(cast.coordinator)
    start = client.get(reverse("sar_start"), {"family_reference": family.reference})
    assert start.url == reverse("sar_create_adult", args=[family.pk])
    response = client.post(
        start.url,
        {"adult": mum.pk, "received_on": "2026-01-31", "received_via": "letter",
         "identity_checked_on": "2026-02-02", "identity_check": "photo_id"},
    )  # fmt: skip
    request = SubjectAccessRequest.objects.get()
    assert response.url == reverse("sar_detail", args=[request.pk])
    assert (request.adult, request.family, request.due_on) == (
        mum, family, datetime.date(2026, 2, 28),
    )  # fmt: skip


def test_the_coordinator_logs_a_request_from_a_volunteer(cast, login):
    volunteer = AppointedVolunteerFactory(centre=cast.centre)
    response = login(cast.coordinator).post(
        reverse("sar_create_volunteer"),
        {"volunteer": volunteer.pk, "received_on": today().isoformat(), "received_via": "email"},
    )
    assert response.status_code == 302
    assert SubjectAccessRequest.objects.get().volunteer == volunteer


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"received_on": "2999-01-01"}, "received_on", "cannot be received in the future"),
        ({"received_on": "2026-02-31"}, "received_on", "Enter a date like"),
        ({"identity_checked_on": "2026-01-01"}, "identity_check", "Say how"),
        ({"identity_check": "photo_id"}, "identity_checked_on", "Say when"),
        ({"identity_checked_on": "2020-01-01", "identity_check": "known"},
         "identity_checked_on", "on or after receiving"),
        ({"adult": "999999"}, "adult", "Select a valid choice"),
    ],
)  # fmt: skip
def test_the_form_explains_every_error(cast, login, family, mum, fields, field, message):
    data = {"adult": mum.pk, "received_on": "2026-01-31", "received_via": "letter"} | fields
    response = login(cast.coordinator).post(reverse("sar_create_adult", args=[family.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not SubjectAccessRequest.objects.exists()


def test_an_unknown_reference_is_explained(cast, login):
    response = login(cast.coordinator).get(
        reverse("sar_start"), {"family_reference": "HOM-2026-9999"}
    )
    assert response.status_code == 200
    assert "No family of this centre" in response.content.decode()


def test_the_identity_check_is_recorded_from_the_page(cast, login, mum):
    request = SubjectAccessRequestFactory(adult=mum)
    response = login(cast.coordinator).post(
        reverse("sar_identity", args=[request.pk]),
        {"checked_on": today().isoformat(), "how": "photo_id"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.identity_checked_on, request.identity_check) == (today(), "photo_id")


# --- holds and the dashboard -------------------------------------------------------------------


def test_an_open_request_is_a_legal_hold_until_released_or_closed(cast, mum):
    volunteer = AppointedVolunteerFactory(centre=cast.centre)
    for_family = SubjectAccessRequestFactory(adult=mum, identity_checked_on=today())
    for_volunteer = SubjectAccessRequestFactory(adult=None, volunteer=volunteer)
    open_ = SubjectAccessRequest.objects.open()
    assert list(open_.filter(family_id__in=[mum.family_id]).values_list("family_id", "pk")) == [
        (mum.family_id, for_family.pk)
    ]
    assert open_.filter(volunteer_id=volunteer.pk).exists()
    sar_services.sar_release(sar=for_family, by=cast.coordinator, fmt="json")
    sar_services.sar_close(sar=for_volunteer, by=cast.coordinator, reason="withdrawn")
    assert not SubjectAccessRequest.objects.open().exists()


def test_the_dashboard_lists_open_requests_by_days_left_without_names(cast, login, mum, dad):
    later = SubjectAccessRequestFactory(adult=mum, received_on=today())
    sooner = SubjectAccessRequestFactory(
        adult=dad, received_on=today() - datetime.timedelta(days=25)
    )
    elsewhere = SubjectAccessRequestFactory(adult__family=FamilyFactory(centre=cast.other_centre))
    html = login(cast.coordinator).get(reverse("dashboard")).content.decode()
    first = html.index(reverse("sar_detail", args=[sooner.pk]))
    second = html.index(reverse("sar_detail", args=[later.pk]))
    assert first < second
    assert f"{sooner.days_left()} days left" in html and f"{later.days_left()} days left" in html
    assert reverse("sar_detail", args=[elsewhere.pk]) not in html
    assert "Bramwell" not in html and "Rowena" not in html
