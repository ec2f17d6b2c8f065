"""The retention screen (coordinator): due within 30 days, held and why, kept longer, and
the destruction register; the keep-longer form; and the annual view of the register and the
monthly statistics (chair and coordinator)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.views.decorators.http import require_http_methods

from cccc.access import require_role
from cccc.forms import add_service_errors
from cccc.models import Role
from families.access import get_family_for
from families.models import AgencyType, KeepApart
from retention import access, lock, rules, statistics
from retention.forms import KeepLongerForm, YearForm
from retention.models import KeepLonger, RetentionRun
from retention.review import keep_longer_record, retention_review, volunteer_reference
from volunteers.access import get_volunteer_for

REGISTER_PAGE = 50


@login_required
def retention_screen(request):
    require_role(request.membership, Role.COORDINATOR)
    centre = request.membership.centre
    today = timezone.localdate()
    review = retention_review(centre=centre, today=today)
    register = Paginator(
        access.register_for(request.membership).order_by("-destroyed_at", "-pk"), REGISTER_PAGE
    ).get_page(request.GET.get("page"))
    lock.runs_mark_died()  # a run whose process is gone shows as died, not running
    last_run = RetentionRun.objects.filter(dry_run=False).first()
    # The run's own total counts every centre; a coordinator sees only their centre's share.
    destroyed_here = (
        access.register_for(request.membership).filter(run=last_run).count() if last_run else 0
    )
    return render(
        request,
        "retention/screen.html",
        {
            "centre": centre,
            "today": today,
            "due": sorted(review.due + review.flagged, key=lambda i: i.destroy_on),
            "held": review.held,
            "kept": review.kept,
            "register": register,
            "flag_days": rules.FLAG_DAYS,
            "rules": [rule.name(centre) for rule in rules.RULES if rule.period_setting],
            "last_run": last_run,
            "last_run_destroyed_here": destroyed_here,
            "orphan_flags": KeepApart.objects.filter(centre=centre, adult_b__isnull=True)
            .select_related("adult_a__family")
            .order_by("-other_destroyed_on", "pk"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def keep_family(request, pk: int):
    family = get_family_for(request.membership, pk)
    return _keep(request, family=family, reference=family.reference)


@login_required
@require_http_methods(["GET", "POST"])
def keep_volunteer(request, pk: int):
    volunteer = get_volunteer_for(request.membership, pk)
    return _keep(request, volunteer=volunteer, reference=volunteer_reference(pk))


def _keep(request, *, reference: str, family=None, volunteer=None):
    current = (
        (
            KeepLonger.objects.filter(family=family)
            if family
            else KeepLonger.objects.filter(volunteer=volunteer)
        )
        .select_related("data_key")
        .first()
    )
    initial = {"reason": current.reason, "review_on": current.review_on} if current else {}
    form = KeepLongerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            keep_longer_record(
                by=request.user, family=family, volunteer=volunteer, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            until = form.cleaned_data["review_on"]
            messages.success(
                request, f"{reference} is kept until {dateformat.format(until, 'j F Y')}."
            )
            return redirect("retention_screen")
    return render(
        request,
        "retention/keep_form.html",
        {"form": form, "reference": reference, "current": current},
    )


@login_required
def annual(request):
    access.require_annual_reader(request.membership)
    centre = request.membership.centre
    today = timezone.localdate()
    form = YearForm(request.GET or None)
    year = today.year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    months = statistics.centre_year(centre, year, today)
    register = list(
        access.register_for(request.membership)
        .filter(destroyed_at__year=year)
        .order_by("destroyed_at", "pk")
    )
    return render(
        request,
        "retention/annual.html",
        {
            "centre": centre,
            "year": year,
            "form": form,
            "months": months,
            "total": statistics.year_total(months),
            "agencies": AgencyType.choices,
            "register": register,
            "families_destroyed": sum(1 for r in register if r.record_type == "family"),
            "volunteers_destroyed": sum(1 for r in register if r.record_type == "volunteer"),
        },
    )
