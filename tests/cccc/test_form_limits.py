"""Every text a form accepts has a limit (issue 20, item 1): what a form takes, every page and
every PDF must then lay out (tests/disclosures/test_pdf_limits.py renders them at it)."""

import importlib
import inspect

from django import forms

from cccc.fields import FREE_TEXT_MAX_LENGTH

FORM_MODULES = [
    "cccc.forms", "cccc.policy_views", "disclosures.forms", "disclosures.legal_forms",
    "families.forms", "families.referral_forms", "families.session_forms", "volunteers.forms",
    "retention.forms",
]  # fmt: skip


def project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found.append(cls)
    return found


def test_every_text_field_of_every_form_has_a_maximum_length():
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
        and field.max_length is None
        # A password is hashed, never shown or printed; Django's own forms take it.
        and not isinstance(field.widget, forms.PasswordInput)
    ]
    assert len(project_forms()) > 30
    assert unbounded == []


def test_free_text_is_limited_with_a_message_that_says_so():
    from families.session_forms import NoteForm

    form = NoteForm(data={"text": "x" * (FREE_TEXT_MAX_LENGTH + 1)})
    form.is_valid()
    message = f"limited to {FREE_TEXT_MAX_LENGTH} characters (it has {FREE_TEXT_MAX_LENGTH + 1})"
    assert message in " ".join(form.errors["text"])
