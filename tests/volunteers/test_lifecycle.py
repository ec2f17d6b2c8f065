"""A volunteer's record from application to resignation, through the coordinator's pages."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cccc.models import Role, User
from tests.factories import (
    AppointedVolunteerFactory,
    DbsCheckFactory,
    TrainingRecordFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.stored import stored
from volunteers import dbs_services, services
from volunteers.models import DbsCheck, DbsOutcome, TrainingRecord, Volunteer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_a_coordinator_adds_an_applicant(cast, login):
    client = login(cast.coordinator)
    response = client.post(
        reverse("volunteer_create"),
        {
            "first_name": "Vera",
            "last_name": "Lynn-Applicant",
            "phone": "01234 567890",
            "email": "vera@example.org",
            "applied_on": "2026-03-01",
        },
    )
    volunteer = Volunteer.objects.get(centre=cast.centre, status=Volunteer.Status.APPLIED)
    assert response.url == reverse("volunteer_detail", args=[volunteer.pk])
    assert (volunteer.last_name, volunteer.applied_on) == (
        "Lynn-Applicant",
        datetime.date(2026, 3, 1),
    )
    assert volunteer.data_key_id not in {
        v.data_key_id for v in Volunteer.objects.exclude(pk=volunteer.pk)
    }
    # Sealed at rest: the column holds a token, not the name.
    raw = stored(Volunteer, volunteer.pk, "last_name")
    assert "Lynn" not in raw


def test_the_add_form_explains_a_bad_date_and_keeps_what_was_typed(cast, login):
    response = login(cast.coordinator).post(
        reverse("volunteer_create"),
        {"first_name": "Vera", "last_name": "Typed-Surname", "applied_on": "2026-02-31"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid date" in html and "Typed-Surname" in html
    assert not Volunteer.objects.filter(centre=cast.centre, status="applied").exists()


def test_a_coordinator_edits_a_volunteer(cast, login):
    volunteer = VolunteerFactory(centre=cast.centre)
    login(cast.coordinator).post(
        reverse("volunteer_edit", args=[volunteer.pk]),
        {
            "first_name": "New",
            "last_name": "Name",
            "phone": "",
            "email": "",
            "applied_on": "2026-01-02",
        },
    )
    volunteer.refresh_from_db()
    assert (volunteer.first_name, volunteer.last_name) == ("New", "Name")


def test_the_dbs_check_is_marked_applied_for(cast, login):
    volunteer = VolunteerFactory(centre=cast.centre)
    login(cast.coordinator).post(reverse("dbs_check_requested", args=[volunteer.pk]))
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.DBS_PENDING


def test_a_clear_check_clears_until_the_renewal_the_centre_sets(cast, login):
    cast.centre.dbs_renewal_years = 2
    cast.centre.save()
    volunteer = VolunteerFactory(centre=cast.centre, status=Volunteer.Status.DBS_PENDING)
    issued = TODAY() - datetime.timedelta(days=10)
    response = login(cast.coordinator).post(
        reverse("dbs_check_add", args=[volunteer.pk]),
        {
            "level": "enhanced_barred",
            "certificate_number": "0012 3456 7890",
            "outcome": "clear",
            "issued_on": issued.isoformat(),
        },
    )
    assert response.url == reverse("volunteer_dbs", args=[volunteer.pk])
    check = DbsCheck.objects.get(volunteer=volunteer)
    assert check.certificate_number == "001234567890"
    assert check.renewal_due == issued.replace(year=issued.year + 2)
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.CLEARED
    assert volunteer.clearance_expires == check.renewal_due
    raw = stored(DbsCheck, check.pk, "certificate_number", "outcome")
    assert "001234567890" not in raw[0] and raw[1] != "clear"


def test_the_dbs_form_refuses_a_future_issue_date_and_a_short_number(cast, login):
    volunteer = VolunteerFactory(centre=cast.centre)
    tomorrow = TODAY() + datetime.timedelta(days=1)
    client = login(cast.coordinator)
    response = client.post(
        reverse("dbs_check_add", args=[volunteer.pk]),
        {
            "level": "enhanced",
            "certificate_number": "123",
            "outcome": "clear",
            "issued_on": tomorrow.isoformat(),
        },
    )
    assert "12 digits" in response.content.decode()
    response = client.post(
        reverse("dbs_check_add", args=[volunteer.pk]),
        {
            "level": "enhanced",
            "certificate_number": "001234567890",
            "outcome": "clear",
            "issued_on": tomorrow.isoformat(),
        },
    )
    assert "cannot be in the future" in response.content.decode()
    assert not DbsCheck.objects.filter(volunteer=volunteer).exists()


def test_an_old_clear_check_does_not_clear(cast):
    volunteer = VolunteerFactory(centre=cast.centre, status=Volunteer.Status.DBS_PENDING)
    dbs_services.dbs_check_record(
        volunteer=volunteer,
        level="enhanced",
        certificate_number="001234567890",
        outcome=DbsOutcome.CLEAR,
        issued_on=TODAY() - datetime.timedelta(days=4 * 366),
        by=cast.coordinator,
    )
    volunteer.refresh_from_db()
    assert volunteer.clearance_expires is None
    assert volunteer.status == Volunteer.Status.DBS_PENDING


def test_a_renewal_extends_an_appointed_volunteers_clearance(cast, volunteer):
    before = volunteer.clearance_expires
    dbs_services.dbs_check_record(
        volunteer=volunteer,
        level="enhanced_barred",
        certificate_number="009988776655",
        outcome=DbsOutcome.CLEAR,
        issued_on=TODAY(),
        by=cast.coordinator,
    )
    volunteer.refresh_from_db()
    assert volunteer.clearance_expires > before
    assert volunteer.status == Volunteer.Status.APPOINTED


def test_training_is_recorded_and_expiring_training_is_listed(cast, login):
    volunteer = AppointedVolunteerFactory(centre=cast.centre)
    client = login(cast.coordinator)
    soon = TODAY() + datetime.timedelta(days=20)
    client.post(
        reverse("training_add", args=[volunteer.pk]),
        {
            "course": "First aid",
            "completed_on": (TODAY() - datetime.timedelta(days=700)).isoformat(),
            "expires_on": soon.isoformat(),
        },
    )
    assert TrainingRecord.objects.filter(volunteer=volunteer, course="First aid").exists()
    html = client.get(reverse("volunteer_list")).content.decode()
    assert "First aid" in html


def test_renewed_training_is_not_listed_as_expiring(cast):
    from volunteers.views import training_expiring

    volunteer = VolunteerFactory(centre=cast.centre)
    old = TrainingRecordFactory(
        volunteer=volunteer,
        course="First aid",
        completed_on=TODAY() - datetime.timedelta(days=1000),
        expires_on=TODAY() - datetime.timedelta(days=5),
    )
    TrainingRecordFactory(
        volunteer=volunteer,
        course="First aid",
        completed_on=TODAY() - datetime.timedelta(days=5),
        expires_on=TODAY() + datetime.timedelta(days=1000),
    )
    assert old not in training_expiring(list(volunteer.training.all()), TODAY())


def test_the_training_form_refuses_an_expiry_before_completion(cast, login):
    volunteer = VolunteerFactory(centre=cast.centre)
    response = login(cast.coordinator).post(
        reverse("training_add", args=[volunteer.pk]),
        {"course": "Safeguarding", "completed_on": "2026-05-01", "expires_on": "2026-04-01"},
    )
    assert response.status_code == 200
    assert "expiry date must be after completion" in response.content.decode()
    assert not TrainingRecord.objects.filter(volunteer=volunteer).exists()


def test_the_signed_agreement_is_recorded_with_its_policy_version(cast, login):
    volunteer = VolunteerFactory(centre=cast.centre)
    login(cast.coordinator).post(
        reverse("agreement_sign", args=[volunteer.pk]),
        {"signed_on": TODAY().isoformat(), "policy_version": "2026.1", "confirmed": "on"},
    )
    volunteer.refresh_from_db()
    assert (volunteer.agreement_signed_on, volunteer.agreement_policy_version) == (
        TODAY(),
        "2026.1",
    )


def test_the_agreement_needs_the_confirmation_ticked(cast, login):
    volunteer = VolunteerFactory(centre=cast.centre)
    response = login(cast.coordinator).post(
        reverse("agreement_sign", args=[volunteer.pk]),
        {"signed_on": TODAY().isoformat(), "policy_version": "1"},
    )
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.agreement_signed_on is None


def test_the_whole_way_from_applicant_to_appointed_through_the_pages(cast, login):
    client = login(cast.coordinator)
    volunteer = VolunteerFactory(centre=cast.centre)
    client.post(reverse("dbs_check_requested", args=[volunteer.pk]))
    client.post(
        reverse("dbs_check_add", args=[volunteer.pk]),
        {
            "level": "enhanced_barred",
            "certificate_number": "001234567890",
            "outcome": "clear",
            "issued_on": TODAY().isoformat(),
        },
    )
    client.post(
        reverse("agreement_sign", args=[volunteer.pk]),
        {"signed_on": TODAY().isoformat(), "policy_version": "1", "confirmed": "on"},
    )
    response = client.post(reverse("volunteer_appoint", args=[volunteer.pk]))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.APPOINTED


def test_resigning_records_the_date_that_starts_the_retention_clock(cast, login, volunteer):
    day = TODAY() - datetime.timedelta(days=2)
    login(cast.coordinator).post(
        reverse("volunteer_resign", args=[volunteer.pk]), {"resigned_on": day.isoformat()}
    )
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.resigned_on) == (Volunteer.Status.RESIGNED, day)


def test_a_resignation_cannot_be_dated_in_the_future(cast, login, volunteer):
    day = TODAY() + datetime.timedelta(days=2)
    response = login(cast.coordinator).post(
        reverse("volunteer_resign", args=[volunteer.pk]), {"resigned_on": day.isoformat()}
    )
    assert response.status_code == 200
    assert "on or after its date" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.APPOINTED


def test_a_resigned_volunteer_is_not_appointed_again(cast, volunteer):
    services.volunteer_resign(volunteer=volunteer, resigned_on=TODAY(), by=cast.coordinator)
    with pytest.raises(Exception, match="new applicant"):
        services.volunteer_appoint(volunteer=volunteer, by=cast.coordinator)


def test_personal_data_is_kept_in_history(cast, volunteer):
    services.volunteer_update(
        volunteer=volunteer,
        first_name="Changed",
        last_name="Surname",
        applied_on=volunteer.applied_on,
    )
    assert volunteer.history.count() >= 2
    assert DbsCheck.history.filter(volunteer_id=volunteer.pk).exists()


# --- accounts ------------------------------------------------------------------------------------


def test_a_coordinator_links_an_existing_volunteer_account(cast, login):
    volunteer = VolunteerFactory(centre=cast.centre)
    account = UserFactory(role=Role.VOLUNTEER, centre=cast.centre, volunteer_record=False)
    taken = cast.volunteer  # has a record already: not offered
    client = login(cast.coordinator)
    html = client.get(reverse("volunteer_account", args=[volunteer.pk])).content.decode()
    assert account.email not in html  # the choice shows names only
    assert account.full_name in html and taken.full_name not in html
    client.post(
        reverse("volunteer_account", args=[volunteer.pk]),
        {"action": "link", "link-user": account.pk},
    )
    volunteer.refresh_from_db()
    assert volunteer.user == account


def test_linking_refuses_another_centres_account(cast, login):
    volunteer = VolunteerFactory(centre=cast.centre)
    theirs = UserFactory(role=Role.VOLUNTEER, centre=cast.other_centre, volunteer_record=False)
    response = login(cast.coordinator).post(
        reverse("volunteer_account", args=[volunteer.pk]),
        {"action": "link", "link-user": theirs.pk},
    )
    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.user is None


def test_a_coordinator_invites_an_account_for_a_volunteer(
    cast, login, django_capture_on_commit_callbacks
):
    volunteer = VolunteerFactory(centre=cast.centre)
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.coordinator).post(
            reverse("volunteer_account", args=[volunteer.pk]),
            {
                "action": "invite",
                "invite-full_name": "Vic Volunteer",
                "invite-email": "vic@example.org",
            },
        )
    account = User.objects.get(email="vic@example.org")
    volunteer.refresh_from_db()
    assert volunteer.user == account and account.role == Role.VOLUNTEER
    assert mail.outbox[-1].to == ["vic@example.org"]
    assert re.search(r"/accounts/invitation/", mail.outbox[-1].body)


def test_an_invitation_with_a_taken_address_answers_as_any_other_and_adds_a_membership(cast, login):
    """Issue 20: the form does not tell whether an address has an account anywhere. Issue 19:
    the person's one account gains a volunteer membership here and the record is linked to
    it; the page shows nothing of the account's own name or other centre."""
    volunteer = VolunteerFactory(centre=cast.centre)
    response = login(cast.coordinator).post(
        reverse("volunteer_account", args=[volunteer.pk]),
        {"action": "invite", "invite-full_name": "Dup", "invite-email": cast.other_chair.email},
        follow=True,
    )
    html = response.content.decode()
    assert f"Invitation sent to {cast.other_chair.email}." in html
    assert "already has an account" not in html
    assert cast.other_chair.full_name not in html and cast.other_centre.name not in html
    volunteer.refresh_from_db()
    assert volunteer.user == cast.other_chair
    assert User.objects.filter(email=cast.other_chair.email).count() == 1
    assert cast.other_chair.memberships.filter(centre=cast.centre, role="volunteer").exists()


def test_the_dbs_check_factory_is_clear_by_default(cast):
    assert DbsCheckFactory(volunteer=VolunteerFactory(centre=cast.centre)).is_clear
