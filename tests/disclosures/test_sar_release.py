"""Subject access release (CHE-DP6, CHE-SAR): the first download is a disclosure decided by the
policy, every download is audited, nothing is released before the identity check, after a close
or withheld after release; a volunteer's export holds their record and no family, with DBS
results only for whoever may see them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog, DbsVisibility
from disclosures import sar_services
from disclosures.models import DisclosureRequest, SubjectAccessRequest
from disclosures.sar_compile import DBS_BY_THE_CHAIR
from tests.disclosures.test_sar_export import download
from tests.disclosures.test_summons import pdf_text
from tests.factories import (
    AppointedVolunteerFactory,
    RotaEntryFactory,
    SubjectAccessRequestFactory,
    VolunteerAvailabilityFactory,
)
from volunteers.models import Weekday

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


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
    assert DisclosureRequest.objects.get().views == 2  # one disclosure, two views
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


def test_a_volunteers_export_holds_when_they_said_they_are_usually_available(cast, login):
    volunteer = AppointedVolunteerFactory(centre=cast.centre)
    VolunteerAvailabilityFactory(
        volunteer=volunteer, weekday=Weekday.THURSDAY,
        starts_at=datetime.time(17, 30), ends_at=datetime.time(20),
    )  # fmt: skip
    request = SubjectAccessRequestFactory(
        adult=None, volunteer=volunteer, identity_checked_on=today(), identity_check="known"
    )
    text = download(login(cast.coordinator), request, "json").content.decode()
    assert "When you are usually available" in text
    assert "Thursday" in text and "17:30" in text and "20:00" in text
