"""Filter forms drawn without the widget templates (cccc.form_drawing) show exactly what
crispy drew: the same HTML, compared as parsed HTML (whitespace aside). A form with errors is
left to crispy, which marks them."""

import datetime

import pytest
from django import forms
from django.template import engines
from django.test.html import parse_html

from cccc.audit_views import AuditFilterForm
from cccc.form_drawing import draw_fields
from retention.forms import QuarterForm

pytestmark = pytest.mark.django_db

CRISPY = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
TODAY = datetime.date(2026, 12, 2)


def _same(ours: forms.Form, theirs: forms.Form) -> str:
    ours.is_valid()
    drawn = draw_fields(ours)
    assert drawn is not None
    html = "".join(drawn)
    assert parse_html(html) == parse_html(CRISPY.render({"form": theirs}))
    return html


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"kind": "reveal_contact"},
        {"since": "2026-01-02", "until": "2026-03-04"},
        {"person": "CHAIR", "kind": "view_audit", "since": "2026-01-02"},
    ],
)
def test_the_audit_filter_is_what_crispy_drew(cast, data):
    if data and data.get("person") == "CHAIR":
        data = {**data, "person": str(cast.chair.pk)}
    html = _same(
        AuditFilterForm(data, centre=cast.centre), AuditFilterForm(data, centre=cast.centre)
    )
    assert cast.coordinator.full_name in html


@pytest.mark.parametrize("data", [None, {"quarter": "2026-04-01"}, {"quarter": ""}])
@pytest.mark.parametrize("complete_only", [False, True])
def test_the_quarter_choice_is_what_crispy_drew(data, complete_only):
    html = _same(
        QuarterForm(data, today=TODAY, complete_only=complete_only),
        QuarterForm(data, today=TODAY, complete_only=complete_only),
    )
    assert "2024 Q1" in html


@pytest.mark.parametrize(
    "data",
    [{"since": "2026-03-04", "until": "2026-01-02"}, {"since": "not a date"}, {"person": "0"}],
)
def test_a_form_with_errors_is_left_to_crispy(cast, data):
    form = AuditFilterForm(data, centre=cast.centre)
    form.is_valid()
    assert draw_fields(form) is None


def test_a_quarter_not_offered_is_left_to_crispy():
    form = QuarterForm({"quarter": "1999-01-01"}, today=TODAY)
    form.is_valid()
    assert draw_fields(form) is None


class _Required(forms.Form):
    name = forms.ChoiceField(choices=[("a", "A")])


def test_a_required_field_is_left_to_crispy():
    assert draw_fields(_Required()) is None
