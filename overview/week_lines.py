"""The dashboard's lines for the rest of the week, drawn once each in Python rather than
through the template (a busy centre has about 160 of them, each a dozen template lookups):
the same HTML as the template drew (tests/overview/test_week_lines.py). Every text goes
through `escape`; the rest is fixed text."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from families.timeline import SessionCard

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
