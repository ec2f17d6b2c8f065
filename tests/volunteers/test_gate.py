"""The gate (CHI-4.7, CHE-8, CHI-4.1, CHE-2): no appointment, rota or portal without a
current clear DBS check and a signed confidentiality agreement, enforced on every path:
service, form, database, admin and sign-in."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    PASSWORD,
    AppointedVolunteerFactory,
    DbsCheckFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.volunteers.conftest import book
from volunteers import access, dbs_services, portal_services, rota_services, services
from volunteers.auth import VolunteerGateBackend as VolunteerGateBackendBase
from volunteers.models import DbsCheck, DbsOutcome, RotaEntry, TrainingRecord, Volunteer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def cleared_applicant(centre, **fields) -> Volunteer:
    """Cleared by a DBS check, agreement not yet signed."""
    volunteer = VolunteerFactory(centre=centre, status=Volunteer.Status.CLEARED, **fields)
    check = DbsCheckFactory(volunteer=volunteer)
    volunteer.clearance_expires = check.renewal_due
    volunteer.save()
    return volunteer


# --- appointment ------------------------------------------------------------------------------


def test_it_refuses_to_appoint_without_a_dbs_check_or_agreement_and_names_both(cast):
    volunteer = VolunteerFactory(centre=cast.centre)
    with pytest.raises(ValidationError) as caught:
        services.volunteer_appoint(volunteer=volunteer, by=cast.coordinator)
    message = " ".join(caught.value.messages)
    assert "no current clear DBS check" in message
    assert "no signed confidentiality agreement" in message
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.APPLIED


def test_it_refuses_to_appoint_a_cleared_volunteer_who_has_not_signed_the_agreement(cast):
    volunteer = cleared_applicant(cast.centre)
    with pytest.raises(ValidationError, match="no signed confidentiality agreement"):
        services.volunteer_appoint(volunteer=volunteer, by=cast.coordinator)


def test_it_refuses_to_appoint_after_an_undisclosed_outcome(cast):
    volunteer = VolunteerFactory(centre=cast.centre, status=Volunteer.Status.DBS_PENDING)
    services.agreement_sign(volunteer=volunteer, signed_on=TODAY(), policy_version="2")
    dbs_services.dbs_check_record(
        volunteer=volunteer,
        level="enhanced",
        certificate_number="001122334455",
        outcome=DbsOutcome.DISCLOSED,
        issued_on=TODAY(),
        by=cast.coordinator,
    )
    with pytest.raises(ValidationError, match="no current clear DBS check"):
        services.volunteer_appoint(volunteer=volunteer, by=cast.coordinator)


def test_it_refuses_to_appoint_on_a_lapsed_check(cast):
    volunteer = cleared_applicant(
        cast.centre, agreement_signed_on=TODAY(), agreement_policy_version="1"
    )
    volunteer.clearance_expires = TODAY() - datetime.timedelta(days=1)
    volunteer.save()
    with pytest.raises(ValidationError, match="no clear DBS check covering"):
        services.volunteer_appoint(volunteer=volunteer, by=cast.coordinator)


def test_it_appoints_with_a_clear_check_and_a_signed_agreement(cast):
    volunteer = cleared_applicant(cast.centre)
    services.agreement_sign(volunteer=volunteer, signed_on=TODAY(), policy_version="2")
    services.volunteer_appoint(volunteer=volunteer, by=cast.coordinator)
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.appointed_on) == (Volunteer.Status.APPOINTED, TODAY())
    assert volunteer.agreement_policy_version == "2"


def test_the_appoint_button_explains_what_is_missing(cast, login):
    volunteer = cleared_applicant(cast.centre)
    response = login(cast.coordinator).post(reverse("volunteer_appoint", args=[volunteer.pk]))
    assert response.status_code == 200
    assert "no signed confidentiality agreement" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.CLEARED


def test_the_database_refuses_an_appointed_volunteer_without_an_agreement(cast):
    volunteer = cleared_applicant(cast.centre)
    with pytest.raises(IntegrityError), transaction.atomic():
        Volunteer.objects.filter(pk=volunteer.pk).update(
            status=Volunteer.Status.APPOINTED, appointed_on=TODAY()
        )


def test_the_database_refuses_an_appointed_volunteer_without_clearance(cast):
    volunteer = VolunteerFactory(
        centre=cast.centre, agreement_signed_on=TODAY(), agreement_policy_version="1"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Volunteer.objects.filter(pk=volunteer.pk).update(
            status=Volunteer.Status.APPOINTED, appointed_on=TODAY()
        )


# --- rota ---------------------------------------------------------------------------------------


def test_the_rota_refuses_a_volunteer_who_is_not_appointed(cast):
    volunteer = cleared_applicant(cast.centre)
    booked = book(cast.centre)
    with pytest.raises(ValidationError, match="they are not appointed"):
        rota_services.rota_assign(session=booked.session, volunteer=volunteer, by=cast.coordinator)
    assert not RotaEntry.objects.exists()


def test_the_rota_refuses_a_session_after_the_clearance_runs_out(cast):
    volunteer = AppointedVolunteerFactory(
        centre=cast.centre, clearance_expires=TODAY() + datetime.timedelta(days=3)
    )
    booked = book(cast.centre, day=TODAY() + datetime.timedelta(days=4))
    with pytest.raises(ValidationError, match="no clear DBS check covering"):
        rota_services.rota_assign(session=booked.session, volunteer=volunteer, by=cast.coordinator)
    assert not RotaEntry.objects.exists()


def test_the_rota_accepts_a_session_on_the_last_day_of_clearance(cast):
    volunteer = AppointedVolunteerFactory(
        centre=cast.centre, clearance_expires=TODAY() + datetime.timedelta(days=3)
    )
    booked = book(cast.centre, day=TODAY() + datetime.timedelta(days=3))
    entry = rota_services.rota_assign(
        session=booked.session, volunteer=volunteer, by=cast.coordinator
    )
    assert entry.volunteer_cleared_until == volunteer.clearance_expires


def test_the_rota_form_refuses_an_uncleared_volunteer_with_the_reason(cast, login):
    volunteer = VolunteerFactory(centre=cast.centre, status=Volunteer.Status.DBS_PENDING)
    booked = book(cast.centre)
    response = login(cast.coordinator).post(
        reverse("session_rota", args=[booked.session.pk]), {"volunteer": volunteer.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot go on the rota" in html and "no current clear DBS check" in html
    assert not RotaEntry.objects.exists()


def test_the_database_refuses_a_rota_entry_past_the_clearance(cast, volunteer):
    booked = book(cast.centre)
    with pytest.raises(IntegrityError), transaction.atomic():
        RotaEntry.objects.create(
            session=booked.session,
            volunteer=volunteer,
            session_date=booked.session.date,
            volunteer_cleared_until=booked.session.date - datetime.timedelta(days=1),
            assigned_by=cast.coordinator,
        )


def test_the_database_refuses_the_same_volunteer_twice_on_a_session(cast, volunteer):
    booked = book(cast.centre)
    rota_services.rota_assign(session=booked.session, volunteer=volunteer, by=cast.coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        RotaEntry.objects.create(
            session=booked.session,
            volunteer=volunteer,
            session_date=booked.session.date,
            volunteer_cleared_until=volunteer.clearance_expires,
            assigned_by=cast.coordinator,
        )


# --- the admin ----------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Volunteer, DbsCheck, RotaEntry, TrainingRecord])
def test_no_volunteer_model_is_in_the_admin(model):
    assert model not in admin.site._registry


def test_the_operator_cannot_reach_volunteers_through_the_admin(cast, login, volunteer):
    client = login(cast.operator)
    assert client.get("/admin/").status_code == 200
    for path in [
        "/admin/volunteers/",
        "/admin/volunteers/volunteer/",
        f"/admin/volunteers/volunteer/{volunteer.pk}/change/",
        "/admin/volunteers/rotaentry/add/",
    ]:
        assert client.get(path).status_code == 404, path
    assert volunteer.last_name not in client.get("/admin/").content.decode()


# --- sign-in and the portal ------------------------------------------------------------------


def sign_in_with_password(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


def test_an_appointed_cleared_volunteer_signs_in(client, cast):
    assert sign_in_with_password(client, cast.volunteer).status_code == 302
    assert client.get(reverse("volunteer_portal")).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        {"status": Volunteer.Status.CLEARED, "appointed_on": None},
        {"status": Volunteer.Status.RESIGNED, "resigned_on": datetime.date(2026, 1, 5)},
        {"clearance_expires": datetime.date(2020, 1, 1)},
    ],
    ids=["not appointed", "resigned", "lapsed"],
)
def test_a_volunteer_who_may_not_work_cannot_sign_in(client, cast, change):
    Volunteer.objects.filter(user=cast.volunteer).update(**change)
    response = sign_in_with_password(client, cast.volunteer)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_a_volunteer_account_without_a_volunteer_record_cannot_sign_in(client, cast):
    bare = UserFactory(role="volunteer", centre=cast.centre, volunteer_record=False)
    sign_in_with_password(client, bare)
    assert SESSION_KEY not in client.session


def test_other_roles_still_sign_in(client, cast):
    assert sign_in_with_password(client, cast.referrer).status_code == 302
    assert SESSION_KEY in client.session


def test_a_signed_in_volunteer_is_signed_out_when_their_clearance_lapses(client, cast, volunteer):
    sign_in_with_password(client, cast.volunteer)
    assert client.get(reverse("volunteer_portal")).status_code == 200
    Volunteer.objects.filter(pk=volunteer.pk).update(
        clearance_expires=TODAY() - datetime.timedelta(days=1)
    )
    response = client.get(reverse("volunteer_portal"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_portal_pauses_itself_even_if_sign_in_lets_a_lapsed_volunteer_through(
    cast, settings, volunteer
):
    # Without the sign-in gate, the portal's own check still keeps them out.
    settings.AUTHENTICATION_BACKENDS = [NO_GATE]
    booked = book(cast.centre)
    RotaEntry.objects.create(
        session=booked.session,
        volunteer=volunteer,
        session_date=booked.session.date,
        volunteer_cleared_until=volunteer.clearance_expires,
        assigned_by=cast.coordinator,
    )
    client = Client()
    client.force_login(cast.volunteer)
    assert client.get(reverse("portal_session", args=[booked.session.pk])).status_code == 200
    services.volunteer_resign(volunteer=volunteer, resigned_on=TODAY(), by=cast.coordinator)
    for url in [reverse("volunteer_portal"), reverse("portal_session", args=[booked.session.pk])]:
        response = client.get(url)
        html = response.content.decode()
        assert "access to the volunteer portal is paused" in html
        assert booked.session.family.reference not in html


def test_portal_writes_are_refused_by_the_service_when_access_is_paused(cast, volunteer):
    booked = book(cast.centre, day=TODAY())
    rota_services.rota_assign(session=booked.session, volunteer=volunteer, by=cast.coordinator)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        agreement_signed_on=None, status="cleared", appointed_on=None
    )
    volunteer.refresh_from_db()
    with pytest.raises(ValidationError, match="access is paused"):
        portal_services.portal_note_add(volunteer=volunteer, session=booked.session, text="Fine.")


def test_the_session_user_is_loaded_with_their_centre(cast, django_assert_num_queries):
    from volunteers.auth import VolunteerGateBackend

    user = VolunteerGateBackend().get_user(cast.coordinator.pk)
    with django_assert_num_queries(0):
        assert [m.centre for m in user.usable_memberships] == [cast.centre]


def test_a_volunteer_is_let_through_the_gate_in_two_queries(
    cast, volunteer, django_assert_num_queries
):
    from volunteers.auth import VolunteerGateBackend

    with django_assert_num_queries(2):  # the person with their memberships; their records
        user = VolunteerGateBackend().get_user(volunteer.user_id)
    assert user is not None and user.pk == volunteer.user_id
    with django_assert_num_queries(0):
        [membership] = user.usable_memberships
        assert membership.centre == cast.centre
        assert access.volunteer_of(membership) == volunteer


def test_a_deleted_or_inactive_session_user_is_nobody(cast):
    from volunteers.auth import VolunteerGateBackend

    type(cast.referrer).objects.filter(pk=cast.referrer.pk).update(is_active=False)
    assert VolunteerGateBackend().get_user(cast.referrer.pk) is None
    assert VolunteerGateBackend().get_user(10**9) is None


class NoGate(VolunteerGateBackendBase):
    """The session's user and their usable memberships, without the volunteer gate: what
    the portal's own check must stand against."""

    def user_can_authenticate(self, user) -> bool:
        return ModelBackend.user_can_authenticate(self, user)


NO_GATE = "tests.volunteers.test_gate.NoGate"
