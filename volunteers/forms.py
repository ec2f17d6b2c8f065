from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone

from cccc.fields import text_limit
from cccc.models import Role, User
from families.models import Concern, SessionAttendance
from volunteers.models import DbsLevel, DbsOutcome, Volunteer, Weekday


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


# --- coordinator ----------------------------------------------------------------------------------


class VolunteerForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    email = forms.EmailField(label="Email address", max_length=254, required=False)
    applied_on = _date("Applied on")

    @classmethod
    def for_volunteer(cls, volunteer: Volunteer, data=None):
        fields = ["first_name", "last_name", "phone", "email", "applied_on"]
        return cls(data, initial={f: getattr(volunteer, f) for f in fields})


class DbsCheckForm(forms.Form):
    # Nothing preselected: a level decides clearance, so it is always chosen (issue 14).
    level = forms.ChoiceField(
        label="Level of check", choices=[("", "Choose the level"), *DbsLevel.choices]
    )
    certificate_number = forms.CharField(
        label="Certificate number",
        max_length=20,
        validators=[
            RegexValidator(r"^\s*\d[\d ]{10,14}\d\s*$", "A DBS certificate number is 12 digits.")
        ],
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=DbsOutcome.choices, widget=forms.RadioSelect
    )
    issued_on = _date("Issue date")

    def clean_certificate_number(self):
        number = self.cleaned_data["certificate_number"].replace(" ", "").strip()
        if len(number) != 12:
            raise forms.ValidationError("A DBS certificate number is 12 digits.")
        return number

    def clean_issued_on(self):
        # The service refuses it too (dbs_check_record); said here, the import's preview
        # and this page say it before anything is saved.
        issued = self.cleaned_data["issued_on"]
        if issued > timezone.localdate():
            raise forms.ValidationError("The issue date cannot be in the future.")
        return issued


class TrainingForm(forms.Form):
    course = forms.CharField(label="Course", max_length=200)
    completed_on = _date("Completed on")
    expires_on = _date("Expires on", required=False, help_text="Leave empty if it does not expire.")


class AgreementForm(forms.Form):
    signed_on = _date("Signed on")
    policy_version = forms.CharField(
        label="Version of the confidentiality policy signed", max_length=20
    )
    confirmed = forms.BooleanField(
        label="The volunteer has read and signed the confidentiality agreement: they will not "
        "discuss or disclose anything about a family outside the centre, and will not make "
        "reports for family court proceedings."
    )


class ResignForm(forms.Form):
    resigned_on = _date("Resigned on")


class LinkAccountForm(forms.Form):
    user = forms.ModelChoiceField(label="Volunteer account", queryset=User.objects.none())

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        # The centre's volunteer memberships whose person has no volunteer record here yet
        # (their records at other centres are theirs there, and not shown).
        self.fields["user"].queryset = (
            User.objects.filter(
                memberships__centre=centre,
                memberships__role=Role.VOLUNTEER,
                memberships__is_active=True,
            )
            .exclude(volunteer_records__centre=centre)
            .order_by("full_name")
        )


class InviteAccountForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email address")


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Volunteer) -> str:
        return f"{obj.full_name} ({obj.get_status_display()})"


class RotaAssignForm(forms.Form):
    volunteer = VolunteerChoiceField(label="Volunteer", queryset=Volunteer.objects.none())

    def __init__(self, *args, centre, exclude_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = (
            Volunteer.objects.filter(centre=centre)
            .exclude(status=Volunteer.Status.RESIGNED)
            .exclude(pk__in=exclude_ids)
            .select_related("data_key")
        )


# --- the volunteer portal -------------------------------------------------------------------------

OUTCOME_CHOICES = [
    (SessionAttendance.Outcome.ATTENDED, "Attended"),
    (SessionAttendance.Outcome.DID_NOT_ATTEND, "Did not attend"),
]


def _outcome_field() -> forms.ChoiceField:
    """Nothing preselected: saving an untouched form records nothing (issue 17)."""
    return forms.ChoiceField(
        label="Attendance",
        choices=[("", "Choose…"), *OUTCOME_CHOICES],
        error_messages={"required": "Choose whether they attended."},
    )


class AttendanceForm(forms.Form):
    outcome = _outcome_field()
    actual_arrival = forms.TimeField(label="Arrived at", required=False, widget=TimeInput())
    actual_departure = forms.TimeField(label="Left at", required=False, widget=TimeInput())


class AvailabilityForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label="Day", choices=[("", "Choose a day"), *Weekday.choices], coerce=int
    )
    starts_at = forms.TimeField(label="From", widget=TimeInput())
    ends_at = forms.TimeField(label="Until", widget=TimeInput())

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end of the time must be after its start.")
        return data


class ChildAttendanceForm(forms.Form):
    outcome = _outcome_field()


class NoteForm(forms.Form):
    text = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Facts only: what you saw and heard, and when. No opinions.",
    )


class ConcernForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=[
            (Concern.Kind.GUIDANCE, "I need guidance from the coordinator"),
            (Concern.Kind.SAFEGUARDING, "A safeguarding concern: a child may be at risk"),
            (Concern.Kind.VIOLENCE, "A risk of physical violence"),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Tell the coordinator",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class AssessmentForm(forms.Form):
    assessment = forms.CharField(
        label="Risk assessment",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        **text_limit(),
        help_text="What was disclosed, and what it means for work with children here.",
    )


class AssessmentDecisionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label="Your decision",
        choices=[("yes", "Approve: the check clears"), ("no", "Refuse: it does not clear")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3}), required=False, **text_limit()
    )
