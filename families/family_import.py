"""The families CSV (issue 19): its columns, and each row checked by the very forms of the
coordinator's "Enter a referral" page (CoordinatorReferralForm, AdultFormSet, ChildFormSet),
so that a rule cannot differ between typing a family in and importing it.

One row is one family: the referral's columns, then "Adult 1 ..." to "Adult 10 ..." and
"Child 1 ..." to "Child 10 ..." (the template has three adults and four children; a column
group may be added or left out whole). A choice is written as the page shows it ("Resident
parent") or as it is stored ("resident"), in any case.
"""

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from cccc.csv_import import CellError, Checked, ImportFailed, Row, RowRefused, normalise
from cccc.models import Centre, Membership, Role, User
from families.import_services import FamilyImportRow, families_import
from families.referral_forms import (
    RISK_FIELDS,
    AdultFormSet,
    BaseAdultFormSet,
    BaseChildFormSet,
    ChildFormSet,
    CoordinatorReferralForm,
)

DATE_HELP = "A date: 14/03/2019 or 2019-03-14."

# (column, the form's field, what goes in it); choices are listed from the form itself.
REFERRAL_COLUMNS: list[tuple[str, str, str]] = [
    ("Referrer email", "referrer", "The email address of one of this centre's referrer "
     "accounts (People): the referrer of record. Empty for a self-referral, or a referrer "
     "without an account."),
    ("Type of agency", "agency_type", ""),
    ("Agency or firm", "agency_name", "Empty: the referrer's own agency."),
    ("Referral received on", "received_on", f"{DATE_HELP} Empty: today."),
    ("Court order details", "court_order", "The order, its date and what it says about "
     "contact, if there is one."),
    ("Risk: domestic abuse", "risk_domestic_abuse", ""),
    ("Risk: abduction", "risk_abduction", ""),
    ("Risk: drug or alcohol misuse", "risk_substance_misuse", ""),
    ("Risk: mental health", "risk_mental_health", ""),
    ("Details of any risk", "risk_details", "Required when any risk is Yes."),
    ("Contact needed", "contact_type", ""),
    ("Interpreter or access needs", "access_needs", ""),
]  # fmt: skip
ADULT_FIELDS: list[tuple[str, str, str]] = [
    ("role", "role", ""),
    ("first name", "first_name", ""),
    ("surname", "last_name", ""),
    ("address", "address", ""),
    ("phone", "phone", ""),
    ("email address", "email", ""),
]
CHILD_FIELDS: list[tuple[str, str, str]] = [
    ("first name", "first_name", ""),
    ("surname", "last_name", ""),
    ("date of birth", "date_of_birth", DATE_HELP),
    ("needs", "needs", "Health, language or access needs the session needs."),
]
MAX_ADULTS = AdultFormSet.max_num
MAX_CHILDREN = ChildFormSet.max_num
TEMPLATE_ADULTS, TEMPLATE_CHILDREN = 3, 4
REQUIRED_GROUPS = {"Adult": [1, 2], "Child": [1]}
GROUPS = {"Adult": (ADULT_FIELDS, MAX_ADULTS), "Child": (CHILD_FIELDS, MAX_CHILDREN)}
FORMSET_PREFIX = {"Adult": "adults", "Child": "children"}


class ReceivedOnForm(forms.Form):
    """The one column the intake page has no field for: an imported family was usually
    referred before today (and the quarterly statistics count referrals by that date)."""

    received_on = forms.DateField(
        required=False, error_messages={"invalid": "Enter a real date, for example 2026-03-14."}
    )

    def clean_received_on(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data["received_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return day


def group_column(group: str, number: int | str, label: str) -> str:
    return f"{group} {number} {label}"


def group_columns(group: str, number: int) -> list[str]:
    fields, _ = GROUPS[group]
    return [group_column(group, number, label) for label, _, _ in fields]


def known_columns() -> list[str]:
    names = [name for name, _, _ in REFERRAL_COLUMNS]
    for group, (_, most) in GROUPS.items():
        for number in range(1, most + 1):
            names += group_columns(group, number)
    return names


def template_columns() -> list[str]:
    names = [name for name, _, _ in REFERRAL_COLUMNS]
    for group, count in (("Adult", TEMPLATE_ADULTS), ("Child", TEMPLATE_CHILDREN)):
        for number in range(1, count + 1):
            names += group_columns(group, number)
    return names


def required_columns(present: set[str]) -> set[str]:
    """The referral's columns, Adult 1, Adult 2 and Child 1, and every other group the file
    has a column of, whole."""
    required = {name for name, _, _ in REFERRAL_COLUMNS}
    for group, (_, most) in GROUPS.items():
        for number in range(1, most + 1):
            columns = group_columns(group, number)
            if number in REQUIRED_GROUPS[group] or present & set(columns):
                required |= set(columns)
    return required


def referral_form(data: dict[str, str] | None, centre: Centre | None) -> "forms.ModelForm[Any]":
    """The coordinator's intake form (families.referral_forms is not type-checked)."""
    form: forms.ModelForm[Any] = CoordinatorReferralForm(data, centre=centre)  # type: ignore[no-untyped-call]
    return form


def _forms() -> dict[str, forms.BaseForm]:
    """An unbound form of each part of a row, to read its fields' choices and rules."""
    return {
        "Referral": referral_form(None, None),
        "Received": ReceivedOnForm(),
        "Adult": AdultFormSet(prefix="adults").empty_form,
        "Child": ChildFormSet(prefix="children").empty_form,
    }


def _choices() -> dict[str, list[tuple[str, str]]]:
    """Each choice field's choices, as the forms offer them (blank choices left out)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for form in _forms().values():
        for name, field in form.fields.items():
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                offered = cast(Iterable[tuple[object, object]], field.choices)
                found[name] = [(str(v), str(label)) for v, label in offered if v]
    return found


def column_help() -> list[tuple[str, str]]:
    """(column, what goes in it) for the page: the choices and whether a value is required,
    read from the forms."""
    choices = _choices()
    parts = _forms()

    def described(part: str, field: str, text: str) -> str:
        bits = []
        if field in choices:
            bits.append("One of: " + "; ".join(label for _, label in choices[field]) + ".")
        if text:
            bits.append(text)
        form = parts["Received" if field == "received_on" else part]
        if field in form.fields and form.fields[field].required:
            bits.append("Required.")
        return " ".join(bits)

    rows = [(name, described("Referral", field, text)) for name, field, text in REFERRAL_COLUMNS]
    for group, (fields, _) in GROUPS.items():
        for label, field, text in fields:
            rows.append((group_column(group, "N", label), described(group, field, text)))
    return rows


def _choice(value: str, choices: list[tuple[str, str]]) -> str:
    """A choice as the page shows it or as it is stored, in any case, as the stored value;
    anything else as it is, for the form to refuse."""
    wanted = normalise(value)
    for stored, label in choices:
        if wanted in (normalise(stored), normalise(label)):
            return stored
    return value


def _groups_used(row: Row, group: str) -> list[int]:
    _, most = GROUPS[group]
    used = []
    for number in range(1, most + 1):
        if any(row.cells.get(name) for name in group_columns(group, number)):
            used.append(number)
    return used


def form_data(
    row: Row, referrers: dict[str, int], choices: dict[str, list[tuple[str, str]]]
) -> tuple[dict[str, str], dict[str, list[int]], list[CellError]]:
    """The POST data the intake page would send for this row, the group behind each form of
    the two formsets, and the row's errors found on the way (an unknown referrer)."""
    data: dict[str, str] = {}
    errors: list[CellError] = []
    for name, field, _ in REFERRAL_COLUMNS:
        value = row.cells.get(name, "")
        data[field] = _choice(value, choices[field]) if field in choices else value
    email = data.pop("referrer")
    if email:
        pk = referrers.get(email.casefold())
        if pk is None:
            errors.append(
                CellError(
                    row.number,
                    "Referrer email",
                    "No active referrer account of this centre has this email address. "
                    "Invite the referrer first (People), or leave the cell empty.",
                )
            )
        else:
            data["referrer"] = str(pk)
    used: dict[str, list[int]] = {}
    for group, (fields, _) in GROUPS.items():
        prefix = FORMSET_PREFIX[group]
        used[group] = _groups_used(row, group)
        data[f"{prefix}-TOTAL_FORMS"] = str(len(used[group]))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, number in enumerate(used[group]):
            for label, field, _ in fields:
                value = row.cells.get(group_column(group, number, label), "")
                if field in choices:
                    value = _choice(value, choices[field])
                data[f"{prefix}-{index}-{field}"] = value
    return data, used, errors


def _form_errors(
    row: int, form: forms.BaseForm, columns: dict[str, str], prefix: str = ""
) -> list[CellError]:
    found = []
    for field, messages in form.errors.items():
        column = columns.get(field, "")
        for message in messages:
            text = str(message)
            found.append(CellError(row, column, text if column else f"{prefix}{text}"))
    return found


def _group_errors(
    row: int, group: str, formset: "forms.BaseFormSet[Any]", used: list[int]
) -> list[CellError]:
    fields, _ = GROUPS[group]
    found = [CellError(row, "", str(message)) for message in formset.non_form_errors()]
    for form, number in zip(formset.forms, used, strict=False):
        columns = {field: group_column(group, number, label) for label, field, _ in fields}
        found += _form_errors(row, form, columns, prefix=f"{group} {number}: ")
    return found


REFERRAL_COLUMN_OF = {field: name for name, field, _ in REFERRAL_COLUMNS}


def check_row(
    row: Row, centre: Centre, referrers: dict[str, int], choices: dict[str, list[tuple[str, str]]]
) -> Checked:
    data, used, errors = form_data(row, referrers, choices)
    form = referral_form(data, centre)
    received = ReceivedOnForm(data)
    adults = AdultFormSet(data, prefix="adults")
    children = ChildFormSet(data, prefix="children")
    if not all([form.is_valid(), received.is_valid(), adults.is_valid(), children.is_valid()]):
        errors += _form_errors(row.number, form, REFERRAL_COLUMN_OF)
        errors += _form_errors(row.number, received, REFERRAL_COLUMN_OF)
        errors += _group_errors(row.number, "Adult", adults, used["Adult"])
        errors += _group_errors(row.number, "Child", children, used["Child"])
    if errors:
        return Checked(row.number, errors=errors)
    referral = form.instance
    referral.received_on = received.cleaned_data["received_on"] or timezone.localdate()
    payload = FamilyImportRow(
        row=row.number,
        referral=referral,
        adults=cast(BaseAdultFormSet, adults).people(),
        children=cast(BaseChildFormSet, children).people(),
        referrer=form.cleaned_data.get("referrer"),
    )
    return Checked(row.number, preview=preview(payload), payload=payload)


def check_rows(rows: list[Row], membership: Membership) -> list[Checked]:
    """The rows checked in the membership in use (`request.membership`)."""
    centre = membership.centre
    assert centre is not None
    # The referrers of record: this centre's, in a usable membership (what the service asks).
    referrers = {
        email.casefold(): pk
        for pk, email in User.objects.filter(
            is_active=True,
            memberships__centre=centre,
            memberships__role=Role.REFERRER,
            memberships__is_active=True,
            memberships__awaiting_approval=False,
        ).values_list("pk", "email")
    }
    choices = _choices()
    return [check_row(row, centre, referrers, choices) for row in rows]


# --- the preview: what will be saved, contact details and free text as "given" only --------


def _given(names: Iterable[tuple[str, str]]) -> str:
    given = [label for label, value in names if value]
    return f"{', '.join(given)} given" if given else ""


def preview(row: FamilyImportRow) -> list[list[str]]:
    referral = row.referral
    agency = referral.get_agency_type_display()
    if referral.agency_name:
        agency += f": {referral.agency_name}"
    yes = [label for (name, label) in RISK_LABELS if getattr(referral, name) == "yes"]
    lines = [
        agency,
        f"Referrer of record: {row.referrer.full_name if row.referrer else 'none'}",
        f"Received {date_format(referral.received_on, 'j M Y')}",
        f"{referral.get_contact_type_display()} contact",
        f"Risk answered yes: {', '.join(yes)}" if yes else "No risk answered yes",
        _given(
            [
                ("court order", referral.court_order),
                ("risk details", referral.risk_details),
                ("access needs", referral.access_needs),
            ]
        ),
    ]
    adults = []
    for adult in row.adults:
        line = f"{adult.get_role_display()}: {adult.first_name} {adult.last_name}"
        given = _given([("address", adult.address), ("phone", adult.phone), ("email", adult.email)])
        adults.append(f"{line} ({given})" if given else line)
    children = [
        f"{child.first_name} {child.last_name}, born {date_format(child.date_of_birth, 'j M Y')}"
        + (" (needs given)" if child.needs else "")
        for child in row.children
    ]
    return [[line for line in lines if line], adults, children]


RISK_LABELS = [
    (name, column.removeprefix("Risk: "))
    for column, name, _ in REFERRAL_COLUMNS
    if name in {field for field, _ in RISK_FIELDS}
]


def save_rows(checked: list[Checked], membership: Membership) -> int:
    centre = membership.centre
    assert centre is not None
    by = membership.user
    try:
        referrals = families_import(centre=centre, by=by, rows=[row.payload for row in checked])
    except RowRefused as exc:
        raise ImportFailed(service_errors(exc)) from exc
    except ValidationError as exc:
        # The service's own refusal of the whole import (the checks above say it first).
        raise ImportFailed([CellError(0, "", message) for message in exc.messages]) from exc
    return len(referrals)


def service_errors(exc: RowRefused) -> list[CellError]:
    error = exc.error
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    return [
        CellError(exc.row, REFERRAL_COLUMN_OF.get(field, ""), message)
        for field, found in messages.items()
        for message in found
    ]
