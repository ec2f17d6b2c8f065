"""The audit trail read by the centre's chair and coordinator (issue 14, point 5).

Who, what kind of entry, which record (by type and number, never its values) and when, with
the chain's state above the list, computed by `verify_chain` as `verify_audit_chain` does, from
the last intact check on (cccc.models.AuditCheckpoint).
Opening the page, or downloading it, is itself an entry. cccc/ knows no domain app: a record
is named through the app registry, by its model's name and number.
"""

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from cccc.access import require_role
from cccc.audit import access_log_record, record_checkpoint, verify_chain
from cccc.csv_safe import csv_writer
from cccc.form_drawing import draw_fields
from cccc.models import AccessLog, Centre, Membership, Role, User

PER_PAGE = 50


class AuditFilterForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    kind = forms.ChoiceField(required=False)
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, centre: Centre, **kwargs):
        super().__init__(*args, **kwargs)
        # The centre's own people, and operators (who invite and deactivate its accounts).
        self.fields["person"].queryset = (
            User.objects.filter(Q(memberships__centre=centre) | Q(memberships__role=Role.OPERATOR))
            .distinct()
            .only("pk", "full_name", "email")
        )
        self.fields["kind"].choices = [("", "Any kind"), *AccessLog.Action.choices]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("The start date is after the end date.")
        return data


def entries_for(centre: Centre, form: AuditFilterForm):
    entries = AccessLog.objects.filter(centre=centre).select_related("user")
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("person"):
        entries = entries.filter(user=data["person"])
    if data.get("kind"):
        entries = entries.filter(action=data["kind"])
    if data.get("since"):
        entries = entries.filter(at__date__gte=data["since"])
    if data.get("until"):
        entries = entries.filter(at__date__lte=data["until"])
    return entries.only(
        "seq", "at", "action", "record_type", "record_id", "detail",
        "user__full_name",
    )  # fmt: skip


def roles_at(centre: Centre) -> dict[int, str]:
    """{person: their role at this centre} (an operator: Operator): each entry of the centre's
    trail names the role its person holds there, never one they hold elsewhere (issue 19)."""
    rows = Membership.objects.filter(Q(centre=centre) | Q(role=Role.OPERATOR))
    return {user_id: Role(role).label for user_id, role in rows.values_list("user_id", "role")}


def record_label(record_type: str) -> str:
    try:
        return apps.get_model(record_type)._meta.verbose_name.capitalize()
    except (LookupError, ValueError):
        return record_type


# --- drawing ---------------------------------------------------------------------------------
# The page draws its fifty rows here rather than with a template filter per cell, and its
# filter form with cccc.form_drawing rather than the widget templates (a template per option:
# with the rows, about a third of the page's time); the HTML is the same
# (tests/cccc/test_audit_trail_drawing.py). Every text goes through `escape`; the rest is
# numbers and fixed text.


def draw_rows(entries, roles: dict[int, str]) -> list[SafeString]:
    """Each entry's row, its time in the centre's time zone as `date:"j M Y H:i"` showed it."""
    months = [""] + [str(MONTHS_3[n]).title() for n in range(1, 13)]
    actions = dict(AccessLog.Action.choices)
    labels: dict[str, str] = {}
    rows = []
    for entry in entries:
        at = timezone.localtime(entry.at)
        kind = entry.record_type
        if kind not in labels:
            labels[kind] = record_label(kind)
        action = actions.get(entry.action, entry.action)
        rows.append(
            mark_safe(  # noqa: S308 - every text escaped, numbers and fixed text
                f"<tr><td>#{entry.seq}</td>"
                f"<td>{at.day} {months[at.month]} {at.year} {at.hour:02d}:{at.minute:02d}</td>"
                f"<td>{escape(entry.user.full_name)} "
                f'<small class="text-muted">{escape(roles.get(entry.user_id, ""))}</small></td>'
                f"<td>{escape(action)}</td>"
                f"<td>{escape(labels[kind])} #{escape(entry.record_id)}</td>"
                f"<td><small>{escape(entry.detail)}</small></td></tr>"
            )
        )
    return rows


def _open(request) -> tuple[Centre, AuditFilterForm]:
    require_role(request.membership, Role.CHAIR, Role.COORDINATOR)
    centre = request.membership.centre
    return centre, AuditFilterForm(request.GET or None, centre=centre)


@login_required
@require_GET
def audit_trail(request):
    centre, form = _open(request)
    with transaction.atomic():
        access_log_record(
            user=request.user, action=AccessLog.Action.VIEW_AUDIT, record=centre, centre=centre
        )
    # Only the entries since the last intact check (the nightly verify_audit_chain walks the
    # whole chain): the page's cost does not grow with the trail's length.
    chain = verify_chain(since_checkpoint=True)
    record_checkpoint(chain)
    page = Paginator(entries_for(centre, form), PER_PAGE).get_page(request.GET.get("page"))
    rows = draw_rows(page, roles_at(centre))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "filter": draw_fields(form), "chain": chain, "page": page, "rows": rows,
        "query": query.urlencode(),
    }  # fmt: skip
    return render(request, "cccc/audit_trail.html", context)


@login_required
@require_GET
def audit_trail_csv(request):
    centre, form = _open(request)
    with transaction.atomic():
        access_log_record(
            user=request.user,
            action=AccessLog.Action.VIEW_AUDIT,
            record=centre,
            centre=centre,
            detail="csv",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    writer = csv_writer(response)
    writer.writerow(["Entry", "When", "Who", "Role", "Kind", "Record type", "Record", "Detail"])
    roles = roles_at(centre)
    for entry in entries_for(centre, form).iterator(chunk_size=2000):
        writer.writerow(
            [
                entry.seq,
                entry.at.isoformat(),
                entry.user.full_name,
                roles.get(entry.user_id, ""),
                entry.get_action_display(),
                entry.record_type,
                entry.record_id,
                entry.detail,
            ]
        )
    return response
