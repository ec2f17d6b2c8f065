"""The dashboard's week lines drawn in Python (overview/week_lines.py) show exactly what the
template drew from the session cards: the same HTML, compared as parsed HTML."""

import dataclasses
import datetime

from django.template import engines
from django.test.html import parse_html

from families.timeline import SessionCard
from overview.week_lines import week_lines

TEMPLATE = engines["django"].from_string(
    "{% for card in week_cards %}"
    '<tr><td class="text-nowrap">{{ card.day }}</td><td class="text-nowrap">'
    '<a href="{{ card.url }}">{{ card.hours }}</a></td><td>{{ card.in_building }}'
    '{% if card.handover %} <span class="badge text-bg-info">kept apart: handover</span>'
    "{% endif %}</td><td>{{ card.reference }}{% if card.names %}<br>"
    '<span class="small">{{ card.names }}</span>{% endif %}</td><td>{{ card.contact_type }}'
    "</td><td>{{ card.cover_label }}{% if card.below_cover %} "
    '<span class="badge text-bg-warning">Below cover</span>{% endif %}</td></tr>'
    "{% endfor %}"
)

CARD = SessionCard(
    pk=7, date=datetime.date(2026, 12, 3), url="/sessions/7/", hours="10:00–12:00",
    reference="B20-0001", contact_type="Supervised", room="Blue", cancelled=False,
    in_building="09:45–12:15", handover=True, cover=(1, 2), family_id=3,
    names="Amira <Holloway> & Dean; children: Lily",
)  # fmt: skip


def test_the_lines_are_what_the_template_drew():
    cards = [
        CARD,
        dataclasses.replace(CARD, pk=8, handover=False, cover=(2, 2), names=""),
        dataclasses.replace(CARD, pk=9, cover=None, in_building="–"),
    ]
    ours = "".join(week_lines(cards))
    assert parse_html(ours) == parse_html(TEMPLATE.render({"week_cards": cards}))
    assert "Amira &lt;Holloway&gt; &amp; Dean" in ours and "Below cover" in ours
