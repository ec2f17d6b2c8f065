"""Forms for booking a contact session and recording what happened at it.

They only collect and check input; the rules (keep-apart, staggering) live in
families/scheduling.py and are applied by families/session_services.py.
"""

import datetime

from django import forms
from django.utils import timezone

from cccc.fields import text_limit
from families.models import (
    Adult,
    Child,
    ContactType,
    Referral,
    Room,
    Series,
    SessionAttendance,
)
from families.models.series import MAX_SESSIONS, MAX_SPAN_DAYS

TIME_WIDGET = {"attrs": {"type": "time"}, "format": "%H:%M"}
# How far ahead a session may be booked, and how far back one recorded afterwards: a date
# typed with the wrong year (9999, 0001) is refused with a message rather than stored, or
# failing as an overflow when a series counts its weeks (the review of issue 17).
BOOK_AHEAD_DAYS = 10 * 366
RECORD_BACK_DAYS = 10 * 366


def _date_in_range(value: datetime.date | None) -> None:
    if value is None:
        return
    today = timezone.localdate()
    if value > today + datetime.timedelta(days=BOOK_AHEAD_DAYS):
        raise forms.ValidationError("Choose a date within the next ten years.")
    if value < today - datetime.timedelta(days=RECORD_BACK_DAYS):
        raise forms.ValidationError("Choose a date within the last ten years.")


def _adult_label(adult: Adult) -> str:
    return f"{adult.get_role_display()}: {adult.first_name}"


class AdultChoice(forms.ModelChoiceField):
    label_from_instance = staticmethod(_adult_label)


class AdultsChoice(forms.ModelMultipleChoiceField):
    label_from_instance = staticmethod(_adult_label)


class ChildrenChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, child):
        return child.first_name


class SessionBookForm(forms.Form):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[_date_in_range],
    )
    starts_at = forms.TimeField(label="Contact starts", widget=forms.TimeInput(**TIME_WIDGET))
    ends_at = forms.TimeField(label="Contact ends", widget=forms.TimeInput(**TIME_WIDGET))
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(),
        empty_label="Choose a room",
    )
    contact_type = forms.ChoiceField(
        label="Type of contact", choices=ContactType.choices, widget=forms.RadioSelect
    )
    adults = AdultsChoice(
        label="Adults attending",
        queryset=Adult.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    bringing = AdultChoice(
        label="Adult bringing the child",
        queryset=Adult.objects.none(),
        help_text="Arrives first and leaves last; if they must be kept apart from someone at "
        "the session they hand over, leave, and come back to collect.",
    )
    children = ChildrenChoice(
        label="Children attending",
        queryset=Child.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    instructions = forms.CharField(
        label="Instructions for volunteers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only what the volunteers on the session need to know.",
        **text_limit(),
    )

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        # The choice fields read the family's few adults and children again when they are
        # rendered and validated; these lists only choose the defaults, for a new form.
        children = list(family.children.all())
        self.fields["adults"].queryset = family.adults.all()
        self.fields["bringing"].queryset = family.adults.all()
        self.fields["children"].queryset = family.children.all()
        self.fields["children"].required = bool(children)
        self.fields["room"].queryset = self.rooms(family)
        if not self.is_bound:
            adults = list(family.adults.all())
            bringing = next((a for a in adults if a.role == Adult.Role.RESIDENT_PARENT), None)
            bringing = bringing or next((a for a in adults if a.brings_children), None)
            self.initial.setdefault("bringing", bringing.pk if bringing else None)
            self.initial.setdefault(
                "adults", [a.pk for a in adults if a.role != Adult.Role.NAMED_VISITOR]
            )
            self.initial.setdefault("children", [c.pk for c in children])
            latest = (
                family.referrals.filter(status=Referral.Status.ACCEPTED)
                .values_list("contact_type", flat=True)
                .first()
            )
            self.initial.setdefault("contact_type", latest or ContactType.SUPERVISED)

    @staticmethod
    def rooms(family):
        return Room.objects.filter(centre_id=family.centre_id, in_use=True)

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "Contact must end after it starts.")
        bringing, adults = data.get("bringing"), data.get("adults")
        if bringing and adults is not None and bringing not in adults:
            self.add_error("bringing", "Tick the adult bringing the child as attending too.")
        return data


class SessionPastForm(SessionBookForm):
    """A session that took place before today, recorded afterwards (its own path: the
    session is marked so). The room may be unknown, or one no longer used."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].help_text = "A day before today."
        self.fields["room"].required = False
        self.fields["room"].empty_label = "Not known"

    @staticmethod
    def rooms(family):
        return Room.objects.filter(centre_id=family.centre_id)


# What the coordinator may choose. Nothing is preselected: the blank choice records nothing
# (it stands for "expected"), so an untouched form never says that anyone attended or not.
NOT_RECORDED = ("", "Not recorded yet")
OUTCOME_CHOICES = [
    NOT_RECORDED,
    (SessionAttendance.Outcome.ATTENDED, SessionAttendance.Outcome.ATTENDED.label),
    (SessionAttendance.Outcome.DID_NOT_ATTEND, SessionAttendance.Outcome.DID_NOT_ATTEND.label),
]


def _initial_outcome(outcome: str) -> str:
    return "" if outcome == SessionAttendance.Outcome.EXPECTED else outcome


class OutcomeField(forms.ChoiceField):
    """An attendance outcome, blank until one is chosen; blank is cleaned to "expected"."""

    def __init__(self, **kwargs):
        super().__init__(choices=OUTCOME_CHOICES, required=False, **kwargs)

    def clean(self, value):
        return super().clean(value) or SessionAttendance.Outcome.EXPECTED


class AttendanceForm(forms.Form):
    """One adult's attendance at a session."""

    outcome = OutcomeField()
    actual_arrival = forms.TimeField(
        label="Arrived at", required=False, widget=forms.TimeInput(**TIME_WIDGET)
    )
    actual_departure = forms.TimeField(
        label="Left at", required=False, widget=forms.TimeInput(**TIME_WIDGET)
    )

    def __init__(self, *args, attendance, **kwargs):
        self.attendance = attendance
        kwargs.setdefault("prefix", f"adult-{attendance.pk}")
        kwargs.setdefault(
            "initial",
            {
                "outcome": _initial_outcome(attendance.outcome),
                "actual_arrival": attendance.actual_arrival,
                "actual_departure": attendance.actual_departure,
            },
        )
        super().__init__(*args, **kwargs)
        self.legend = _adult_label(attendance.adult)

    def clean(self):
        data = super().clean()
        arrival, departure = data.get("actual_arrival"), data.get("actual_departure")
        if arrival and departure and departure <= arrival:
            self.add_error("actual_departure", "Departure must be after arrival.")
        return data


class ChildAttendanceForm(forms.Form):
    outcome = OutcomeField()

    def __init__(self, *args, attendance, **kwargs):
        self.attendance = attendance
        kwargs.setdefault("prefix", f"child-{attendance.pk}")
        kwargs.setdefault("initial", {"outcome": _initial_outcome(attendance.outcome)})
        super().__init__(*args, **kwargs)
        self.legend = f"Child: {attendance.child.first_name}"


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Factual note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What happened, not opinions: notes are never turned into reports for court.",
        **text_limit(),
    )


class SeriesForm(SessionBookForm):
    """A repeat booking: the booking form, from a first date, every week or fortnight, until
    a date or for a number of sessions."""

    every = forms.ChoiceField(
        label="Repeat", choices=Series.Every.choices, widget=forms.RadioSelect
    )
    until = forms.DateField(
        label="Until (the last date)",
        required=False,
        validators=[_date_in_range],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Or give the number of sessions below.",
    )
    count = forms.IntegerField(
        label="Number of sessions", required=False, min_value=1, max_value=MAX_SESSIONS
    )

    field_order = ["date", "every", "until", "count"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "First date"

    def clean(self):
        data = super().clean()
        first, until, count = data.get("date"), data.get("until"), data.get("count")
        if until is None and count is None and not self.has_error("until"):
            self.add_error("until", "Give the last date or the number of sessions.")
        elif until is not None and count is not None:
            self.add_error("count", "Give the last date or the number of sessions, not both.")
        elif first and until and until < first:
            self.add_error("until", "The last date is before the first.")
        elif first and until and (until - first).days > MAX_SPAN_DAYS:
            self.add_error("until", "A series runs for a year at most.")
        return data
