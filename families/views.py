"""The coordinator's family pages: the list and search, a new family, a family's page (with
the logged reveal of an adult's contact details) and its status.

The forms that change a family's people are in families/people_views.py, its concerns in
families/concern_views.py, the reveal in families/reveal_views.py. Every family is read through
families/access.py (a 404 outside the coordinator's centre) and every write goes through
families/services.py. Addresses, phones and emails appear only on the family page drawn right
after an explicit, logged reveal.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cccc import crypto
from cccc.access import require_role
from cccc.forms import add_service_errors
from cccc.models import Role
from families import name_index, services
from families.access import families_for, get_family_for
from families.duplicates import confirm_value
from families.forms import (
    ConcernCloseForm,
    FamilyFilterForm,
    FamilyForm,
    FamilySearchForm,
    looks_like_reference,
)
from families.mail_services import mail_problems_for
from families.models import (
    Adult,
    Child,
    Concern,
    ContactSession,
    EmailConsent,
    Family,
    KeepApart,
    Referral,
)
from families.models.concern import raised_as_volunteer
from families.models.family import DESTROYED_SIDE
from families.names import add_names
from families.reveal_views import revealed_adult_id
from families.search import matching_family_ids
from families.session_rows import session_rows

FAMILIES_PER_PAGE = 25
SESSIONS_SHOWN = 10
# The term searched for, between the search and its results: sealed (cccc.crypto.seal_transient),
# never plaintext in the session row; every stored search goes when retention destroys a family.
SEARCH_SESSION_KEY = "family_search"
SEARCH_CONTEXT = "family search"


def _search_context(membership) -> str:
    """Sealed for the membership it was typed in: working as another centre, a search typed
    at the first is neither shown nor run (it has expired, as far as the page can tell)."""
    return f"{SEARCH_CONTEXT} {membership.pk}"


# --- the list and search ------------------------------------------------------------------------


def _count_of(model, **filters):
    rows = (
        model.objects.filter(family=OuterRef("pk"), **filters)
        .order_by()
        .values("family")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _upcoming_sessions():
    """The booked sessions, from today on, of the family on the outer row."""
    return ContactSession.objects.filter(
        family=OuterRef("pk"), date__gte=timezone.localdate(), status=ContactSession.Status.BOOKED
    )


def _attention(centre) -> dict:
    """The "needs attention" conditions, as EXISTS expressions on a family row. The rules
    version is the centre's own, as a constant, so each check stays inside one family."""
    today = timezone.localdate()
    unacknowledged = Adult.objects.filter(family=OuterRef("pk")).unacknowledged(
        centre.rules_version
    )
    return {
        "has_open_concern": Exists(
            Concern.objects.filter(family=OuterRef("pk"), status=Concern.Status.OPEN)
        ),
        "has_unacknowledged": Exists(unacknowledged),
        "has_review_due": Exists(Referral.objects.filter(family=OuterRef("pk")).reviews_due(today)),
        "next_session": Subquery(
            _upcoming_sessions()
            .order_by()
            .values("family")
            .annotate(first=Min("date"))
            .values("first")
        ),
    }


def _annotated(families, centre):
    return families.annotate(
        adult_count=_count_of(Adult), child_count=_count_of(Child), **_attention(centre)
    )


def _filtered(families, form, centre):
    if not form.is_valid():
        return families
    status = form.cleaned_data["status"]
    attention = form.cleaned_data["attention"]
    conditions = _attention(centre)
    if status:
        families = families.filter(status=status)
    if attention == "rules":
        families = families.filter(conditions["has_unacknowledged"])
    elif attention == "concern":
        families = families.filter(conditions["has_open_concern"])
    elif attention == "review":
        families = families.filter(conditions["has_review_due"])
    elif attention == "no_session":
        families = families.filter(status=Family.Status.ACTIVE).exclude(
            Exists(_upcoming_sessions())
        )
    return families


@login_required
@require_GET
def family_list(request):
    require_role(request.membership, Role.COORDINATOR)
    centre = request.membership.centre
    filter_form = FamilyFilterForm(request.GET)
    families = _filtered(families_for(request.membership), filter_form, centre)

    reference = request.GET.get("ref", "").strip().upper()[:20]
    searched = request.GET.get("search") == "1"
    term = _stored_term(request) if searched else None
    if reference:
        families = families.filter(reference__startswith=reference)
    if term:
        families = families.filter(
            pk__in=matching_family_ids(families, centre_id=centre.pk, text=term)
        )
    elif searched:
        families = families.none()
    else:
        request.session.pop(SEARCH_SESSION_KEY, None)

    # Count and slice the plain rows first; work out the columns only for the page shown.
    page = Paginator(families.order_by("reference").only("pk"), FAMILIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = Family.objects.filter(pk__in=[f.pk for f in page]).select_related("data_key")
    page.object_list = list(_annotated(shown, centre).order_by("reference"))
    add_names(page.object_list)
    return render(
        request,
        "families/family_list.html",
        {
            "page": page,
            "filter_form": filter_form,
            "search_form": FamilySearchForm(initial={"q": term or ""}),
            "reference": reference,
            "searched": searched,
            "search_expired": searched and not term,
        },
    )


def _stored_term(request) -> str | None:
    sealed = request.session.get(SEARCH_SESSION_KEY)
    if not sealed:
        return None
    try:
        return crypto.open_transient(sealed, context=_search_context(request.membership))
    except crypto.DecryptionError:
        return None  # not a search this installation sealed: ask again


@login_required
@require_POST
def family_search(request):
    """A whole reference, or its start, goes into the list's address; anything else (part of
    a name, part of a reference) never does: it is kept sealed in the session for the list."""
    require_role(request.membership, Role.COORDINATOR)
    form = FamilySearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Type a name or a family reference to search.")
        return redirect("family_list")
    text = form.cleaned_data["q"]
    if looks_like_reference(text):
        request.session.pop(SEARCH_SESSION_KEY, None)
        return redirect(f"{reverse('family_list')}?ref={text.upper()}")
    if not name_index.normalise(text):
        messages.error(request, "Type the letters of a name, or digits of a family reference.")
        return redirect("family_list")
    request.session[SEARCH_SESSION_KEY] = crypto.seal_transient(
        text, context=_search_context(request.membership)
    )
    return redirect(f"{reverse('family_list')}?search=1")


@login_required
@require_http_methods(["GET", "POST"])
def family_create(request):
    require_role(request.membership, Role.COORDINATOR)
    form = FamilyForm(request.POST or None, initial={"status": Family.Status.REFERRED})
    if request.method == "POST" and form.is_valid():
        try:
            family = services.family_create(
                centre=request.membership.centre, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Family {family.reference} created. Now add its people.")
            return redirect("family_detail", pk=family.pk)
    return form_page(request, form, title="New family", submit="Create the family")


# --- a family's page ----------------------------------------------------------------------------


def _family_page(request, family: Family, *, revealed_adult_id: int | None = None):
    today = timezone.localdate()
    # Every adult, child and concern read below hangs off this one instance, so its data key
    # is loaded once and each encrypted value is opened without a further query.
    adults = list(
        family.adults.prefetch_related(
            "acknowledgements",
            Prefetch("email_consents", EmailConsent.objects.live(), to_attr="live_email_consents"),
        )
    )
    rules_version = request.membership.centre.rules_version
    for adult in adults:
        acks = list(adult.acknowledgements.all())
        adult.latest_ack = acks[0] if acks else None
        adult.ack_current = any(a.policy_version == rules_version for a in acks)
        adult.email_consent = next(iter(adult.live_email_consents), None)
    children = list(family.children.all())
    for child in children:
        child.age = child.age_on(today)

    ours = {adult.pk: adult for adult in adults}
    flags = []
    for flag in (
        KeepApart.objects.touching(list(ours))
        .select_related("adult_a__family", "adult_b__family")
        .order_by("created_at", "pk")
    ):
        pair = [flag.adult_a, flag.adult_b]
        # Our own adults by name (from the instances opened above); anyone else only as
        # their family's reference and role; a destroyed record's adult as just that.
        labels = [
            DESTROYED_SIDE if a is None else _adult_name(ours[a.pk]) if a.pk in ours else str(a)
            for a in pair
        ]
        flags.append({"flag": flag, "labels": labels})

    sessions = family.sessions.all()  # read as values, the room's name joined
    context = {
        "family": family,
        "adults": adults,
        "children": children,
        "flags": flags,
        "referrals": family.referrals.all(),
        "session_tables": [
            (
                "Upcoming sessions",
                session_rows(
                    sessions.filter(date__gte=today).order_by("date", "starts_at")[:SESSIONS_SHOWN]
                ),
            ),
            (
                "Recent sessions",
                session_rows(
                    sessions.filter(date__lt=today).order_by("-date", "-starts_at")[:SESSIONS_SHOWN]
                ),
            ),
        ],
        "series": family.series.select_related("room"),
        "concerns": [
            # One close form per concern, each with its own element ids.
            (
                concern,
                ConcernCloseForm(
                    auto_id=f"close-{concern.pk}-%s",
                    answer_to_volunteer=concern.answers_a_volunteer,
                ),
            )
            for concern in family.concerns.filter(status=Concern.Status.OPEN)
            .select_related("raised_by")
            .annotate(raised_as_volunteer=raised_as_volunteer())
        ],
        "rules_version": rules_version,
        "revealed_adult_id": revealed_adult_id,
        # Emails that failed or wait after a failed try (issue 18): the booking stands.
        "mail_problems": list(mail_problems_for(family)),
    }
    return render(request, "families/family_detail.html", context)


def _adult_name(adult: Adult) -> str:
    return f"{adult.first_name} {adult.last_name} ({adult.get_role_display().lower()})"


@login_required
@require_GET
def family_detail(request, pk: int):
    family = get_family_for(request.membership, pk)
    # Right after a logged reveal (families/reveal_views.py): that adult's details, this once.
    return _family_page(request, family, revealed_adult_id=revealed_adult_id(request, family))


@login_required
@require_http_methods(["GET", "POST"])
def family_edit(request, pk: int):
    family = get_family_for(request.membership, pk)
    form = FamilyForm(request.POST or None, initial={"status": family.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.family_update(family=family, status=form.cleaned_data["status"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{family.reference} updated.")
            return redirect("family_detail", pk=family.pk)
    return form_page(
        request, form, family=family, title=f"Status of {family.reference}", submit="Save"
    )


def form_page(request, form, *, title: str, submit: str, family=None, intro: str = ""):
    """The one page every family form is shown on (families/family_form.html), with the
    warning of a family the centre may already have when a person's form found one."""
    duplicates = getattr(form, "duplicates", [])
    return render(
        request,
        "families/family_form.html",
        {
            "form": form,
            "family": family,
            "title": title,
            "submit": submit,
            "intro": intro,
            "duplicates": duplicates,
            "confirm_value": confirm_value(duplicates),
            "confirm_label": "A different person: save anyway",
        },
    )
