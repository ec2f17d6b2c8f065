"""A session card (families/timeline.py's SessionCard) drawn once in Python rather than
through families/session_card.html and its _timeline.html include: a busy centre's day has
thirty and more, on the dashboard, day and week views, each costing two includes and a few
dozen template lookups. The same HTML as the template draws (tests/overview/
test_session_card_html.py compares them); every text goes through `escape`, the rest is fixed
text."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from families.timeline import PlanRow, SessionCard

BELOW_COVER = ' <span class="badge text-bg-warning">Below cover</span>'
BRINGS_CHILD = ' <span class="badge text-bg-secondary">brings the child</span>'
KEPT_APART = ' <span class="badge text-bg-warning">kept apart</span>'
THROUGHOUT = (
    '<span class="visually-hidden">Stays throughout</span><span aria-hidden="true">–</span>'
)
HEAD = (
    '<thead><tr><th scope="col">Adult</th><th scope="col">Arrives</th>'
    '<th scope="col">Leaves after handover</th><th scope="col">Returns to collect</th>'
    '<th scope="col">Departs</th></tr></thead>'
)


def session_card_html(card: SessionCard) -> SafeString:
    link = f'<a href="{escape(card.url)}">{escape(card.hours)} · {escape(card.reference)}</a>'
    if card.cancelled:
        names = (
            f'<p class="card-text small text-muted mb-0">{escape(card.names)}</p>'
            if card.names
            else ""
        )
        body = (
            f'<h3 class="h6 card-title text-muted"><del>{link}</del> '
            f'<span class="badge text-bg-light">Cancelled</span></h3>{names}'
        )
    else:
        names = f'<p class="card-text mb-1">{escape(card.names)}</p>' if card.names else ""
        room = f" · {escape(card.room)}" if card.room else ""
        cover = ""
        if card.cover:
            below = BELOW_COVER if card.below_cover else ""
            cover = f" · Cover {escape(card.cover_label)}{below}"
        body = (
            f'<h3 class="h6 card-title">{link}</h3>{names}'
            f'<p class="card-text small mb-2">{escape(card.contact_type)}{room}{cover}</p>'
            f"{_timeline(card.hours, card.plan)}"
        )
    return mark_safe(  # noqa: S308 - every text escaped, the rest fixed text
        f'<article class="card mb-3"><div class="card-body">{body}</div></article>'
    )


def _timeline(hours: str, plan: list[PlanRow]) -> str:
    rows = "".join(_row(row) for row in plan) or '<tr><td colspan="5">No adults planned.</td></tr>'
    return (
        '<table class="table table-sm timeline mb-0">'
        f"<caption>Arrivals and departures for contact {escape(hours)}</caption>"
        f"{HEAD}<tbody>{rows}</tbody></table>"
    )


def _row(row: PlanRow) -> str:
    apart = ' class="timeline-kept-apart"' if row.kept_apart else ""
    badges = (BRINGS_CHILD if row.brings_child else "") + (KEPT_APART if row.kept_apart else "")
    return (
        f'<tr{apart}><th scope="row">{escape(row.role)}{badges}</th>'
        f"<td>{escape(row.arrives)}</td><td>{escape(row.leaves) if row.leaves else THROUGHOUT}</td>"
        f"<td>{escape(row.returns) if row.returns else THROUGHOUT}</td>"
        f"<td>{escape(row.departs)}</td></tr>"
    )
