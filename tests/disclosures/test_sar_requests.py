"""Subject access requests (CHE-DP6): the deadline by the ICO's rule and its extension; the
coordinator logs a request from a parent or a volunteer and records the identity check; an
open request is a legal hold; the dashboard lists open requests by days left. What the export
holds is in test_sar_export.py, its release in test_sar_release.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from disclosures import sar_services
from disclosures.models import SubjectAccessRequest, due_date
from tests.factories import (
    AppointedVolunteerFactory,
    FamilyFactory,
    SubjectAccessRequestFactory,
)

pytestmark = pytest.mark.django_db


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
    # The list of requests names no one (other lists of the dashboard name the families).
    requests = html[html.index('id="sar-heading"') :]
    requests = requests[: requests.index("</section>")]
    assert "Bramwell" not in requests and "Rowena" not in requests
