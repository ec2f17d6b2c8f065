"""Forms for the legal records and subject access. They check what was typed; the services
(disclosures/summons_services.py, police_services.py, assessment_services.py and
sar_services.py) check the rest."""

import datetime

from django import forms
from django.utils import timezone

from cccc.fields import text_limit
from disclosures.forms import FamilyReferenceField, _date_field, family_by_reference
from disclosures.models import SarItemReview, SubjectAccessRequest, Via, WitnessSummons
from families.models import Family
from volunteers.models import Volunteer

VIAS = [c for c in Via.choices if c[0] != Via.PORTAL]
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _not_future(day: datetime.date | None, message: str) -> datetime.date | None:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(message)
    return day


# The court and/or solicitor with their postal addresses.
RECIPIENT_MAX_LENGTH = 1_000


class _FamilyMixin:
    """Turns `family_reference` into `family` (None when left empty) among `self.families`,
    the families the user may see (families.access.families_for), passed in by the view."""

    def clean_family_reference(self):
        reference = self.cleaned_data["family_reference"]
        self.cleaned_data["family"] = None
        if reference:
            self.cleaned_data["family"] = family_by_reference(self.families, reference)
        return reference


def _volunteer_label(volunteer: Volunteer) -> str:
    return f"{volunteer.full_name} ({volunteer.get_status_display().lower()})"


def _volunteers(centre):
    return Volunteer.objects.filter(centre=centre).select_related("data_key").order_by("pk")


# --- witness summons --------------------------------------------------------------------------


class SummonsForm(_FamilyMixin, forms.Form):
    court = forms.CharField(label="Court", max_length=200, help_text="As named on the summons.")
    case_number = forms.CharField(label="Case number", max_length=60)
    received_on = _date_field("Received on")
    served = forms.ChoiceField(
        label="Served on", choices=WitnessSummons.Served.choices, widget=forms.RadioSelect
    )
    volunteer = forms.ModelChoiceField(
        label="Which volunteer",
        queryset=Volunteer.objects.none(),
        required=False,
        help_text="When it was served on a volunteer: their record is then kept while the "
        "summons is open.",
    )
    hearing_on = _date_field("Hearing date", required=False)
    recipient = forms.CharField(
        label="Write to",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The court and/or the solicitor who asked for the summons, with the postal "
        "address: the letter is addressed to them.",
        **text_limit(RECIPIENT_MAX_LENGTH),
    )
    family_reference = FamilyReferenceField(
        label="Family reference", required=False, help_text="If you know which family it is."
    )
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Kept encrypted. Seen by the coordinator and the chair.",
        **text_limit(),
    )

    def __init__(self, *args, centre, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.families = families  # legal_access.summons_families_for
        self.fields["volunteer"].queryset = _volunteers(centre)
        self.fields["volunteer"].label_from_instance = _volunteer_label
        self.fields["received_on"].initial = timezone.localdate()

    def clean_received_on(self):
        return _not_future(
            self.cleaned_data["received_on"], "A summons cannot be received in the future."
        )

    def clean(self):
        data = super().clean()
        if data.get("volunteer") and data.get("served") != WitnessSummons.Served.VOLUNTEER:
            self.add_error("volunteer", "Name a volunteer only when the summons was served on one.")
        received, hearing = data.get("received_on"), data.get("hearing_on")
        if received and hearing and hearing < received:
            self.add_error("hearing_on", "The hearing cannot be before the summons was received.")
        return data


class ChecklistForm(forms.Form):
    letter_produced = forms.BooleanField(
        label="The letter has been produced and sent to the court or solicitor", required=False
    )
    naccc_informed_on = _date_field("NACCC office informed on", required=False)
    solicitor_consulted_on = _date_field("Committee's solicitor consulted on", required=False)
    outcome = forms.ChoiceField(label="The court's answer", choices=WitnessSummons.Outcome.choices)
    close = forms.BooleanField(
        label="Close the summons: nothing more to do (this ends the legal hold on the family)",
        required=False,
    )

    def __init__(self, *args, summons: WitnessSummons, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "letter_produced": summons.letter_produced_at is not None,
                "naccc_informed_on": summons.naccc_informed_on,
                "solicitor_consulted_on": summons.solicitor_consulted_on,
                "outcome": summons.outcome,
            },
        )
        super().__init__(*args, **kwargs)

    def _past(self, name):
        return _not_future(self.cleaned_data[name], "This cannot be done in the future.")

    def clean_naccc_informed_on(self):
        return self._past("naccc_informed_on")

    def clean_solicitor_consulted_on(self):
        return self._past("solicitor_consulted_on")

    def clean(self):
        data = super().clean()
        if data.get("close") and data.get("outcome") == WitnessSummons.Outcome.PENDING:
            self.add_error("outcome", "Record the court's answer before closing the summons.")
        return data


# --- police at the centre -----------------------------------------------------------------------


class PoliceVisitForm(_FamilyMixin, forms.Form):
    date = _date_field("Date")
    time = forms.TimeField(
        label="Time", widget=TIME, error_messages={"invalid": "Enter a time like 14:30."}
    )
    officer_name = forms.CharField(label="Officer's name", max_length=200, required=False)
    officer_number = forms.CharField(
        label="Collar or warrant number", max_length=40, required=False
    )
    emergency = forms.BooleanField(label="They were called to an emergency", required=False)
    order_to_serve = forms.BooleanField(label="They came to serve an order", required=False)
    purpose = forms.CharField(
        label="Why they came", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    outcome = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text="For example: asked to serve the order elsewhere, and left.",
    )
    family_reference = FamilyReferenceField(
        label="Family reference", required=False, help_text="If the visit concerned a family."
    )

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.families = families
        now = timezone.localtime()
        self.fields["date"].initial = now.date()
        self.fields["time"].initial = now.strftime("%H:%M")

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            occurred = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
            if occurred > timezone.now() + datetime.timedelta(minutes=5):
                self.add_error("date", "A visit cannot be recorded before it happens.")
            data["occurred_at"] = occurred
        return data


# --- assessment agreements ----------------------------------------------------------------------


class AssessmentAgreementForm(_FamilyMixin, forms.Form):
    family_reference = FamilyReferenceField(label="Family reference")
    agency = forms.CharField(
        label="Agency",
        max_length=200,
        help_text="As it will give its name when it asks, e.g. 'CAFCASS South'. Its requests to "
        "assess this family are permitted only while the agreement runs.",
    )
    valid_from = _date_field("From")
    valid_until = _date_field("Until", help_text="The last day the agreement covers.")
    terms = forms.CharField(
        label="What was agreed",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Rooms, days, who attends. Kept encrypted.",
        **text_limit(),
    )

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.families = families

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "The agreement must end on or after the day it starts.")
        return data


# --- subject access -----------------------------------------------------------------------------


class SarStartForm(_FamilyMixin, forms.Form):
    family_reference = FamilyReferenceField(
        label="Family reference", error_messages={"required": "Type the family's reference."}
    )

    def __init__(self, *args, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.families = families


class _SarFields(forms.Form):
    received_on = _date_field("Received on")
    received_via = forms.ChoiceField(label="Received by", choices=VIAS)
    identity_checked_on = _date_field(
        "Identity checked on", required=False, help_text="Leave empty until it has been."
    )
    identity_check = forms.ChoiceField(
        label="How the identity was checked",
        choices=[("", "Not yet"), *SubjectAccessRequest.IdentityCheck.choices],
        required=False,
    )

    def clean_received_on(self):
        return _not_future(
            self.cleaned_data["received_on"], "A request cannot be received in the future."
        )


class SarAdultForm(_SarFields):
    adult = forms.ChoiceField(label="Who is asking")
    field_order = ["adult"]

    def __init__(self, *args, family: Family, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["adult"].choices = [
            (str(a.pk), f"{a.get_role_display()}: {a.first_name} {a.last_name}")
            for a in family.adults.select_related("family__data_key")
        ]
        self.fields["received_on"].initial = timezone.localdate()

    def clean_adult(self):
        return self.family.adults.get(pk=int(self.cleaned_data["adult"]))


class SarVolunteerForm(_SarFields):
    volunteer = forms.ModelChoiceField(label="Which volunteer", queryset=Volunteer.objects.none())
    field_order = ["volunteer"]

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = _volunteers(centre)
        self.fields["volunteer"].label_from_instance = _volunteer_label
        self.fields["received_on"].initial = timezone.localdate()


class IdentityForm(forms.Form):
    checked_on = _date_field("Identity checked on")
    how = forms.ChoiceField(label="How", choices=SubjectAccessRequest.IdentityCheck.choices)


class ExtendForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Extend the deadline by",
        choices=[(1, "One month"), (2, "Two months")],
        coerce=int,
        help_text="In all, from the first deadline. The law allows up to two months more for "
        "complex or numerous requests; tell the person within the first month.",
    )
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 2}), **text_limit())


class ReviewForm(forms.Form):
    """One item's review: release it, or withhold it on a ground with a reason (the service,
    `sar_review`, says what is missing)."""

    item_key = forms.CharField(widget=forms.HiddenInput, max_length=60)
    decision = forms.ChoiceField(
        label="Decision", choices=SarItemReview.Decision.choices, widget=forms.RadioSelect
    )
    ground = forms.ChoiceField(
        label="Why withheld",
        choices=[("", "Not withheld"), *SarItemReview.Ground.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Reason (when withheld)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Close without release because",
        choices=SubjectAccessRequest.CloseReason.choices,
        widget=forms.RadioSelect,
    )
