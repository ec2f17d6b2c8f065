"""The list of a form's errors shown at the top of the page, each linking to its field (the
GOV.UK error summary): on a phone the errors marked by the fields are screens away from each
other, and a screen reader hears them only by walking the whole form."""

from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class FormError:
    message: str
    field_id: str = ""  # the id of the element the link moves to; "" for no link


def field_id(bound: forms.BoundField) -> str:
    """The id of the field's control: for radio buttons and checkboxes, the first one's (as
    GOV.UK does), since the group has no control of its own."""
    if bound.id_for_label:
        return bound.id_for_label
    subwidgets = bound.subwidgets
    return (subwidgets[0].id_for_label if subwidgets else "") or bound.auto_id or ""


def form_errors(form: forms.BaseForm, name: str = "") -> list[FormError]:
    """Every error of the form in the order of its fields, each message led by the field's
    label (and `name`, for one form of several: "Adult 2, first name: ...")."""
    found = [FormError(f"{name}: {m}" if name else str(m)) for m in form.non_field_errors()]
    for bound in form:
        label = str(bound.label)
        if name:
            label = f"{name}, {label[:1].lower()}{label[1:]}"
        found += [FormError(_joined(label, str(error)), field_id(bound)) for error in bound.errors]
    return found


def _joined(label: str, message: str) -> str:
    """Label and message: "Surname: This field is required.", but a question keeps its own
    question mark ("Is there a risk of abduction? This field is required.")."""
    return f"{label} {message}" if label.endswith(("?", ":")) else f"{label}: {message}"


def formset_errors(
    formset: "forms.BaseFormSet[forms.BaseForm]", name: str, anchor: str
) -> list[FormError]:
    """The errors of each form of the formset, named "<name> 1", "<name> 2"..., then those of
    the formset as a whole (too few forms, a rule between them), linking to `anchor`."""
    found = []
    for number, form in enumerate(formset.forms, start=1):
        found += form_errors(form, f"{name} {number}")
    found += [FormError(str(message), anchor) for message in formset.non_form_errors()]
    return found
