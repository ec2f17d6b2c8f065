"""The coordinator's subject access pages (CHE-DP6, CHE-SAR): log a request, check identity,
extend the deadline, review every item held, withhold items with a reason, and download the
export (JSON and PDF). Downloads are POSTs: each records the release and an audit entry.

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
    SarAdultForm,
    SarStartForm,
    SarVolunteerForm,
    WithholdForm,
)
from disclosures.models import SubjectAccessRequest
from disclosures.pdf import sar_pdf
from disclosures.sar_compile import sar_items
from disclosures.sar_export import display, export_json
from families.access import families_for, get_family_for

LIST_LIMIT = 100


@login_required
@require_GET
def sar_list(request):
    require_role(request.user, Role.COORDINATOR)
    requests = access.sars_for(request.user).select_related("family", "adult")
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
    require_role(request.user, Role.COORDINATOR)
    form = SarStartForm(request.GET or None, families=families_for(request.user))
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
    family = get_family_for(request.user, pk)
    form = SarAdultForm(request.POST or None, family=family)
    if request.method == "POST" and form.is_valid():
        done = _record(request, form, adult=form.cleaned_data["adult"])
        if done:
            return done
    return render(request, "disclosures/sar_form.html", {"form": form, "family": family})


@login_required
@require_http_methods(["GET", "POST"])
def sar_create_volunteer(request):
    require_role(request.user, Role.COORDINATOR)
    form = SarVolunteerForm(request.POST or None, centre=request.user.centre)
    if request.method == "POST" and form.is_valid():
        done = _record(request, form, volunteer=form.cleaned_data["volunteer"])
        if done:
            return done
    return render(request, "disclosures/sar_form.html", {"form": form, "family": None})


def _detail_page(request, request_: SubjectAccessRequest, **bound):
    items = sar_items(request_, by=request.user)
    withheld = list(request_.withheld.order_by("recorded_at", "pk"))
    withheld_keys = {w.item_key for w in withheld}
    titles = {item.key: item.title for item in items}
    rows = []
    for index, item in enumerate(items):
        form = None
        if request_.is_open and item.key not in withheld_keys:
            form = bound.get("withhold") if bound.get("withhold_key") == item.key else None
            form = form or WithholdForm(initial={"item_key": item.key}, auto_id=f"w{index}_%s")
        entries = [(e.label, display(e.value) if e.shown else None) for e in item.entries]
        rows.append(
            {"item": item, "entries": entries, "withheld": item.key in withheld_keys, "form": form}
        )
    sections = [(name, list(group)) for name, group in groupby(rows, lambda r: r["item"].section)]
    for entry in withheld:
        entry.title = titles.get(entry.item_key, entry.item_key)
    context = {
        "sar": request_,
        "sections": sections,
        "withheld": withheld,
        "days_left": request_.days_left(),
        "identity_form": bound.get("identity") or IdentityForm(auto_id="identity_%s"),
        "extend_form": bound.get("extend") or ExtendForm(auto_id="extend_%s"),
        "close_form": bound.get("close") or CloseForm(auto_id="close_%s"),
    }
    return render(request, "disclosures/sar_detail.html", context)


@login_required
@require_GET
def sar_detail(request, pk: int):
    return _detail_page(request, access.get_sar_for(request.user, pk))


def _post(request, pk: int, form_class, name: str, action, done: str, auto_id: str):
    """Validate `form_class`, call `action(request_, data)`, and redirect; on error, show the
    detail page with the form and its errors."""
    request_ = access.get_sar_for(request.user, pk)
    form = form_class(request.POST, auto_id=auto_id)
    if form.is_valid():
        try:
            action(request_, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            request_ = access.get_sar_for(request.user, pk)
        else:
            messages.success(request, done.format(pk=request_.pk))
            return redirect("sar_detail", pk=request_.pk)
    bound = {name: form}
    if name == "withhold":
        bound["withhold_key"] = request.POST.get("item_key", "")
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


@login_required
@require_POST
def sar_withhold(request, pk: int):
    return _post(
        request, pk, WithholdForm, "withhold",
        lambda r, d: sar_services.sar_withhold(sar=r, by=request.user, item_key=d["item_key"],
                                               ground=d["ground"], reason=d["reason"]),
        "The item is withheld from request #{pk}, with its reason.", "id_%s",
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
    item = access.get_withheld_for(request.user, pk, item_pk)
    try:
        sar_services.sar_restore(item=item, by=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The item is back in the export of request #{pk}.")
    return redirect("sar_detail", pk=pk)


def _download(request, pk: int, fmt: str):
    request_ = access.get_sar_for(request.user, pk)
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
