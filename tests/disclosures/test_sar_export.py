"""Subject access (CHE-DP6, CHE-SAR): the export holds the person's own data, decrypted, and
none of a former partner's; other people's names in free text are blanked; withheld items are
absent and recorded with their reason; the detail page never shows contact details."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cccc.models import AccessLog
from disclosures import sar_services
from disclosures.models import SarWithheldItem
from families.models import Child
from tests.disclosures.test_summons import pdf_text
from tests.factories import (
    AppointedVolunteerFactory,
    ConcernFactory,
    ConsentGrantFactory,
    SessionNoteFactory,
)

pytestmark = pytest.mark.django_db

OWN = ["Rowena", "Quillfeather", "14 Larkspur Close", "07700 900123", "rowena.q@example.net"]
FORMER_PARTNER = ["Bramwell", "Stonecutter", "Gorse Row", "07700 900456", "bram.s@example.net"]


# --- what the export holds --------------------------------------------------------------------


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
