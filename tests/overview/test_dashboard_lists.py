"""The dashboard's lists drawn in Python (overview/dashboard_lists.py, overview/week_lines.py)
show exactly what the template drew from the records: the same HTML, compared as parsed HTML,
with every text escaped and every date in the centre's time."""

import dataclasses
import datetime
from types import SimpleNamespace

import pytest
from django.template import engines
from django.test.html import parse_html

from families.models import Concern
from families.names import FamilyNames
from families.timeline import SessionCard
from overview.dashboard_lists import FamilyRows, draw_dbs_due, draw_family_lists
from overview.week_lines import below_cover_lines, day_links
from volunteers.dbs_services import RenewalDue

TODAY = datetime.date(2026, 7, 1)
NAMES = FamilyNames(("Amira <Holloway>", "Dean & Co"), ("Lily",))
UNSAFE = 'B20-"0001"<'

# What the template drew before (templates/overview/dashboard.html at 9cf3120).
CONCERNS = (
    "{% for concern in open_concerns %}"
    "<li class=\"list-group-item{% if concern.kind != 'guidance' %} list-group-item-danger"
    '{% endif %}"><a href="{% url \'family_detail\' concern.family_id %}">'
    "{{ concern.family.reference }}</a>{% if concern.family.names %} · "
    "{{ concern.family.names }}{% endif %} · {{ concern.get_kind_display }} · "
    '{{ concern.raised_at|date:"j M H:i" }}</li>{% endfor %}'
)
PENDING = (
    "{% for referral in pending_referrals %}"
    '<li class="list-group-item"><a href="{% url \'referral_detail\' referral.pk %}">'
    "{{ referral.family.reference }}</a>{% if referral.family.names %} · "
    "{{ referral.family.names }}{% endif %} · received "
    '{{ referral.received_on|date:"j M Y" }}</li>{% endfor %}'
)
REVIEWS = (
    "{% for referral in reviews_due %}"
    '<li class="list-group-item"><a href="{% url \'referral_detail\' referral.pk %}">'
    "{{ referral.family.reference }}</a>{% if referral.family.names %} · "
    '{{ referral.family.names }}{% endif %} · due {{ referral.review_due|date:"j M Y" }}'
    '{% if referral.review_due < today %} <span class="badge text-bg-danger">Overdue</span>'
    "{% endif %}</li>{% endfor %}"
)
UNACKNOWLEDGED = (
    "{% for family in unacknowledged_families %}"
    '<li class="list-group-item"><a href="{% url \'family_detail\' family.pk %}">'
    "{{ family.reference }}</a>{% if family.names %} · {{ family.names }}{% endif %}</li>"
    "{% endfor %}"
)
DBS = (
    "{% for due in dbs_due %}"
    '<li class="list-group-item{% if due.days_left < 0 %} list-group-item-danger'
    '{% elif due.days_left <= 7 %} list-group-item-warning{% endif %}">'
    "<a href=\"{% url 'volunteer_detail' due.volunteer.pk %}\">{{ due.volunteer.first_name }} "
    "{{ due.volunteer.last_name }}</a> · {% if due.days_left < 0 %}ran out "
    '{{ due.renewal_due|date:"j M Y" }}{% else %}due {{ due.renewal_due|date:"j M Y" }} '
    "({{ due.days_left }} days){% endif %}</li>{% endfor %}"
)
DAYS = (
    "{% for day, count in week_days %}<a href=\"{% url 'day_view_for' day|date:'Y-m-d' %}\">"
    '{% if day == today %}today{% else %}{{ day|date:"D j M" }}{% endif %}</a> {{ count }}'
    "{% if not forloop.last %} · {% endif %}{% endfor %}"
)
BELOW_COVER = (
    "{% for card in below_cover %}"
    '<li class="list-group-item list-group-item-warning"><a href="{% url \'session_rota\' '
    'card.pk %}">{{ card.day }} {{ card.hours }} · {{ card.reference }}</a>{% if card.names %}'
    " · {{ card.names }}{% endif %} · cover {{ card.cover_label }}</li>{% endfor %}"
)


def drew(template: str, **context) -> str:
    return engines["django"].from_string(template).render(context)


def same(ours, theirs: str) -> None:
    ours = "".join(ours)
    assert ours, "nothing drawn"
    assert parse_html(ours) == parse_html(theirs)


def family(pk: int, reference: str, names) -> SimpleNamespace:
    return SimpleNamespace(pk=pk, reference=reference, names=names)


@pytest.fixture
def rows() -> FamilyRows:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London: the line shows the centre's time.
    late = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    return FamilyRows(
        open_concerns=[
            (1, 11, UNSAFE, Concern.Kind.SAFEGUARDING, late),
            (2, 12, "B20-0002", Concern.Kind.GUIDANCE, late + datetime.timedelta(days=40)),
        ],
        pending_referrals=[(3, 11, UNSAFE, datetime.date(2026, 5, 4)), (4, 12, "B", TODAY)],
        reviews_due=[(5, 11, UNSAFE, TODAY - datetime.timedelta(days=1)), (6, 12, "B", TODAY)],
        unacknowledged_families=[(11, UNSAFE), (12, "B20-0002")],
    )


@pytest.mark.django_db
def test_the_family_lists_are_what_the_template_drew(rows):
    names = {11: NAMES}  # family 12 has nobody named yet
    ours = draw_family_lists(rows, names, TODAY)
    fam = {11: family(11, UNSAFE, NAMES), 12: family(12, "B20-0002", FamilyNames())}
    concerns = [
        SimpleNamespace(
            kind=kind, family_id=fid, family=fam[fid], raised_at=raised,
            get_kind_display=dict(Concern.Kind.choices)[kind],
        )
        for _, fid, _, kind, raised in rows.open_concerns
    ]  # fmt: skip
    same(ours["open_concerns"], drew(CONCERNS, open_concerns=concerns))
    assert "1 Jul 00:30" in "".join(ours["open_concerns"])
    for key, template, field in (
        ("pending_referrals", PENDING, "received_on"),
        ("reviews_due", REVIEWS, "review_due"),
    ):
        records = [
            SimpleNamespace(pk=pk, family=family(fid, ref, names.get(fid, "")), **{field: day})
            for pk, fid, ref, day in getattr(rows, key)
        ]
        same(ours[key], drew(template, **{key: records, "today": TODAY}))
    families = [family(pk, ref, names.get(pk, "")) for pk, ref in rows.unacknowledged_families]
    same(ours["unacknowledged_families"], drew(UNACKNOWLEDGED, unacknowledged_families=families))
    everything = "".join(line for lines in ours.values() for line in lines)
    assert "Amira &lt;Holloway&gt;, Dean &amp; Co; children: Lily" in everything
    assert UNSAFE not in everything and "Overdue" in everything


def test_the_dbs_renewals_are_what_the_template_drew():
    def due(pk: int, days: int) -> RenewalDue:
        volunteer = SimpleNamespace(pk=pk, first_name="Jo <b>", last_name="O'Neil")
        return RenewalDue(volunteer, TODAY + datetime.timedelta(days=days), days)  # type: ignore[arg-type]

    dues = [due(1, -3), due(2, 0), due(3, 7), due(4, 8)]
    same(draw_dbs_due(dues), drew(DBS, dbs_due=dues))


def test_the_days_and_the_sessions_below_cover_are_what_the_template_drew():
    days = [(TODAY + datetime.timedelta(days=n), n % 3) for n in range(7)]
    same([day_links(TODAY, days)], drew(DAYS, week_days=days, today=TODAY))
    card = SessionCard(
        pk=7, date=TODAY, url="/sessions/7/", hours="10:00–12:00", reference=UNSAFE,
        contact_type="Supervised", room="", cancelled=False, cover=(0, 2), family_id=3,
        names="Amira <Holloway>",
    )  # fmt: skip
    cards = [card, dataclasses.replace(card, pk=8, names="")]
    same(below_cover_lines(cards), drew(BELOW_COVER, below_cover=cards))
