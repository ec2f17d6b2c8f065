"""The dashboard's lists of families to act on (open concerns, referrals waiting, reviews due,
families without a rules acknowledgement), read as plain values and drawn once each in Python,
as the week's lines are (overview/week_lines.py): each of the forty lines cost a dozen template
lookups, a `{% url %}` and a `date` filter, a fifth of the busy dashboard's time. The same HTML as
the template drew (tests/overview/test_dashboard_lists.py compares them). Every text goes
through `escape`; the rest is fixed text.

Every list is read through the access helpers of the membership in use, ten rows at most,
references, dates and kinds only: nothing sealed is read here (the names come from
families/names.py, opened with the session cards' in one go).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cccc.addresses import each_address
from cccc.models import Centre, Membership
from families.access import concerns_for, families_for, referrals_for
from families.models import Adult, Concern, Family, Referral
from families.models.referral import REVIEW_WARNING_DAYS
from families.names import NOBODY, FamilyNames
from volunteers.dbs_services import RenewalDue

LIST_LIMIT = 10  # a summary: each list links to its full page
OVERDUE = ' <span class="badge text-bg-danger">Overdue</span>'
_CONCERN_KINDS = dict(Concern.Kind.choices)


@dataclass(frozen=True)
class FamilyRows:
    """The rows of the four lists, as read: (pk, family id, reference, date or kind...); a
    family without an acknowledgement is (family id, reference)."""

    open_concerns: list[tuple]
    pending_referrals: list[tuple]
    reviews_due: list[tuple]
    unacknowledged_families: list[tuple]

    def family_ids(self) -> set[int]:
        lists = (self.open_concerns, self.pending_referrals, self.reviews_due)
        ids = {row[1] for rows in lists for row in rows}
        return ids | {pk for pk, _ in self.unacknowledged_families}


def read_family_rows(membership: Membership, centre: Centre, today: datetime.date) -> FamilyRows:
    """Ten of each list, each in one query."""
    referrals = referrals_for(membership)
    unacknowledged = Adult.objects.filter(family=OuterRef("pk")).unacknowledged(
        centre.rules_version
    )
    return FamilyRows(
        open_concerns=list(
            concerns_for(membership)
            .filter(status=Concern.Status.OPEN)
            .order_by("raised_at")
            .values_list("pk", "family_id", "family__reference", "kind", "raised_at")[:LIST_LIMIT]
        ),
        pending_referrals=list(
            referrals.filter(status=Referral.Status.PENDING)
            .order_by("received_on", "pk")
            .values_list("pk", "family_id", "family__reference", "received_on")[:LIST_LIMIT]
        ),
        reviews_due=list(
            referrals.reviews_due(today + datetime.timedelta(days=REVIEW_WARNING_DAYS))
            .order_by("review_due")
            .values_list("pk", "family_id", "family__reference", "review_due")[:LIST_LIMIT]
        ),
        unacknowledged_families=list(
            families_for(membership)
            .exclude(status=Family.Status.CLOSED)
            .filter(Exists(unacknowledged))
            .order_by("reference")
            .values_list("pk", "reference")[:LIST_LIMIT]
        ),
    )


def day_month_year(day: datetime.date) -> str:
    """As the template's `date:"j M Y"`: "3 Dec 2026"."""
    return f"{day.day} {day:%b} {day.year}"


def draw_family_lists(
    rows: FamilyRows, names: dict[int, FamilyNames], today: datetime.date
) -> dict[str, list[SafeString]]:
    """Each list's lines, by the name the template shows it under."""
    family_url = each_address("family_detail")
    referral_url = each_address("referral_detail")

    def family(url: str, reference: str, family_id: int) -> str:
        line = f'<a href="{escape(url)}">{escape(reference)}</a>'
        if found := names.get(family_id, NOBODY):
            line += f" · {escape(str(found))}"
        return line

    concerns = []
    for _pk, family_id, reference, kind, raised_at in rows.open_concerns:
        danger = "" if kind == Concern.Kind.GUIDANCE else " list-group-item-danger"
        raised = timezone.localtime(raised_at)
        concerns.append(
            _li(
                f"{family(family_url(family_id), reference, family_id)}"
                f" · {escape(_CONCERN_KINDS.get(kind, kind))}"
                f" · {raised.day} {raised:%b %H:%M}",
                danger,
            )
        )
    pending = [
        _li(
            f"{family(referral_url(pk), reference, family_id)}"
            f" · received {day_month_year(received)}"
        )
        for pk, family_id, reference, received in rows.pending_referrals
    ]
    reviews = [
        _li(
            f"{family(referral_url(pk), reference, family_id)}"
            f" · due {day_month_year(due)}{OVERDUE if due < today else ''}"
        )
        for pk, family_id, reference, due in rows.reviews_due
    ]
    unacknowledged = [
        _li(family(family_url(pk), reference, pk)) for pk, reference in rows.unacknowledged_families
    ]
    return {
        "open_concerns": concerns,
        "pending_referrals": pending,
        "reviews_due": reviews,
        "unacknowledged_families": unacknowledged,
    }


def draw_dbs_due(due: list[RenewalDue]) -> list[SafeString]:
    """The DBS renewals due: the volunteer's name (their own record's, for the coordinator),
    when it runs out, and a colour as it nears."""
    url = each_address("volunteer_detail")
    lines = []
    for item in due:
        volunteer, days = item.volunteer, item.days_left
        if days < 0:
            colour = " list-group-item-danger"
        elif days <= 7:
            colour = " list-group-item-warning"
        else:
            colour = ""
        when = day_month_year(item.renewal_due)
        when = f"ran out {when}" if days < 0 else f"due {when} ({days} days)"
        name = f"{volunteer.first_name} {volunteer.last_name}"
        link = f'<a href="{url(volunteer.pk)}">{escape(name)}</a>'
        lines.append(_li(f"{link} · {when}", colour))
    return lines


def _li(body: str, css: str = "") -> SafeString:
    return mark_safe(f'<li class="list-group-item{css}">{body}</li>')  # noqa: S308 - escaped
