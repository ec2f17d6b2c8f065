"""The audit trail page draws its rows without a template filter per cell, and shows exactly
what the template drew: the same HTML, compared as parsed HTML (whitespace aside). Its filter
form: tests/cccc/test_form_drawing.py."""

import pytest
from django.template import engines
from django.test.html import parse_html

from cccc.audit_views import AuditFilterForm, draw_rows, entries_for, roles_at
from cccc.models import AccessLog
from tests.cccc.test_audit_chain import raw
from tests.factories import AccessLogFactory, AdultFactory

pytestmark = pytest.mark.django_db

ROWS = engines["django"].from_string(
    "{% for entry, label, role in rows %}"
    '<tr><td>#{{ entry.seq }}</td><td>{{ entry.at|date:"j M Y H:i" }}</td>'
    '<td>{{ entry.user.full_name }} <small class="text-muted">{{ role }}</small></td>'
    "<td>{{ entry.get_action_display }}</td><td>{{ label }} #{{ entry.record_id }}</td>"
    "<td><small>{{ entry.detail }}</small></td></tr>{% endfor %}"
)


def test_the_rows_are_what_the_template_drew(cast):
    adult = AdultFactory(family__centre=cast.centre)
    cast.coordinator.full_name = "<b>Ann & Co</b>"
    cast.coordinator.save()
    AccessLogFactory(user=cast.coordinator, record=adult, centre=cast.centre, detail="<i>x</i>")
    moved = AccessLogFactory(
        user=cast.chair, record=cast.centre, centre=cast.centre,
        action=AccessLog.Action.ACCOUNT_ROLE,
    )  # fmt: skip
    # A summer evening in UTC, and a record type no longer known (named as it is stored).
    raw(
        "UPDATE cccc_accesslog SET at = '2026-07-09 23:30+00', record_type = 'nowhere.Gone' "
        f"WHERE seq = {moved.seq}"
    )
    form = AuditFilterForm(None, centre=cast.centre)
    entries = list(entries_for(cast.centre, form))
    roles = roles_at(cast.centre)
    ours = "".join(draw_rows(entries, roles))
    theirs = ROWS.render({"rows": [(e, _label(e), roles.get(e.user_id, "")) for e in entries]})
    assert parse_html(ours) == parse_html(theirs)
    assert "10 Jul 2026 00:30" in ours  # London's summer time, as the date filter showed it


def _label(entry):
    from cccc.audit_views import record_label

    return record_label(entry.record_type)
