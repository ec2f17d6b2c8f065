"""Coordinator pages for volunteers: the list, one volunteer's record and its lifecycle
(DBS check requested, training, agreement, appointment, resignation, account)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cccc.access import require_role
from cccc.forms import add_service_errors
from cccc.models import Role
from families.access import sessions_for
from families.models import ContactSession
from volunteers import access, dbs_services, forms, rota_services, services
from volunteers.models import RotaEntry, TrainingRecord, Volunteer

TRAINING_WARNING_DAYS = 60
COVER_WEEKS = 8
LIST_LIMIT = 50


def training_expiring(records: list[TrainingRecord], today: datetime.date) -> list:
    """The latest record of each course, where it runs out within the warning window."""
    latest: dict[str, TrainingRecord] = {}
    for record in sorted(records, key=lambda r: r.completed_on):
        latest[record.course.casefold()] = record
    soon = today + datetime.timedelta(days=TRAINING_WARNING_DAYS)
    return sorted(
        (r for r in latest.values() if r.expires_on and r.expires_on <= soon),
        key=lambda r: r.expires_on,
    )


@login_required
def volunteer_list(request):
    require_role(request.membership, Role.COORDINATOR)
    today = timezone.localdate()
    volunteers = list(
        access.volunteers_for(request.membership)
        .select_related("data_key", "user")
        .prefetch_related(Prefetch("training", queryset=TrainingRecord.objects.all()))
        .order_by("status", "pk")
    )
    rows = [(v, training_expiring(list(v.training.all()), today)) for v in volunteers]
    rows.sort(key=lambda row: (row[0].status == Volunteer.Status.RESIGNED, row[0].full_name))
    # Only the sessions short of volunteers, chosen in SQL: eight weeks of a busy centre's
    # sessions are over a thousand.
    short = (
        sessions_for(request.membership)
        .filter(
            status=ContactSession.Status.BOOKED,
            date__gte=today,
            date__lte=today + datetime.timedelta(weeks=COVER_WEEKS),
        )
        .annotate(**rota_services.cover_annotations())
        .filter(assigned__lt=F("needed"))
        .select_related("family")
        .order_by("date", "starts_at", "pk")
    )
    return render(
        request,
        "volunteers/volunteer_list.html",
        {
            "rows": rows,
            "short_sessions": short[:LIST_LIMIT],
            "cover_weeks": COVER_WEEKS,
            "today": today,
            "can_see_dbs": access.can_see_dbs(request.membership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_create(request):
    require_role(request.membership, Role.COORDINATOR)
    form = forms.VolunteerForm(request.POST or None, initial={"applied_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_create(
                centre=request.membership.centre, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Volunteer added as an applicant.")
            return redirect("volunteer_detail", volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "volunteer": None})


@login_required
def volunteer_detail(request, pk: int):
    volunteer = access.get_volunteer_for(request.membership, pk)
    return _detail(request, volunteer)


def _detail(request, volunteer: Volunteer, **forms_):
    today = timezone.localdate()
    rota = (
        RotaEntry.objects.filter(volunteer=volunteer, session_date__gte=today)
        .select_related("session__family")
        .order_by("session_date", "session__starts_at")
    )
    context = {
        "volunteer": volunteer,
        "today": today,
        "training": volunteer.training.all(),
        "expiring": training_expiring(list(volunteer.training.all()), today),
        "checks": volunteer.dbs_checks.all(),
        "rota": rota,
        "gate_problems": volunteer.gate_problems(today),
        "can_see_dbs": access.can_see_dbs(request.membership),
        "training_form": forms_.get("training_form") or forms.TrainingForm(),
        "agreement_form": forms_.get("agreement_form")
        or forms.AgreementForm(
            initial={"signed_on": today, "policy_version": volunteer.centre.rules_version}
        ),
        "resign_form": forms_.get("resign_form")
        or forms.ResignForm(initial={"resigned_on": today}),
        "appoint_errors": forms_.get("appoint_errors", []),
        "Status": Volunteer.Status,
    }
    return render(request, "volunteers/volunteer_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_edit(request, pk: int):
    volunteer = access.get_volunteer_for(request.membership, pk)
    form = forms.VolunteerForm.for_volunteer(volunteer, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_update(volunteer=volunteer, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("volunteer_detail", volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "volunteer": volunteer})


@login_required
@require_POST
def dbs_check_requested(request, pk: int):
    volunteer = access.get_volunteer_for(request.membership, pk)
    try:
        dbs_services.dbs_check_requested(volunteer=volunteer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Recorded: the DBS check has been applied for.")
    return redirect("volunteer_detail", volunteer.pk)


@login_required
@require_POST
def training_add(request, pk: int):
    volunteer = access.get_volunteer_for(request.membership, pk)
    form = forms.TrainingForm(request.POST)
    if form.is_valid():
        try:
            services.training_record_add(volunteer=volunteer, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Training recorded.")
            return redirect("volunteer_detail", volunteer.pk)
    return _detail(request, volunteer, training_form=form)


@login_required
@require_POST
def agreement_sign(request, pk: int):
    volunteer = access.get_volunteer_for(request.membership, pk)
    form = forms.AgreementForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_sign(
                volunteer=volunteer,
                signed_on=form.cleaned_data["signed_on"],
                policy_version=form.cleaned_data["policy_version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Confidentiality agreement recorded.")
            return redirect("volunteer_detail", volunteer.pk)
    return _detail(request, volunteer, agreement_form=form)


@login_required
@require_POST
def volunteer_appoint(request, pk: int):
    volunteer = access.get_volunteer_for(request.membership, pk)
    try:
        services.volunteer_appoint(volunteer=volunteer, by=request.user)
    except ValidationError as exc:
        volunteer.refresh_from_db()
        return _detail(request, volunteer, appoint_errors=exc.messages)
    messages.success(request, "Appointed. They can now sign in to the volunteer portal.")
    return redirect("volunteer_detail", volunteer.pk)


@login_required
@require_POST
def volunteer_resign(request, pk: int):
    volunteer = access.get_volunteer_for(request.membership, pk)
    form = forms.ResignForm(request.POST)
    if form.is_valid():
        try:
            lost = services.volunteer_resign(
                volunteer=volunteer, resigned_on=form.cleaned_data["resigned_on"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            volunteer.refresh_from_db()
        else:
            messages.success(request, "Resignation recorded. They can no longer sign in.")
            for item in lost:
                messages.warning(request, f"Taken off the rota: {item.line()}.")
            return redirect("volunteer_detail", volunteer.pk)
    return _detail(request, volunteer, resign_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_account(request, pk: int):
    """Link the volunteer to a volunteer account of the centre, or invite a new one."""
    volunteer = access.get_volunteer_for(request.membership, pk)
    centre = request.membership.centre
    posted = request.POST.get("action") if request.method == "POST" else None
    link_form = forms.LinkAccountForm(
        request.POST if posted == "link" else None, centre=centre, prefix="link"
    )
    invite_form = forms.InviteAccountForm(
        request.POST if posted == "invite" else None,
        prefix="invite",
        initial={"full_name": volunteer.full_name, "email": volunteer.email},
    )
    if volunteer.user_id is None and posted == "link" and link_form.is_valid():
        try:
            services.volunteer_link_user(volunteer=volunteer, user=link_form.cleaned_data["user"])
        except ValidationError as exc:
            add_service_errors(link_form, exc)
        else:
            messages.success(request, "Account linked.")
            return redirect("volunteer_detail", volunteer.pk)
    if volunteer.user_id is None and posted == "invite" and invite_form.is_valid():
        try:
            services.volunteer_invite_user(
                volunteer=volunteer,
                by=request.user,
                base_url=request.build_absolute_uri("/"),
                **invite_form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                exc = ValidationError(str(exc))
            add_service_errors(invite_form, exc)
        else:
            # The same answer whether or not the address has an account (issue 20).
            messages.success(request, f"Invitation sent to {invite_form.cleaned_data['email']}.")
            return redirect("volunteer_detail", volunteer.pk)
    return render(
        request,
        "volunteers/volunteer_account.html",
        {"volunteer": volunteer, "link_form": link_form, "invite_form": invite_form},
    )
