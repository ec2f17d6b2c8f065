"""Every text a form accepts has a limit (issue 20, item 1): what a form takes, every page and
every PDF must then lay out (tests/disclosures/test_pdf_limits.py renders them at it)."""

import importlib
import inspect
from pathlib import Path

from django import forms

from cccc.fields import FREE_TEXT_MAX_LENGTH

ROOT = Path(__file__).resolve().parents[2]
APPS = ["cccc", "disclosures", "families", "volunteers", "retention", "overview", "tools"]


def form_modules() -> list[str]:
    """Every module of the project that declares a form (found by reading the source)."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "class " not in (text := path.read_text()):
                continue
            if "forms.Form" in text or "forms.ModelForm" in text or "Form)" in text:
                found.append(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for name in form_modules():
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
