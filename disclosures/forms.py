"""Forms for disclosures. They check what was typed; what may be released is decided by
disclosures/policy.py through the services (disclosures/*_services.py), never here.

Which grounds a form offers (the law's requirement, the two exceptions) is read from the
policy table, so a centre is offered only what its own policy variant has."""

import datetime

from django import forms
from django.utils import timezone

from cccc.fields import text_limit
from disclosures import policy
from disclosures.attendance_services import MAX_RANGE_DAYS
from disclosures.models import (
    CategoryChoice,
    ConsentGrant,
    ContactItem,
    DisclosureRequest,
    GroundChoice,
    LegalBasis,
    RequesterType,
    SubjectTold,
    Via,
)
from families.forms import looks_like_reference

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def table_offers(variant: policy.Variant, category: str, ground: policy.Ground) -> bool:
    """Whether the policy table has `ground` as an exception for `category` in `variant`."""
    return ground in policy.VARIANTS[variant].exceptions and any(
        exception.ground == ground
        for row in policy.POLICY_TABLE
        if row.category == category
        for exception in row.exceptions
    )


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        error_messages={"invalid": "Enter a date like 2026-03-31."},
        **kwargs,
    )


# --- the referrer's attendance request --------------------------------------------------------


class AttendanceRangeForm(forms.Form):
    date_from = _date_field("From")
    date_to = _date_field("To", help_text="At most two years. Sessions after today are not shown.")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", "The end date must be on or after the start date.")
            elif (end - start).days > MAX_RANGE_DAYS:
                self.add_error("date_to", "Ask for at most two years at a time.")
        return data


# --- the coordinator's requests ---------------------------------------------------------------


NO_SUCH_FAMILY = "No family of this centre has that reference."


class FamilyReferenceField(forms.CharField):
    """A family's reference, typed; the form resolves it with `family_by_reference`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", "For example CHI-2026-0042.")
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value).strip().upper()
        if text and not looks_like_reference(text):
            raise forms.ValidationError("That does not look like a family reference.")
        return text


def family_by_reference(families, reference: str):
    """The family with `reference` among `families`, the ones the user may see
    (families.access.families_for), passed in by the view. One message for a family of another
    centre, one the user may not see and one that does not exist, so that nobody learns which
    references exist."""
    family = families.filter(reference=reference).first()
    if family is None:
        raise forms.ValidationError(NO_SUCH_FAMILY)
    return family


class FamilyReferenceForm(forms.Form):
    """The family a request or an exception is about; cleaned_data["family"] is the family."""

    reference = FamilyReferenceField(
        label="Family reference", error_messages={"required": "Type the family's reference."}
    )

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.families = families

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"]
        self.cleaned_data["family"] = family_by_reference(self.families, reference)
        return reference


def person_choices(family) -> list[tuple[str, str]]:
    """The family's adults and children, by role and first name (the coordinator's view)."""
    choices = [("", "Nobody in particular / the whole family")]
    choices += [
        (f"adult-{a.pk}", f"{a.get_role_display()}: {a.first_name}") for a in family.adults.all()
    ]
    choices += [(f"child-{c.pk}", f"Child: {c.first_name}") for c in family.children.all()]
    return choices


class _PersonMixin:
    def _person(self, value: str):
        """('adult'|'child'|None, pk) from a choice value."""
        if not value:
            return None, None
        kind, _, pk = value.partition("-")
        return kind, int(pk)

    def subject(self, family):
        kind, pk = self._person(self.cleaned_data.get("person", ""))
        adult = family.adults.get(pk=pk) if kind == "adult" else None
        child = family.children.get(pk=pk) if kind == "child" else None
        return adult, child


# A person asking for their own data makes a subject access request (sar_services.py): its
# identity check, deadline and withheld items are not part of a general request.
REQUESTERS = [c for c in RequesterType.choices if c[0] != RequesterType.DATA_SUBJECT]
# A person's own arrangements are released by their letter (letter_services.py), never asked.
CATEGORIES = [
    c
    for c in CategoryChoice.choices
    if c[0] not in (CategoryChoice.OWN_DATA, CategoryChoice.OWN_ARRANGEMENTS)
]


class RequestForm(_PersonMixin, forms.Form):
    requester_type = forms.ChoiceField(
        label="Who is asking", choices=[("", "Choose..."), *REQUESTERS]
    )
    requester_name = forms.CharField(label="Their name", max_length=200, required=False)
    requester_agency = forms.CharField(label="Their agency or firm", max_length=200, required=False)
    received_via = forms.ChoiceField(
        label="Received by", choices=[c for c in Via.choices if c[0] != Via.PORTAL]
    )
    received_on = _date_field("Received on")
    category = forms.ChoiceField(
        label="What they ask for",
        choices=[("", "Choose..."), *CATEGORIES],
        help_text="A person asking for their own data makes a subject access request.",
    )
    contact_items = forms.MultipleChoiceField(
        label="Which contact details",
        choices=ContactItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only when they ask for a parent's contact details.",
    )
    person = forms.ChoiceField(label="Person concerned", required=False)
    detail = forms.CharField(
        label="What exactly they asked",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        **text_limit(),
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = person_choices(family)

    def clean_received_on(self) -> datetime.date:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("A request cannot be received in the future.")
        return day

    def clean(self):
        data = super().clean()
        if data.get("category") == CategoryChoice.CONTACT_DETAILS:
            if not data.get("contact_items"):
                self.add_error("contact_items", "Choose which details are asked for.")
            if not (data.get("person") or "").startswith("adult-"):
                self.add_error("person", "Choose the adult whose contact details are asked.")
        return data


class DecisionForm(forms.Form):
    permitted = forms.TypedChoiceField(
        label="Your decision",
        choices=[("yes", "Release (permitted)"), ("no", "Refuse")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    consent_grant = forms.ModelChoiceField(
        label="The parent's consent",
        queryset=ConsentGrant.objects.none(),
        required=False,
        help_text="A live consent of this adult for this recipient and these details.",
    )
    required_by_law = forms.BooleanField(label="Disclosure is required by law", required=False)
    # A release required by law names its basis, who asked and why (issue 14, CHI-4.5).
    legal_basis = forms.ChoiceField(
        label="Legal basis",
        required=False,
        choices=[("", "Choose"), *[c for c in LegalBasis.choices if c[0] != "not_recorded"]],
    )
    legal_reference = forms.CharField(
        label="Reference of the order or statute",
        max_length=200,
        required=False,
        help_text="For example the case number and date of the order, or the section.",
    )
    legal_authority = forms.CharField(
        label="Authority asking", max_length=200, required=False, help_text="Court, body, office."
    )
    legal_reason = forms.CharField(
        label="Why the law requires this release",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        **text_limit(),
    )
    exception = forms.ChoiceField(
        label="Exception (break-glass)",
        required=False,
        help_text="Only to Children's Services or the police. The chair is told at once.",
    )
    reason = forms.CharField(
        label="Why the exception applies",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        **text_limit(),
    )
    released = forms.CharField(
        label="What was released",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Exactly what was given, to whom and how. Leave empty for a refusal.",
        **text_limit(),
    )
    subject_told = forms.ChoiceField(
        label="Was the person concerned told?",
        choices=SubjectTold.choices,
        widget=forms.RadioSelect,
        initial=SubjectTold.NOT_YET,
    )
    subject_told_on = _date_field("Told on", required=False)

    def __init__(self, *args, request: DisclosureRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("permitted", "yes" if request.proposed_permitted else "no")
        variant = policy.Variant(request.centre.policy_variant)
        category = request.category
        if request.subject_adult_id and category == CategoryChoice.CONTACT_DETAILS:
            grants = request.subject_adult.consent_grants.all()
            self.fields["consent_grant"].queryset = grants
            self.fields["consent_grant"].label_from_instance = _grant_label
        else:
            del self.fields["consent_grant"]
        if not table_offers(variant, category, policy.Ground.REQUIRED_BY_LAW):
            for name in LEGAL_FIELDS:
                del self.fields[name]
        exceptions = [
            (g.value, GroundChoice(g.value).label)
            for g in sorted(policy.BREAK_GLASS)
            if table_offers(variant, category, g)
        ]
        if exceptions:
            self.fields["exception"].choices = [("", "None"), *exceptions]
        else:
            del self.fields["exception"]
            del self.fields["reason"]


LEGAL_FIELDS = ["required_by_law", "legal_basis", "legal_reference", "legal_authority",
                "legal_reason"]  # fmt: skip


def _grant_label(grant: ConsentGrant) -> str:
    agency = f" ({grant.recipient_agency})" if grant.recipient_agency else ""
    return (
        f"{grant.recipient_name}{agency}: {grant.items_display()}, given "
        f"{grant.given_on:%d/%m/%Y} ({grant.get_status_display().lower()})"
    )


class BreakGlassForm(_PersonMixin, forms.Form):
    exception = forms.ChoiceField(
        label="Exception",
        choices=[(g.value, GroundChoice(g.value).label) for g in sorted(policy.BREAK_GLASS)],
        widget=forms.RadioSelect,
    )
    recipient = forms.ChoiceField(
        label="Released to",
        choices=[
            (r.value, RequesterType(r.value).label) for r in sorted(policy.BREAK_GLASS_RECIPIENTS)
        ],
        widget=forms.RadioSelect,
    )
    recipient_name = forms.CharField(
        label="Officer or social worker's name", max_length=200, required=False
    )
    recipient_agency = forms.CharField(
        label="Their team or station", max_length=200, required=False
    )
    via = forms.ChoiceField(
        label="Released by", choices=[c for c in Via.choices if c[0] != Via.PORTAL]
    )
    category = forms.ChoiceField(label="What was released")
    contact_items = forms.MultipleChoiceField(
        label="Which contact details",
        choices=ContactItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    person = forms.ChoiceField(label="Person concerned", required=False)
    reason = forms.CharField(
        label="Why the exception applies",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required. The facts that make you believe a child is at risk of harm or "
        "someone is at risk of physical violence.",
        **text_limit(),
    )
    released = forms.CharField(
        label="What was released",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required. Exactly what was given.",
        **text_limit(),
    )
    subject_told = forms.ChoiceField(
        label="Was the person concerned told?",
        choices=SubjectTold.choices,
        widget=forms.RadioSelect,
        initial=SubjectTold.NOT_YET,
    )
    subject_told_on = _date_field("Told on", required=False)

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = person_choices(family)
        variant = policy.Variant(family.centre.policy_variant)
        self.fields["category"].choices = [
            (value, label)
            for value, label in CategoryChoice.choices
            if any(table_offers(variant, value, g) for g in policy.BREAK_GLASS)
        ]


# --- the register -----------------------------------------------------------------------------


class RegisterFilterForm(forms.Form):
    OUTCOMES = [("", "Any"), ("permitted", "Permitted"), ("refused", "Refused"), ("open", "Open")]

    date_from = _date_field("Received from", required=False)
    date_to = _date_field("Received to", required=False)
    requester_type = forms.ChoiceField(
        label="Requester", required=False, choices=[("", "Any"), *RequesterType.choices]
    )
    ground = forms.ChoiceField(
        label="Ground", required=False, choices=[("", "Any"), *GroundChoice.choices]
    )
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=OUTCOMES)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data

    def filter(self, requests):
        if not self.is_valid():
            return requests
        data = self.cleaned_data
        if data["date_from"]:
            requests = requests.filter(received_at__date__gte=data["date_from"])
        if data["date_to"]:
            requests = requests.filter(received_at__date__lte=data["date_to"])
        if data["requester_type"]:
            requests = requests.filter(requester_type=data["requester_type"])
        if data["ground"]:
            requests = requests.filter(ground=data["ground"])
        if data["outcome"] == "open":
            requests = requests.open()
        elif data["outcome"]:
            requests = requests.decided().filter(permitted=data["outcome"] == "permitted")
        return requests
