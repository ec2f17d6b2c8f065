"""Referrals: the referrer's portal and intake form, and the coordinator's referral pages.

A referrer sees their own referrals' status and nothing else about any family (SPEC §2): once
sent, the details they typed are never shown back to them.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cccc.access import require_role
from cccc.error_summary import form_errors, formset_errors
from cccc.forms import add_service_errors
from cccc.models import Membership, Role
from families import services
from families.access import own_referrals_for, referrals_for
from families.duplicates import confirm_value, duplicates_of, unconfirmed
from families.models import Adult, Referral
from families.models.referral import REVIEW_WARNING_DAYS
from families.names import add_names, names_for_ids
from families.referral_forms import (
    RISK_FIELDS,
    AdultFormSet,
    ChildFormSet,
    CoordinatorReferralForm,
    DecisionForm,
    ReferralForm,
)

RECENT_DAYS = 30


def _intake(
    request, form, *, warn: bool = False
) -> tuple[Referral | None, AdultFormSet, ChildFormSet]:
    """Validate the intake form and its two formsets and submit the referral. Returns the new
    referral, or None with every error on the form or formset it belongs to. With `warn`
    (the coordinator), a family the centre may already have stops it until confirmed
    (families/duplicates.py): the families are on `adults.duplicates` for the page."""
    data = request.POST if request.method == "POST" else None
    adults = AdultFormSet(data, prefix="adults")
    children = ChildFormSet(data, prefix="children")
    if data is None:
        return None, adults, children
    # Validate all three so that every error is shown at once.
    valid = [form.is_valid(), adults.is_valid(), children.is_valid()]
    if not all(valid):
        return None, adults, children
    if warn:
        found = duplicates_of(
            request.membership, adults=adults.people(), children=children.people()
        )
        adults.duplicates = unconfirmed(request, found)
        if adults.duplicates:
            return None, adults, children
    referrer = form.cleaned_data.get("referrer") if "referrer" in form.fields else request.user
    try:
        referral = services.referral_submit(
            # The centre of the membership in use: a referrer at two centres refers to the
            # one they are working as (the service checks they are a referrer there).
            centre=request.membership.centre,
            entered_by=request.user,
            referrer=referrer,
            referral=form.instance,
            adults=adults.people(),
            children=children.people(),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, adults, children
    return referral, adults, children


def _form_page(request, form, adults, children, *, title: str, cancel_url: str):
    duplicates = adults.duplicates
    # The page is shown again after a POST only when something was refused (every error is
    # listed at the top, in the order of the page, each linking to its field), or the
    # coordinator is asked about a family the centre may already have.
    errors = []
    if request.method == "POST" and not duplicates:
        errors = [
            *form_errors(form),
            *formset_errors(adults, "Adult", anchor="adults"),
            *formset_errors(children, "Child", anchor="children"),
        ]
    return render(
        request,
        "families/referral_form.html",
        {
            "form": form,
            "adults": adults,
            "children": children,
            "title": title,
            "cancel_url": cancel_url,
            "has_errors": request.method == "POST" and not duplicates,
            "errors": errors,
            "duplicates": duplicates,
            "confirm_value": confirm_value(duplicates),
            "confirm_label": "These are different people: enter the referral",
        },
    )


# --- referrer --------------------------------------------------------------------------------


@login_required
@require_GET
def portal(request):
    require_role(request.membership, Role.REFERRER)
    # Only what the referrer may see (SPEC §2): reference, dates and status. Never the
    # decline reason, names, risk answers or anything else typed into the referral.
    referrals = (
        own_referrals_for(request.membership)
        .select_related("family")
        .only("received_on", "status", "decided_at", "family", "family__reference")
        .order_by("-received_on", "-pk")
    )
    return render(
        request,
        "families/referrer_portal.html",
        {"centre": request.membership.centre, "referrals": referrals},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referrer_refer(request):
    require_role(request.membership, Role.REFERRER)
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        initial={"agency_name": request.user.agency},
    )
    referral, adults, children = _intake(request, form)
    if referral is not None:
        messages.success(request, f"Referral received: {referral.family.reference}")
        return redirect("referrer_portal")
    return _form_page(
        request,
        form,
        adults,
        children,
        title="Refer a family",
        cancel_url="referrer_portal",
    )


# --- coordinator -----------------------------------------------------------------------------


def _get_referral_for(membership: Membership, pk: int) -> Referral:
    return get_object_or_404(
        referrals_for(membership).select_related(
            "family__data_key", "referrer", "entered_by", "decided_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def referral_list(request):
    require_role(request.membership, Role.COORDINATOR)
    today = timezone.localdate()
    rows = referrals_for(request.membership).select_related("family", "referrer")
    pending = rows.filter(status=Referral.Status.PENDING).order_by("received_on", "pk")
    reviews_due = rows.reviews_due(today + datetime.timedelta(days=REVIEW_WARNING_DAYS)).order_by(
        "review_due", "pk"
    )
    decided = (
        rows.exclude(status=Referral.Status.PENDING)
        .filter(decided_at__gte=timezone.now() - datetime.timedelta(days=RECENT_DAYS))
        .order_by("-decided_at", "-pk")
    )
    pending, reviews_due, decided = list(pending), list(reviews_due), list(decided)
    families = [r.family for r in [*pending, *reviews_due, *decided]]
    add_names(families, names_for_ids(f.pk for f in families))  # one query for all three
    return render(
        request,
        "families/referral_list.html",
        {
            "pending": pending,
            "reviews_due": reviews_due,
            "decided": decided,
            "today": today,
            "recent_days": RECENT_DAYS,
            "warning_days": REVIEW_WARNING_DAYS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request):
    require_role(request.membership, Role.COORDINATOR)
    form = CoordinatorReferralForm(
        request.POST if request.method == "POST" else None, centre=request.membership.centre
    )
    referral, adults, children = _intake(request, form, warn=True)
    if referral is not None:
        messages.success(request, f"Referral entered: {referral.family.reference}")
        return redirect("referral_detail", pk=referral.pk)
    return _form_page(
        request,
        form,
        adults,
        children,
        title="Enter a referral",
        cancel_url="referral_list",
    )


def _detail_page(request, referral: Referral, decision_form=None):
    # The family's people, for deciding; never their address, phone or email here.
    family = referral.family
    prefetch_related_objects(
        [family],
        Prefetch(
            "adults", queryset=Adult.objects.only("family", "role", "first_name", "last_name")
        ),
        "children",
    )
    today = timezone.localdate()
    return render(
        request,
        "families/referral_detail.html",
        {
            "referral": referral,
            "family": family,
            # Entered by a referrer, who is never told: the coordinator is, here.
            "duplicates": duplicates_of(
                request.membership,
                adults=family.adults.all(),
                children=family.children.all(),
                exclude=family.pk,
            ),
            "adults": family.adults.all(),
            "children": [(child, child.age_on(today)) for child in family.children.all()],
            "risks": [
                (label, getattr(referral, f"get_{name}_display")()) for name, label in RISK_FIELDS
            ],
            "decision_form": decision_form or DecisionForm(initial={"decision": "decline"}),
            "review_soon": referral.review_due
            and referral.review_due <= today + datetime.timedelta(days=REVIEW_WARNING_DAYS),
        },
    )


@login_required
@require_GET
def referral_detail(request, pk: int):
    require_role(request.membership, Role.COORDINATOR)
    referral = _get_referral_for(request.membership, pk)
    return _detail_page(request, referral)


@login_required
@require_POST
def referral_decide(request, pk: int):
    require_role(request.membership, Role.COORDINATOR)
    referral = _get_referral_for(request.membership, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to accept or to decline the referral.")
        return redirect("referral_detail", pk=referral.pk)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.referral_decide(
            referral=referral, by=request.user, accept=accept, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        # Read again as stored, with what the page draws (a refresh would drop it).
        referral = _get_referral_for(request.membership, pk)
        return _detail_page(request, referral, decision_form=form)
    if accept:
        due = date_format(referral.review_due, "j F Y")
        messages.success(
            request, f"Referral accepted: {referral.family.reference}. First review due {due}."
        )
    else:
        messages.success(request, f"Referral declined: {referral.family.reference}.")
    return redirect("referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_review(request, pk: int):
    require_role(request.membership, Role.COORDINATOR)
    referral = _get_referral_for(request.membership, pk)
    try:
        services.referral_review(referral=referral, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        due = date_format(referral.review_due, "j F Y")
        messages.success(request, f"Review recorded. The next review is due {due}.")
    return redirect("referral_detail", pk=referral.pk)
