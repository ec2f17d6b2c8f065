"""Pages are scoped by the membership in use, never by the person (issue 19 point 1).

`User.role`, `User.centre` and their kin still exist, so that a person can be made with their
first membership and a script can read a person's only one; but a page, a service or a template
that scoped by them would, for a person in two centres, raise (or worse, once someone "fixed"
that, pick a centre). This scans the application's code and templates for them.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["cccc", "families", "volunteers", "disclosures", "retention", "overview"]
ATTRIBUTES = (
    "role|centre|centre_id|awaiting_approval|get_role_display|is_coordinator|is_chair|"
    "is_volunteer|is_referrer|is_operator"
)
# A person's attribute read through a name that holds a person.
IN_PYTHON = re.compile(
    rf"\b(request\.user|user|actor|inviter|by|author|account|person)\.({ATTRIBUTES})\b(?!\s*=[^=])"
)
IN_TEMPLATES = re.compile(rf"\b(request\.user|user)\.({ATTRIBUTES})\b")
# Where reading them is the point: the shims themselves.
ALLOWED = {"cccc/models/centre.py"}


def _offences(pattern: re.Pattern[str], paths) -> list[str]:
    found = []
    for path in paths:
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_application_code_scopes_by_the_persons_role_or_centre():
    paths = [p for app in APPS for p in (ROOT / app).rglob("*.py")]
    assert _offences(IN_PYTHON, paths) == []


def test_no_template_shows_the_persons_role_or_centre_rather_than_the_memberships():
    assert _offences(IN_TEMPLATES, (ROOT / "templates").rglob("*.html")) == []


# An access helper ("families_for", "get_family_for", ...) handed the person.
HELPER_GIVEN_THE_PERSON = re.compile(r"\b\w+_for\(request\.user\b")


def test_no_access_helper_is_handed_the_person_instead_of_the_membership():
    paths = [p for app in APPS for p in (ROOT / app).rglob("*.py")]
    assert _offences(HELPER_GIVEN_THE_PERSON, paths) == []
    assert HELPER_GIVEN_THE_PERSON.search("family = get_family_for(request.user, pk)")


def test_the_family_helpers_refuse_a_person(db):
    from families.access import families_for
    from tests.factories import UserFactory

    with pytest.raises(TypeError):
        families_for(UserFactory(role="coordinator"))


def test_the_scan_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("if request.user.role == 'x':\n    centre = by.centre_id\nuser.role = 'x'\n")
    found = [line for line in sample.read_text().splitlines() if IN_PYTHON.search(line)]
    assert found == ["if request.user.role == 'x':", "    centre = by.centre_id"]
