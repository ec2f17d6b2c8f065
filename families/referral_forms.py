"""The referral intake form (referrer and coordinator) and the coordinator's decision form."""

from django import forms

from cccc.fields import text_limit
from cccc.models import Role, User
from families.forms import AdultDetailsForm, ChildForm
from families.models import Adult, Child, Referral
from families.models.referral import RISK_ANSWERS

RISK_FIELDS = [
    ("risk_domestic_abuse", "Is there a history or allegation of domestic abuse?"),
    ("risk_abduction", "Is there a risk of abduction?"),
    ("risk_substance_misuse", "Is there drug or alcohol misuse?"),
    ("risk_mental_health", "Are there mental health concerns?"),
]


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = [
            "agency_type",
            "agency_name",
            "court_order",
            "contact_type",
            "risk_domestic_abuse",
            "risk_abduction",
            "risk_substance_misuse",
            "risk_mental_health",
            "risk_details",
            "access_needs",
        ]  # the order of the page, which the error summary follows
        labels = {
            "agency_type": "Type of agency",
            "agency_name": "Agency or firm",
            "court_order": "Court order details",
            "risk_details": "Details of any risk",
            "contact_type": "Contact needed",
            "access_needs": "Interpreter or access needs",
        }
        help_texts = {
            "court_order": "The order, its date and what it says about contact, if there is one.",
            "risk_details": "Tell us more about every answer of yes.",
            "access_needs": "An interpreter, mobility or other access needs of anyone attending.",
        }
        widgets = {"contact_type": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in RISK_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=label, choices=RISK_ANSWERS, widget=forms.RadioSelect
            )
        self.fields["contact_type"].choices = Referral._meta.get_field("contact_type").choices

    def clean(self):
        cleaned = super().clean()
        said_yes = any(cleaned.get(name) == "yes" for name, _ in RISK_FIELDS)
        if said_yes and not cleaned.get("risk_details", "").strip():
            self.add_error("risk_details", "Describe the risk behind each answer of yes.")
        return cleaned


class ReferrerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.agency})" if obj.agency else obj.full_name


class CoordinatorReferralForm(ReferralForm):
    """The same intake, entered by the coordinator, who names the referrer of record (or none:
    a self-referral or a referral by phone from someone without an account)."""

    field_order = ["referrer"]

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrer"] = ReferrerChoiceField(
            queryset=User.objects.filter(
                memberships__centre=centre,
                memberships__role=Role.REFERRER,
                memberships__is_active=True,
                memberships__awaiting_approval=False,
                is_active=True,
            ),
            required=False,
            empty_label="None (self-referral or phone referral)",
            label="Referrer of record",
            help_text="Only the referrer of record may later ask for dates and times of "
            "attendance.",
        )
        self.order_fields(["referrer", *self.Meta.fields])

    def clean(self):
        cleaned = super().clean()
        referrer = cleaned.get("referrer")
        if referrer and not cleaned.get("agency_name"):
            cleaned["agency_name"] = referrer.agency
        return cleaned


DEFAULT_ADULT_ROLES = [Adult.Role.RESIDENT_PARENT, Adult.Role.NON_RESIDENT_PARENT]


class BaseAdultFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": "Name at least the resident parent and the non-resident parent.",
    }
    # Families the centre may already have with one of these adults or the children in them,
    # not yet confirmed as other people (families/duplicates.py): set by the coordinator's page.
    duplicates: list = []

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(DEFAULT_ADULT_ROLES):
            kwargs["initial"] = {"role": DEFAULT_ADULT_ROLES[index]}
        return kwargs

    def clean(self):
        if any(self.errors):
            return
        roles = {form.cleaned_data["role"] for form in self.forms if form.cleaned_data}
        if not roles & {Adult.Role.RESIDENT_PARENT, Adult.Role.CARER}:
            raise forms.ValidationError(
                "Name the adult the children live with (resident parent or carer)."
            )
        if Adult.Role.NON_RESIDENT_PARENT not in roles:
            raise forms.ValidationError("Name the non-resident parent.")

    def people(self) -> list[Adult]:
        return [form.instance for form in self.forms if form.cleaned_data]


AdultFormSet = forms.formset_factory(
    AdultDetailsForm,
    formset=BaseAdultFormSet,
    extra=1,
    min_num=2,
    validate_min=True,
    max_num=10,
    validate_max=True,
    absolute_max=20,
)


class BaseChildFormSet(forms.BaseFormSet):
    default_error_messages = {"too_few_forms": "Name at least one child."}

    def people(self) -> list[Child]:
        return [form.instance for form in self.forms if form.cleaned_data]


ChildFormSet = forms.formset_factory(
    ChildForm,
    formset=BaseChildFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=10,
    validate_max=True,
    absolute_max=20,
)


class DecisionForm(forms.Form):
    """Accept, or decline with a reason; the service refuses a decline without one."""

    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline")], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label="Reason for declining",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept on the family's record; the referrer is told only that it was declined.",
        **text_limit(),
    )
