"""The coordinator's form for a parent's consent to share their contact details with one
recipient (CHI-4.5, CHE-5); disclosures/consent_services.py records it."""

import datetime

from django import forms
from django.utils import timezone

from disclosures.forms import DATE
from disclosures.models import ConsentGrant


class ConsentGrantForm(forms.ModelForm):
    class Meta:
        model = ConsentGrant
        fields = [
            "recipient_name", "recipient_agency", "recipient_user", "address", "phone", "email",
            "given_on", "how_given", "expires_on",
        ]  # fmt: skip
        widgets = {"given_on": DATE, "expires_on": DATE}
        error_messages = {
            "given_on": {"invalid": "Enter a date like 2026-03-31."},
            "expires_on": {"invalid": "Enter a date like 2026-03-31."},
        }

    def __init__(self, *args, referrers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_name"].required = False
        self.fields["recipient_name"].help_text = (
            "The person the details may be given to (may be left empty when you choose their "
            "account below)."
        )
        self.fields["recipient_user"].queryset = referrers
        self.fields["given_on"].initial = timezone.localdate()

    def clean_given_on(self) -> datetime.date:
        day = self.cleaned_data["given_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date the consent was given cannot be in the future.")
        return day
