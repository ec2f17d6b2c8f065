"""Filter forms' fields drawn as crispy-forms' Bootstrap 5 field draws them, without the widget
templates (a template per option: a select of forty options cost a page several milliseconds).
For plain, optional, valid fields only: `draw_fields` answers None for a form with errors, or
a field that is required, has help text or another widget, and the page then draws the form
with crispy as before. The HTML is the same as crispy's, whitespace aside
(tests/cccc/test_form_drawing.py). Every text goes through `escape`."""

from django import forms
from django.forms import BoundField
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _select(field: BoundField, chosen: str) -> str:
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
        f"{escape(text)}</option>"
        for value, text in field.field.choices  # type: ignore[attr-defined]
    )
    return (
        f'<select name="{escape(field.html_name)}" class="select form-select" '
        f'id="{escape(field.auto_id)}">{options}</select>'
    )


def _date(field: BoundField, value: str) -> str:
    shown = f' value="{escape(value)}"' if value else ""
    return (
        f'<input type="date" name="{escape(field.html_name)}"{shown} '
        f'class="dateinput form-control" id="{escape(field.auto_id)}">'
    )


def _drawable(field: BoundField) -> bool:
    widget = field.field.widget
    plain = not widget.attrs and (
        type(widget) is forms.Select
        or (type(widget) is forms.DateInput and widget.input_type == "date")
    )
    return plain and not field.field.required and not field.help_text and bool(field.auto_id)


def draw_fields(form: forms.Form) -> list[SafeString] | None:
    """Each field of the form, in order, or None where crispy must draw them."""
    fields = list(form)
    if form.errors or form.non_field_errors() or not all(_drawable(f) for f in fields):
        return None
    drawn = []
    for field in fields:
        value = field.value()
        given = "" if value is None else str(value)
        control = (
            _select(field, given) if isinstance(field.field.widget, forms.Select) else
            _date(field, given)
        )  # fmt: skip
        drawn.append(
            mark_safe(  # noqa: S308 - every text escaped, the rest fixed text
                f'<div id="div_{escape(field.auto_id)}" class="mb-3">'
                f'<label for="{escape(field.id_for_label)}" class="form-label">'
                f"{escape(field.label)}</label>{control}</div>"
            )
        )
    return drawn
