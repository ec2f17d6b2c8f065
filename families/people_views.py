"""The forms that change a family's people: its adults and children, keep-apart flags
between two adults, and each adult's acknowledgement of the centre rules.

Every family is read through families/access.py (a 404 outside the coordinator's centre) and
every write goes through families/services.py. The adult's edit form never shows the stored
address, phone or email.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cccc.forms import add_service_errors
from families import services
from families.access import families_for, get_family_for
from families.duplicates import duplicates_of, unconfirmed
from families.forms import AcknowledgementForm, AdultForm, ChildForm, KeepApartForm
from families.models import Adult, Child, Family, KeepApart
from families.views import form_page

# --- people -------------------------------------------------------------------------------------

# Who a person is to the duplicate check: an edit that changes none of these is not checked
# again (the same parent may be in two families, with a child of each).
IDENTITY_FIELDS = {"first_name", "last_name", "date_of_birth"}


def _save_person(request, form, save, family: Family, what: str):
    """Validate a person's form, warn of another family of the centre with this person in
    it until the coordinator confirms (families/duplicates.py), save through the service, or
    explain every error."""
    form.duplicates = []
    if request.method == "POST" and form.is_valid():
        person = form.instance
        renamed = person.pk is None or bool(IDENTITY_FIELDS & set(form.changed_data))
        found = renamed and duplicates_of(
            request.membership,
            adults=[person] if isinstance(person, Adult) else [],
            children=[person] if isinstance(person, Child) else [],
            exclude=family.pk,
        )
        form.duplicates = unconfirmed(request, found or [])
        if form.duplicates:
            return None
        try:
            save(person)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{what} saved.")
            return redirect("family_detail", pk=family.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def adult_add(request, pk: int):
    family = get_family_for(request.membership, pk)
    form = AdultForm(request.POST or None, instance=Adult(family=family))
    done = _save_person(
        request, form, lambda a: services.adult_save(adult=a), family, "The adult's details"
    )
    return done or form_page(
        request, form, family=family, title=f"Add an adult to {family.reference}", submit="Add"
    )


@login_required
@require_http_methods(["GET", "POST"])
def adult_edit(request, pk: int, adult_pk: int):
    family = get_family_for(request.membership, pk)
    adult = get_object_or_404(family.adults, pk=adult_pk)
    form = AdultForm(request.POST or None, instance=adult)
    done = _save_person(
        request, form, lambda a: services.adult_save(adult=a), family, "The adult's details"
    )
    return done or form_page(
        request,
        form,
        family=family,
        title=f"Edit the {adult.get_role_display().lower()} of {family.reference}",
        submit="Save",
        intro="The stored address, phone and email are not shown here. Type a new value to "
        "replace one, or tick it under 'Remove stored details' to clear it.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_add(request, pk: int):
    family = get_family_for(request.membership, pk)
    form = ChildForm(request.POST or None, instance=Child(family=family))
    done = _save_person(
        request, form, lambda c: services.child_save(child=c), family, "The child's details"
    )
    return done or form_page(
        request, form, family=family, title=f"Add a child to {family.reference}", submit="Add"
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request, pk: int, child_pk: int):
    family = get_family_for(request.membership, pk)
    child = get_object_or_404(family.children, pk=child_pk)
    form = ChildForm(request.POST or None, instance=child)
    done = _save_person(
        request, form, lambda c: services.child_save(child=c), family, "The child's details"
    )
    return done or form_page(
        request, form, family=family, title=f"Edit a child of {family.reference}", submit="Save"
    )


# --- keep-apart flags and rules acknowledgements ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def keep_apart_add(request, pk: int):
    family = get_family_for(request.membership, pk)
    form = KeepApartForm(
        request.POST or None, family=family, families=families_for(request.membership)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.keep_apart_flag(
                first=form.cleaned_data["adult"],
                second=form.cleaned_data["second"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The two adults will be kept apart.")
            return redirect("family_detail", pk=family.pk)
    return form_page(
        request,
        form,
        family=family,
        title=f"Keep two adults of {family.reference} apart",
        submit="Flag the pair",
        intro="Sessions will never put these two adults in the building at the same time. "
        "The other adult may belong to this family or to another family at this centre.",
    )


@login_required
@require_POST
def keep_apart_remove(request, pk: int, flag_pk: int):
    family = get_family_for(request.membership, pk)
    flag = get_object_or_404(
        KeepApart.objects.touching(family.adults.values("pk")),
        pk=flag_pk,
    )
    services.keep_apart_remove(flag=flag)
    messages.success(request, "The keep-apart flag was removed.")
    return redirect("family_detail", pk=family.pk)


@login_required
@require_http_methods(["GET", "POST"])
def acknowledgement_add(request, pk: int, adult_pk: int):
    family = get_family_for(request.membership, pk)
    adult = get_object_or_404(family.adults, pk=adult_pk)
    form = AcknowledgementForm(
        request.POST or None, initial={"acknowledged_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.acknowledgement_record(adult=adult, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The rules acknowledgement was recorded.")
            return redirect("family_detail", pk=family.pk)
    return form_page(
        request,
        form,
        family=family,
        title=f"Rules acknowledged by the {adult.get_role_display().lower()} of {family.reference}",
        submit="Record",
        intro=f"Version {request.membership.centre.rules_version} of the centre rules. Both rules "
        "must be accepted (CHE-1).",
    )
