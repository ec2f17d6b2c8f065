import datetime

from django import forms
from django.utils import timezone

from cccc.dates import add_months
from retention.accident_services import FIELDS
from retention.models import AccidentEntry
from retention.quarterly import quarter_name, quarter_of


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AccidentForm(forms.Form):
    """The paper book's columns. The text is sealed under the centre's key when saved."""

    occurred_at = forms.DateTimeField(
        label="Date and time of the accident",
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label="Where it happened", max_length=200)
    people_involved = forms.CharField(
        label="Who was involved",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="As you would write it in the paper book.",
        max_length=2000,
    )
    what_happened = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    injury = forms.CharField(
        label="Injury",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Leave empty if nobody was hurt.",
        max_length=2000,
    )
    first_aid_and_action = forms.CharField(
        label="First aid and action taken",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    @classmethod
    def for_entry(cls, entry: AccidentEntry, data=None):
        initial = {name: getattr(entry, name) for name in FIELDS}
        initial["occurred_at"] = timezone.localtime(entry.occurred_at)
        return cls(data, initial=initial)


class KeepLongerForm(forms.Form):
    reason = forms.CharField(
        label="Why it must be kept longer",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example: a solicitor asked us to keep it while proceedings are pending.",
    )
    review_on = forms.DateField(
        label="Review it on",
        widget=DateInput(),
        help_text="It is kept until this day; after it, the record is destroyed if still due.",
    )


class DateRangeForm(forms.Form):
    """From and to, both included. Empty means the last 12 months up to today."""

    start = forms.DateField(label="From", required=False, widget=DateInput())
    end = forms.DateField(label="To", required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("'From' must be on or before 'To'.")
        return data

    def range(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - datetime.timedelta(days=365)
        return start, end


class YearForm(forms.Form):
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100, required=False)


QUARTERS_SHOWN = 40  # ten years back, the current quarter included


class QuarterForm(forms.Form):
    """Which quarter. Empty means the last complete quarter, the one NACCC asks about."""

    quarter = forms.ChoiceField(label="Quarter", required=False)

    def __init__(self, *args, today: datetime.date, complete_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        current = quarter_of(today)
        # The network's view offers only complete quarters: a quarter still running, read
        # day after day, would show when something happened at a centre.
        first = 1 if complete_only else 0
        self.quarters = [add_months(current, -3 * n) for n in range(first, QUARTERS_SHOWN)]
        self.fields["quarter"].choices = [(q.isoformat(), quarter_name(q)) for q in self.quarters]
        self.default = self.quarters[0 if complete_only else 1]

    def chosen(self) -> datetime.date:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("quarter"):
            return datetime.date.fromisoformat(self.cleaned_data["quarter"])
        return self.default
