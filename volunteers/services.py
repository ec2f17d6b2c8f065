"""The volunteer's record, from application to resignation: details, training, the
confidentiality agreement, appointment, resignation and their portal account.

The gate (CHI-4.7, CHE-8, CHI-4.1, CHE-2): nobody is appointed, put on a rota or let into the
portal without a current clear DBS check and a signed confidentiality agreement. It is refused
here (appointment), in volunteers/rota_services.py (the rota) and volunteers/portal_services.py
(the portal) with a message naming what is missing, and again by the database (constraints on
Volunteer and RotaEntry), and at sign-in (volunteers.auth). DBS checks themselves are
recorded in volunteers/dbs_services.py.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.audit import access_log_record
from cccc.keys import data_key_create
from cccc.models import AccessLog, Centre, Membership, Role, User
from cccc.saving import validated_save
from cccc.services import user_invite
from volunteers.models import TrainingRecord, Volunteer
from volunteers.rota_services import (
    LostCover,
    take_off_future_rotas,
    tell_coordinators_of_lost_cover,
)

# --- the volunteer's record -----------------------------------------------------------------------


@transaction.atomic
def volunteer_create(
    *,
    centre: Centre,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
    applied_on: datetime.date | None = None,
) -> Volunteer:
    """A new applicant, with their own data key."""
    volunteer = Volunteer(
        centre=centre,
        data_key=data_key_create(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        applied_on=applied_on or timezone.localdate(),
        status=Volunteer.Status.APPLIED,
    )
    return validated_save(volunteer)


@transaction.atomic
def volunteer_update(
    *,
    volunteer: Volunteer,
    first_name: str,
    last_name: str,
    phone: str = "",
    email: str = "",
    applied_on: datetime.date | None = None,
) -> Volunteer:
    volunteer.first_name, volunteer.last_name = first_name.strip(), last_name.strip()
    volunteer.phone, volunteer.email = phone.strip(), email.strip()
    volunteer.applied_on = applied_on
    return validated_save(volunteer)


@transaction.atomic
def training_record_add(
    *,
    volunteer: Volunteer,
    course: str,
    completed_on: datetime.date,
    expires_on: datetime.date | None,
    by: User,
) -> TrainingRecord:
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    if expires_on is not None and expires_on <= completed_on:
        raise ValidationError({"expires_on": "The expiry date must be after completion."})
    return validated_save(
        TrainingRecord(
            volunteer=volunteer,
            course=course.strip(),
            completed_on=completed_on,
            expires_on=expires_on,
            recorded_by=by,
        )
    )


@transaction.atomic
def agreement_sign(
    *, volunteer: Volunteer, signed_on: datetime.date, policy_version: str
) -> Volunteer:
    """The volunteer signed the confidentiality agreement (CHI-4.1, CHE-2)."""
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "The signing date cannot be in the future."})
    if not policy_version.strip():
        raise ValidationError({"policy_version": "Give the version of the policy signed."})
    if volunteer.status == Volunteer.Status.RESIGNED:
        raise ValidationError("This volunteer has resigned.")
    volunteer.agreement_signed_on = signed_on
    volunteer.agreement_policy_version = policy_version.strip()
    return validated_save(volunteer)


@transaction.atomic
def volunteer_appoint(*, volunteer: Volunteer, by: User) -> Volunteer:
    """Appoint a volunteer; refused, naming what is missing, without a current clear DBS
    check and a signed confidentiality agreement (CHI-4.7, CHE-8, CHI-4.1, CHE-2)."""
    today = timezone.localdate()
    if volunteer.status == Volunteer.Status.APPOINTED:
        raise ValidationError("This volunteer is appointed already.")
    if volunteer.status == Volunteer.Status.RESIGNED:
        raise ValidationError(
            "This volunteer has resigned. Add them as a new applicant to appoint them again."
        )
    problems = volunteer.gate_problems(today)
    if problems:
        raise ValidationError(f"This volunteer cannot be appointed: {'; '.join(problems)}.")
    volunteer.status = Volunteer.Status.APPOINTED
    volunteer.appointed_on = today
    validated_save(volunteer)
    access_log_record(
        user=by, action=AccessLog.Action.VOLUNTEER_STATUS, record=volunteer, detail="appointed"
    )
    return volunteer


@transaction.atomic
def volunteer_resign(
    *,
    volunteer: Volunteer,
    resigned_on: datetime.date,
    by: User,
    now: datetime.datetime | None = None,
) -> list[LostCover]:
    """The volunteer leaves: the retention clock starts (CHE-DP5), they lose the portal, and
    they come off every future rota; returns the sessions that lost them."""
    if volunteer.status == Volunteer.Status.RESIGNED:
        raise ValidationError("This volunteer has resigned already.")
    if resigned_on > timezone.localdate():
        raise ValidationError({"resigned_on": "Record a resignation on or after its date."})
    if volunteer.applied_on and resigned_on < volunteer.applied_on:
        raise ValidationError({"resigned_on": "The resignation cannot be before the application."})
    volunteer.status = Volunteer.Status.RESIGNED
    volunteer.resigned_on = resigned_on
    validated_save(volunteer)
    access_log_record(
        user=by, action=AccessLog.Action.VOLUNTEER_STATUS, record=volunteer, detail="resigned"
    )
    lost = take_off_future_rotas(volunteer, now)
    tell_coordinators_of_lost_cover(volunteer.centre, "A volunteer has resigned.", lost)
    return lost


# --- accounts -------------------------------------------------------------------------------------


@transaction.atomic
def volunteer_link_user(*, volunteer: Volunteer, user: User) -> Volunteer:
    if volunteer.user_id is not None:
        raise ValidationError("This volunteer has an account already.")
    volunteering_here = Membership.objects.filter(
        user_id=user.pk, centre_id=volunteer.centre_id, role=Role.VOLUNTEER, is_active=True
    )
    if not volunteering_here.exists():
        raise ValidationError({"user": "Choose a volunteer account of this centre."})
    if Volunteer.objects.filter(user=user, centre_id=volunteer.centre_id).exists():
        raise ValidationError({"user": "That account belongs to another volunteer."})
    volunteer.user = user
    return validated_save(volunteer)


@transaction.atomic
def volunteer_invite_user(
    *, volunteer: Volunteer, by: User, full_name: str, email: str, base_url: str
) -> User | None:
    """Invite a new volunteer account (cccc.services.user_invite) and link it. The account
    cannot sign in until the volunteer is appointed (volunteers.auth). An address that has an
    account already gets a neutral note and nothing is linked (None): the answer does not
    tell who has an account (issue 20)."""
    if volunteer.user_id is not None:
        raise ValidationError("This volunteer has an account already.")
    user = user_invite(
        inviter=by, email=email, full_name=full_name, role=Role.VOLUNTEER, base_url=base_url
    )
    if user is not None:
        volunteer_link_user(volunteer=volunteer, user=user)
    return user
