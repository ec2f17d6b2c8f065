"""The session cards of the dashboard, day and week views drawn in Python
(families/session_card_html.py) show exactly what families/session_card.html drew: the same
HTML, compared as parsed HTML, for every kind of card."""

import dataclasses
import datetime

from django.template.loader import render_to_string
from django.test.html import parse_html

from families.session_card_html import session_card_html
from families.timeline import PlanRow, SessionCard

ROWS = [
    PlanRow("Resident parent <R>", True, "09:45", "", "", "12:15"),
    PlanRow("Non-resident parent", False, "10:00", "10:05", "11:55", "12:00"),
]
CARD = SessionCard(
    pk=7, date=datetime.date(2026, 12, 3), url="/sessions/7/", hours="10:00–12:00",
    reference="B20-0001", contact_type="Supervised", room="Blue & <Green>", cancelled=False,
    in_building="09:45–12:15", handover=True, cover=(1, 2), family_id=3,
    names="Amira <Holloway> & Dean; children: Lily", plan=ROWS,
)  # fmt: skip
CARDS = [
    CARD,
    dataclasses.replace(CARD, cover=(2, 2), names="", room=""),
    dataclasses.replace(CARD, cover=None, plan=[]),
    dataclasses.replace(CARD, cancelled=True),
    dataclasses.replace(CARD, cancelled=True, names=""),
]


def test_each_card_is_what_the_template_drew():
    for card in CARDS:
        ours = session_card_html(card)
        theirs = render_to_string("families/session_card.html", {"card": card})
        assert parse_html(ours) == parse_html(theirs), card
    html = session_card_html(CARD)
    assert "Amira &lt;Holloway&gt; &amp; Dean" in html and "Blue &amp; &lt;Green&gt;" in html
    assert "Resident parent &lt;R&gt;" in html and "<script" not in html
