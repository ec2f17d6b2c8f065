"""The coordinator's subject access pages (CHE-DP6, CHE-SAR): log a request, check identity,
extend the deadline, review every item held (release it, or withhold it with a reason; the
page counts the items left to review and highlights what detection blanks), and download the
export (JSON and PDF) once every item is reviewed. Downloads are POSTs: each records the
release and an audit entry.

On screen, items show everything but contact details and DBS results, which appear only in
the export the person receives (an adult's address, phone and email are displayed nowhere but
the family page's reveal)."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cccc.access import require_role
from cccc.forms import add_service_errors
from cccc.models import Role
from disclosures import legal_access as access
from disclosures import sar_services
from disclosures.legal_forms import (
    CloseForm,
    ExtendForm,
    IdentityForm,
    ReviewForm,
    SarAdultForm,
    SarStartForm,
    SarVolunteerForm,
)
from disclosures.models import SarItemReview, SubjectAccessRequest
from disclosures.pdf import sar_pdf
from disclosures.sar_compile import sar_items
from disclosures.sar_export import display, export_json, standing_reviews
from families.access import families_for, get_family_for

LIST_LIMIT = 100


@login_required
@require_GET
def sar_list(request):
    require_role(request.membership, Role.COORDINATOR)
    requests = access.sars_for(request.membership).select_related("family", "adult")
    return render(
        request,
        "disclosures/sar_list.html",
        {
            "open": requests.open().defer("extension_reason").order_by("due_on", "pk"),
            "done": requests.exclude(status=SubjectAccessRequest.Status.OPEN)
            .defer("extension_reason")
            .order_by("-received_on", "-pk")[:LIST_LIMIT],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def sar_start(request):
    """Choose the person: an adult of a family, by the family's reference, or a volunteer."""
    require_role(request.membership, Role.COORDINATOR)
    form = SarStartForm(request.GET or None, families=families_for(request.membership))
    if request.GET and form.is_valid():
        return redirect("sar_create_adult", pk=form.cleaned_data["family"].pk)
    return render(request, "disclosures/sar_start.html", {"form": form})


def _record(request, form, **subject):
    data = form.cleaned_data
    try:
        request_ = sar_services.sar_record(
            by=request.user,
            received_on=data["received_on"],
            received_via=data["received_via"],
            identity_checked_on=data["identity_checked_on"],
            identity_check=data["identity_check"],
            **subject,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(
        request, f"Subject access request #{request_.pk} recorded: due {request_.due_on:%d/%m/%Y}."
    )
    return redirect("sar_detail", pk=request_.pk)


@login_required
@require_http_methods(["GET", "POST"])
def sar_create_adult(request, pk: int):
    family = get_family_for(request.membership, pk)
    form = SarAdultForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        done = _record(request, form, adult=form.cleaned_data["adult"])
        if done:
            return done
    return render(request, "disclosures/sar_form.html", {"form": form, "family": family})


@login_required
@require_http_methods(["GET", "POST"])
def sar_create_volunteer(request):
    require_role(request.membership, Role.COORDINATOR)
    form = SarVolunteerForm(request.POST or None, centre=request.membership.centre)
    if request.method == "POST" and form.is_valid():
        done = _record(request, form, volunteer=form.cleaned_data["volunteer"])
        if done:
            return done
    return render(request, "disclosures/sar_form.html", {"form": form, "family": None})


def _entry(entry) -> tuple:
    """(label, text, segments): text None when it is never shown on a screen; segments for
    free text, to highlight what the export blanks."""
    if not entry.shown:
        return entry.label, None, None
    return entry.label, display(entry.value), entry.segments if entry.value else None


def _detail_page(request, request_: SubjectAccessRequest, **bound):
    items = sar_items(request_, by=request.user)
    reviews = list(request_.reviews.order_by("recorded_at", "pk"))
    decisions = standing_reviews(request_, items)  # a release of what has changed since: none
    titles = {item.key: item.title for item in items}
    rows = []
    for index, item in enumerate(items):
        review = decisions.get(item.key)
        form = None
        if request_.is_open and review is None:
            form = bound.get("review") if bound.get("review_key") == item.key else None
            form = form or ReviewForm(initial={"item_key": item.key}, auto_id=f"r{index}_%s")
        state = review.decision if review else ("pending" if item.needs_review else "")
        entries = [_entry(e) for e in item.entries]
        rows.append({"item": item, "entries": entries, "state": state, "form": form})
    sections = [(name, list(group)) for name, group in groupby(rows, lambda r: r["item"].section)]
    for review in reviews:
        review.title = titles.get(review.item_key, review.item_key)
        review.changed = review.item_key in titles and review.item_key not in decisions
    context = {
        "sar": request_,
        "sections": sections,
        "reviews": reviews,
        "pending": sum(1 for row in rows if row["state"] == "pending"),
        "days_left": request_.days_left(),
        "identity_form": bound.get("identity") or IdentityForm(auto_id="identity_%s"),
        "extend_form": bound.get("extend") or ExtendForm(auto_id="extend_%s"),
        "close_form": bound.get("close") or CloseForm(auto_id="close_%s"),
    }
    return render(request, "disclosures/sar_detail.html", context)


@login_required
@require_GET
def sar_detail(request, pk: int):
    return _detail_page(request, access.get_sar_for(request.membership, pk))


def _post(request, pk: int, form_class, name: str, action, done: str, auto_id: str):
    """Validate `form_class`, call `action(request_, data)`, and redirect; on error, show the
    detail page with the form and its errors."""
    request_ = access.get_sar_for(request.membership, pk)
    form = form_class(request.POST, auto_id=auto_id)
    if form.is_valid():
        try:
            action(request_, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            request_ = access.get_sar_for(request.membership, pk)
        else:
            messages.success(request, done.format(pk=request_.pk))
            return redirect("sar_detail", pk=request_.pk)
    bound = {name: form}
    if name == "review":
        bound["review_key"] = request.POST.get("item_key", "")
    return _detail_page(request, request_, **bound)


@login_required
@require_POST
def sar_identity(request, pk: int):
    return _post(
        request, pk, IdentityForm, "identity",
        lambda r, d: sar_services.sar_identity_check(
            sar=r, by=request.user, checked_on=d["checked_on"], how=d["how"]
        ),
        "Identity check recorded for request #{pk}.", "identity_%s",
    )  # fmt: skip


@login_required
@require_POST
def sar_extend(request, pk: int):
    return _post(
        request, pk, ExtendForm, "extend",
        lambda r, d: sar_services.sar_extend(sar=r, by=request.user, months=d["months"],
                                             reason=d["reason"]),
        "The deadline of request #{pk} was extended.", "extend_%s",
    )  # fmt: skip


def _decide(by, request_: SubjectAccessRequest, data: dict) -> SarItemReview:
    if data["decision"] == SarItemReview.Decision.RELEASE:
        return sar_services.sar_release_item(sar=request_, by=by, item_key=data["item_key"])
    return sar_services.sar_withhold(
        sar=request_, by=by, item_key=data["item_key"], ground=data["ground"],
        reason=data["reason"],
    )  # fmt: skip


@login_required
@require_POST
def sar_review(request, pk: int):
    return _post(
        request, pk, ReviewForm, "review", lambda r, d: _decide(request.user, r, d),
        "The decision on the item of request #{pk} is recorded.", "id_%s",
    )  # fmt: skip


@login_required
@require_POST
def sar_close(request, pk: int):
    return _post(
        request, pk, CloseForm, "close",
        lambda r, d: sar_services.sar_close(sar=r, by=request.user, reason=d["reason"]),
        "Request #{pk} was closed without release.", "close_%s",
    )  # fmt: skip


@login_required
@require_POST
def sar_restore(request, pk: int, item_pk: int):
    item = access.get_review_for(request.membership, pk, item_pk)
    try:
        sar_services.sar_restore(item=item, by=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The decision on the item of request #{pk} is undone.")
    return redirect("sar_detail", pk=pk)


def _download(request, pk: int, fmt: str):
    request_ = access.get_sar_for(request.membership, pk)
    try:
        export = sar_services.sar_release(sar=request_, by=request.user, fmt=fmt)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("sar_detail", pk=pk)
    if fmt == "json":
        response = HttpResponse(export_json(export), content_type="application/json")
    else:
        data = sar_pdf(export, title=f"Subject access export #{request_.pk}")
        response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sar-{request_.pk}.{fmt}"'
    return response


@login_required
@require_POST
def sar_export_json(request, pk: int):
    return _download(request, pk, "json")


@login_required
@require_POST
def sar_export_pdf(request, pk: int):
    return _download(request, pk, "pdf")
