from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from cccc.fields import text_limit
from cccc.models import CENTRE_SETTINGS, Centre, Role


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autofocus": True})
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("The code is six digits.")
        return token


class InviteForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(label="Role")
    agency = forms.CharField(
        label="Agency or firm (referrers)",
        max_length=200,
        required=False,
        help_text="For example: CAFCASS, a solicitor's firm, Children's Services.",
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        # Nothing preselected: a role grants access, so the inviter always chooses it.
        self.fields["role"].choices = [("", "Choose a role")] + [
            (r.value, r.label) for r in Role if r in roles
        ]


class CentreForm(forms.ModelForm):
    address = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The centre's own postal address.",
        **text_limit(500),
    )

    class Meta:
        model = Centre
        fields = [
            "name",
            "slug",
            "code",
            "policy_variant",
            "address",
            "email",
            "keep_apart_gap_minutes",
            "family_retention_years",
            "volunteer_retention_years",
            "dbs_renewal_years",
            "dbs_visible_to",
            "dbs_min_level",
            "supervised_cover",
            "supported_cover",
        ]


SETTING_LABELS = {
    "policy_variant": "Confidentiality policy variant",
    "keep_apart_gap_minutes": "Keep-apart gap (minutes)",
    "handover_minutes": "Hand-over time (minutes)",
    "supervised_cover": "Volunteers on a supervised session",
    "supported_cover": "Volunteers on a supported session",
    "dbs_visible_to": "Who sees DBS results",
    "dbs_min_level": "Minimum DBS level that clears a volunteer",
    "dbs_renewal_years": "DBS checks renewed every (years)",
    "family_retention_years": "Family records kept for (years)",
    "volunteer_retention_years": "Volunteer records kept for (years)",
    "rules_version": "Version of the centre rules adults acknowledge",
}


class CentreSettingsForm(forms.ModelForm):
    """The centre's safety settings, for its coordinator and chair. The form checks them
    against a copy of the centre; cccc.centre_services.centre_settings_change writes them."""

    class Meta:
        model = Centre
        fields = list(CENTRE_SETTINGS)
        labels = SETTING_LABELS


class CoordinatorInviteForm(forms.Form):
    full_name = forms.CharField(label="Coordinator's full name", max_length=200)
    email = forms.EmailField(label="Coordinator's email address")


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has
    that field, otherwise at the top of the form. What was typed stays in the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
