"""The dashboard's lines for the rest of the week, drawn once each in Python rather than
through the template (a busy centre has about 160 of them, each a dozen template lookups):
the same HTML as the template drew (tests/overview/test_week_lines.py). Every text goes
through `escape`; the rest is fixed text."""

import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cccc.addresses import each_address
from families.timeline import SessionCard, short_day

HANDOVER = ' <span class="badge text-bg-info">kept apart: handover</span>'
BELOW_COVER = ' <span class="badge text-bg-warning">Below cover</span>'


def week_lines(cards: list[SessionCard]) -> list[SafeString]:
    """A table row per session: its day, its time (linking to it), its time in the building
    (with a badge for a keep-apart handover), the family's reference and names, the type of
    contact and the volunteer cover (with a badge when it is short)."""
    return [_line(card) for card in cards]


def _line(card: SessionCard) -> SafeString:
    names = f'<br><span class="small">{escape(card.names)}</span>' if card.names else ""
    return mark_safe(  # noqa: S308 - every text escaped, the rest fixed text
        f'<tr><td class="text-nowrap">{escape(card.day)}</td>'
        f'<td class="text-nowrap"><a href="{escape(card.url)}">{escape(card.hours)}</a></td>'
        f"<td>{escape(card.in_building)}{HANDOVER if card.handover else ''}</td>"
        f"<td>{escape(card.reference)}{names}</td>"
        f"<td>{escape(card.contact_type)}</td>"
        f"<td>{escape(card.cover_label)}{BELOW_COVER if card.below_cover else ''}</td></tr>"
    )


def day_links(today: datetime.date, days: list[tuple[datetime.date, int]]) -> SafeString:
    """The week's days, each linking to its page, with its number of sessions: "today 5 ·
    Fri 4 Dec 3 · ..."."""
    url = each_address("day_view_for")
    return mark_safe(  # noqa: S308 - fixed text, dates and numbers
        " · ".join(
            f'<a href="{url(day.isoformat())}">'
            f"{'today' if day == today else short_day(day)}</a> {count}"
            for day, count in days
        )
    )


def below_cover_lines(cards: list[SessionCard]) -> list[SafeString]:
    """A list item per session short of volunteers, linking to its rota."""
    rota = each_address("session_rota")
    return [
        mark_safe(  # noqa: S308 - every text escaped, the rest fixed text
            f'<li class="list-group-item list-group-item-warning">'
            f'<a href="{rota(card.pk)}">{escape(card.day)} {escape(card.hours)} · '
            f"{escape(card.reference)}</a>{f' · {escape(card.names)}' if card.names else ''}"
            f" · cover {escape(card.cover_label)}</li>"
        )
        for card in cards
    ]
