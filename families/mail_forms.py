"""The coordinator's forms for an adult's consent to email (families/email_consent_services.py
records it). Nothing is preselected: how consent was given must be chosen."""

import datetime

from django import forms
from django.utils import timezone

from families.models.mail import HowGiven

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HOW = [("", "Choose..."), *HowGiven.choices]


class EmailConsentForm(forms.Form):
    given_on = forms.DateField(
        label="Given on",
        widget=DATE,
        error_messages={"invalid": "Enter a date like 2026-03-31."},
    )
    how_given = forms.ChoiceField(label="How it was given", choices=HOW)
    agreed = forms.BooleanField(
        label="The adult agreed to be emailed their own session dates and times, reminders "
        "the day before, and changes",
        error_messages={"required": "Tick this only once the adult has agreed."},
    )

    def clean_given_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["given_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The day consent was given cannot be in the future.")
        return day


class EmailConsentWithdrawForm(forms.Form):
    how_withdrawn = forms.ChoiceField(label="How it was withdrawn", choices=HOW)
