"""A family's sessions drawn as table rows in Python (families/session_rows.py) show exactly
what the family page's and the all-sessions page's templates drew from model instances: the
same HTML, compared as parsed HTML (whitespace aside)."""

import datetime

import pytest
from django.template import engines
from django.test.html import parse_html

from families.models import ContactSession, ContactType
from families.session_rows import session_rows
from tests.factories import ContactSessionFactory, FamilyFactory

pytestmark = pytest.mark.django_db

# The rows as the two templates drew them before.
DETAIL = engines["django"].from_string(
    "{% for session in sessions %}<tr>"
    "<td><a href=\"{% url 'session_detail' session.pk %}\">"
    '{{ session.date|date:"D j M Y" }}</a></td>'
    '<td>{{ session.starts_at|time:"H:i" }}–{{ session.ends_at|time:"H:i" }}</td>'
    '<td>{{ session.room|default:"—" }}</td><td>{{ session.get_contact_type_display }}</td>'
    "<td>{{ session.get_status_display }}"
    "{% if session.recorded_afterwards %} · recorded afterwards{% endif %}</td></tr>"
    "{% endfor %}"
)
ALL = engines["django"].from_string(
    "{% for session in sessions %}<tr>"
    '<td data-label="Date"><a href="{% url \'session_detail\' session.pk %}">'
    '{{ session.date|date:"D j M Y" }}</a></td>'
    '<td data-label="Time">{{ session.starts_at|time:"H:i" }}–{{ session.ends_at|time:"H:i" }}'
    '</td><td data-label="Room">{{ session.room.name|default:"—" }}</td>'
    '<td data-label="Type">{{ session.get_contact_type_display }}</td>'
    '<td data-label="Status">{{ session.get_status_display }}'
    "{% if session.recorded_afterwards %} · recorded afterwards{% endif %}</td></tr>"
    "{% endfor %}"
)


@pytest.fixture
def sessions():
    family = FamilyFactory()
    ContactSessionFactory(family=family, date=datetime.date(2026, 3, 1), room="<Blue> & Co")
    ContactSessionFactory(
        family=family, date=datetime.date(2025, 12, 29), starts_at=datetime.time(9, 5),
        ends_at=datetime.time(10, 30), room=None, contact_type=ContactType.SUPPORTED,
        status=ContactSession.Status.CANCELLED,
    )  # fmt: skip
    ContactSessionFactory(family=family, date=datetime.date(2024, 2, 29), recorded_afterwards=True)
    return family.sessions.select_related("room").order_by("-date")


@pytest.mark.parametrize(("template", "labelled"), [(DETAIL, False), (ALL, True)])
def test_the_rows_are_what_the_template_drew(sessions, template, labelled):
    ours = "".join(session_rows(sessions, labelled=labelled))
    theirs = template.render({"sessions": list(sessions)})
    assert parse_html(ours) == parse_html(theirs)
    assert "&lt;Blue&gt; &amp; Co" in ours
    assert "Thu 29 Feb 2024" in ours and "recorded afterwards" in ours
