"""Forms for the coordinator's family pages. They check what was typed; the writes and the
rules behind them live in families/services.py."""

import re

from django import forms
from django.utils import timezone

from families.models import Adult, Child, Concern, Family

# A family reference, whole or its start: "CHI-2026-0042", "chi-2026-00", "CHI-2026".
REFERENCE_RE = re.compile(r"^[A-Z]{2,5}-\d{1,4}(?:-\d{0,4})?$", re.IGNORECASE)


def looks_like_reference(text: str) -> bool:
    return bool(REFERENCE_RE.match(text))


class FamilySearchForm(forms.Form):
    q = forms.CharField(
        label="Name or reference",
        max_length=100,
        help_text="Part of a surname or first name (three letters or more; a shorter name "
        "whole, as Ng), or part of the reference. A name never appears in the page address.",
        error_messages={"required": "Type a name or a family reference."},
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class FamilyFilterForm(forms.Form):
    ATTENTION_CHOICES = [
        ("", "Any"),
        ("rules", "An adult has not acknowledged the current rules"),
        ("concern", "Open concern"),
        ("review", "Referral review due"),
        ("no_session", "Active but no session booked"),
    ]

    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Family.Status.choices]
    )
    attention = forms.ChoiceField(
        label="Needs attention", required=False, choices=ATTENTION_CHOICES
    )


class FamilyForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Family.Status.choices)


class AdultDetailsForm(forms.ModelForm):
    """An adult's role, name and contact details: the referral form's adults, and the base
    of the family page's add and edit form."""

    class Meta:
        model = Adult
        fields = ["role", "first_name", "last_name", "address", "phone", "email"]
        labels = {"last_name": "Surname", "email": "Email address"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        self.fields["address"].help_text = "Kept confidential; never shared without consent."


class AdultForm(AdultDetailsForm):
    """Add or edit an adult.

    When editing, the stored address, phone and email are not put back into the form (they
    are shown only on an explicit, logged reveal): a blank box keeps the stored value, and
    `remove` clears it.
    """

    CONTACT_FIELDS = ("address", "phone", "email")

    remove = forms.MultipleChoiceField(
        label="Remove stored details",
        required=False,
        choices=[("address", "Address"), ("phone", "Phone"), ("email", "Email")],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = self.instance.pk is not None
        if self.editing:
            self.stored = {name: getattr(self.instance, name) for name in self.CONTACT_FIELDS}
            for name in self.CONTACT_FIELDS:
                self.initial[name] = ""
                self.fields[name].help_text = "Leave blank to keep what is stored."
        else:
            del self.fields["remove"]

    def clean(self):
        cleaned = super().clean()
        if self.editing:
            remove = set(cleaned.get("remove") or [])
            for name in self.CONTACT_FIELDS:
                if name in remove:
                    if cleaned.get(name):
                        self.add_error(name, "Either type a new value or remove it, not both.")
                    cleaned[name] = ""
                elif not cleaned.get(name) and name not in self.errors:
                    cleaned[name] = self.stored[name]
        return cleaned


class ChildForm(forms.ModelForm):
    """A child, on the referral form and on the family page: the same rules for both."""

    class Meta:
        model = Child
        fields = ["first_name", "last_name", "date_of_birth", "needs"]
        labels = {"last_name": "Surname", "date_of_birth": "Date of birth"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "date_of_birth"):
            self.fields[name].required = True
        self.fields["date_of_birth"].error_messages["invalid"] = (
            "Enter a real date, for example 2019-03-14."
        )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if born.year < today.year - 18:
            raise forms.ValidationError("Contact centres are for children: check the year.")
        return born


class KeepApartForm(forms.Form):
    """One of this family's adults, and the other adult either from this family or from
    another family of the same centre, named by that family's reference and the adult's role."""

    adult = forms.ModelChoiceField(
        label="This family's adult", queryset=Adult.objects.none(), empty_label=None
    )
    other_adult = forms.ModelChoiceField(
        label="Keep apart from another adult of this family",
        queryset=Adult.objects.none(),
        required=False,
        empty_label="(an adult of another family, below)",
    )
    other_reference = forms.CharField(
        label="…or another family's reference",
        max_length=20,
        required=False,
        help_text="For example HOM-2026-0042. The family must use this centre.",
    )
    other_role = forms.ChoiceField(
        label="That family's adult",
        required=False,
        choices=[("", "---------"), *Adult.Role.choices],
    )

    def __init__(self, *args, family: Family, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.families = families
        adults = family.adults.all()
        for name in ("adult", "other_adult"):
            self.fields[name].queryset = adults
            self.fields[name].label_from_instance = self.adult_label

    @staticmethod
    def adult_label(adult: Adult) -> str:
        return f"{adult.get_role_display()}: {adult.first_name} {adult.last_name}"

    def clean(self):
        cleaned = super().clean()
        other = cleaned.get("other_adult")
        reference = (cleaned.get("other_reference") or "").strip().upper()
        role = cleaned.get("other_role")
        if other and (reference or role):
            raise forms.ValidationError(
                "Choose an adult of this family or give another family's reference, not both."
            )
        if other:
            cleaned["second"] = other
            return cleaned
        if not reference:
            raise forms.ValidationError(
                "Choose the other adult: one of this family's, or another family's reference "
                "and that adult's role."
            )
        if not role:
            self.add_error("other_role", "Choose that family's adult by their role.")
            return cleaned
        found = self.families.filter(reference=reference).first()
        if found is None:
            self.add_error(
                "other_reference", f"No family with the reference {reference} uses this centre."
            )
            return cleaned
        candidates = list(found.adults.filter(role=role))
        role_label = dict(Adult.Role.choices)[role].lower()
        if not candidates:
            self.add_error("other_role", f"{reference} has no {role_label}.")
        elif len(candidates) > 1:
            self.add_error(
                "other_role",
                f"{reference} has {len(candidates)} adults as {role_label}; flag this pair from "
                f"the page of {reference}, where you can choose the adult.",
            )
        else:
            cleaned["second"] = candidates[0]
        return cleaned


class AcknowledgementForm(forms.Form):
    acknowledged_on = forms.DateField(
        label="Date acknowledged",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date, for example 2026-03-14."},
    )
    no_recording = forms.BooleanField(
        label="No cameras, phones or other recording at the centre",
        error_messages={"required": "The adult must accept the rule on recording."},
    )
    no_discussing_others = forms.BooleanField(
        label="Will not discuss or disclose anything about other users",
        error_messages={"required": "The adult must accept the rule on other users."},
    )

    def clean_acknowledged_on(self):
        day = self.cleaned_data["acknowledged_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return day


class ConcernForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Concern.Kind.choices)
    text = forms.CharField(
        label="What is the concern or the question?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class ConcernCloseForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome: what was done",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        error_messages={"required": "Record what was done."},
    )

    def __init__(self, *args, answer_to_volunteer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if answer_to_volunteer:
            # A volunteer's request for guidance: the outcome is the answer they read in the
            # portal, so the coordinator is told before writing it.
            field = self.fields["outcome"]
            field.label = "Your answer to the volunteer"
            field.help_text = (
                "The volunteer who asked reads this answer in their portal: write only what "
                "they may know (no surnames, addresses, phone numbers or referral details)."
            )
            field.error_messages["required"] = "Write your answer to the volunteer."
