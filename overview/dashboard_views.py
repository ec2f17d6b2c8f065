"""The coordinator's dashboard: what needs doing today and this week, in a fixed number of
queries whatever the size of the centre."""

import datetime
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, Subquery, Window
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cccc.access import require_role
from cccc.models import Centre, Membership, Role
from cccc.policies import current_review_due, review_message
from disclosures.access import break_glass_alerts, requests_for
from disclosures.legal_access import sars_for, summonses_for
from families.access import sessions_for
from families.models import ContactSession
from families.names import names_for_ids, with_names
from families.timeline import SessionCard, add_plans, session_cards
from overview.dashboard_lists import LIST_LIMIT, draw_dbs_due, draw_family_lists, read_family_rows
from overview.week_lines import below_cover_lines, day_links, week_lines
from volunteers.dbs_services import dbs_reminders_due
from volunteers.rota_services import cover_annotations

WEEK_DAYS = 7  # today and the six days after it


@login_required
@require_GET
def dashboard(request):
    require_role(request.membership, Role.COORDINATOR)
    membership = request.membership
    centre = membership.centre
    today = timezone.localdate()
    # The week's sessions, today's included, each with its cover and its timeline in brief, in
    # one query whatever their number; then, in one more, the full plans of today's, drawn
    # adult by adult. The centre filter is for the (centre, date) index; access comes from
    # sessions_for.
    week = sessions_for(membership).filter(
        centre=centre,
        status=ContactSession.Status.BOOKED,
        date__range=(today, today + datetime.timedelta(days=WEEK_DAYS - 1)),
    )
    cards = session_cards(
        week.order_by("date", "starts_at", "pk"), cover=cover_annotations(), plans=False
    )
    rows = read_family_rows(membership, centre, today)
    # Every family's names, on cards and lists alike, opened in one go.
    names = names_for_ids({card.family_id for card in cards} | rows.family_ids())
    cards = with_names(cards, names)
    today_cards = [card for card in cards if card.date == today]
    later = [card for card in cards if card.date > today]
    add_plans(today_cards)
    below_cover = [card for card in cards if card.below_cover]
    context = {
        "centre": centre,
        "today": today,
        **_rarer_panels(membership, today),
        "today_cards": today_cards,
        # The rest of the week: every session, a line each, with a count of each day's
        # (linking to the day's page, which draws every plan in full); and the sessions short
        # of volunteers, as a list of things to do.
        "week_lines": week_lines(later),  # drawn in Python, each once
        "week_days": day_links(today, _days(today, cards)),
        "below_cover": below_cover_lines(below_cover[:LIST_LIMIT]),
        "below_cover_more": max(len(below_cover) - LIST_LIMIT, 0),
        "dbs_due": draw_dbs_due(dbs_reminders_due(centre)),
        **draw_family_lists(rows, names, today),
    }
    return render(request, "overview/dashboard.html", context)


def _rarer_panels(membership: Membership, today: datetime.date) -> dict:
    """The panels that are empty on most days (break-glass releases the chair has not
    acknowledged, open witness summonses, open subject access requests, disclosure requests
    waiting for a decision) and the policy's review date, asked in one query; each list is
    then read only when it has something to show, so a typical day saves four queries. Every
    question goes through the same access helper as its list."""
    centre_id = membership.centre_id
    found = (
        Centre.objects.filter(pk=centre_id)
        .annotate(
            alerts=Exists(break_glass_alerts(centre_id)),
            summonses=Exists(summonses_for(membership).holding()),
            sars=Exists(sars_for(membership).open()),
            undecided=Exists(requests_for(membership).open()),
            review_due=Subquery(current_review_due(centre_id, today)),
        )
        .values("alerts", "summonses", "sars", "undecided", "review_due")
        .get()
    )
    panels: dict = {
        "policy_warning": review_message(found["review_due"], today=today),
        # Exceptions stay at the top until the chair acknowledges them (SPEC §5).
        "break_glass_alerts": list(break_glass_alerts(centre_id)) if found["alerts"] else [],
        # Legal holds that need action: open witness summonses, subject access requests by
        # days left (one month from receipt, CHE-DP6).
        "open_summonses": [],
        "open_sars": [],
        "undecided_requests": [],
        "undecided_more": 0,
    }
    if found["summonses"]:
        panels["open_summonses"] = list(
            summonses_for(membership)
            .holding()
            .defer("case_number", "notes")
            .order_by("hearing_on", "received_on", "pk")[:LIST_LIMIT]
        )
    if found["sars"]:
        panels["open_sars"] = list(
            sars_for(membership)
            .open()
            .select_related("family", "adult")
            .defer("extension_reason")
            .order_by("due_on", "pk")[:LIST_LIMIT]
        )
    if found["undecided"]:
        panels.update(_undecided_requests(membership))
    return panels


def _undecided_requests(membership: Membership) -> dict:
    """Disclosure requests waiting for the coordinator's decision, the longest waiting first,
    with how many more there are: one query whatever their number (each row carries the
    count of them all, a window over the open requests, counted before the limit).
    References, categories and dates only; nothing sealed is read."""
    listed = list(
        requests_for(membership)
        .open()
        .select_related("family")
        .only("received_at", "category", "requester_type", "family__reference")
        .annotate(waiting=Window(Count("pk")))
        .order_by("received_at", "pk")[:LIST_LIMIT]
    )
    return {
        "undecided_requests": listed,
        "undecided_more": max(listed[0].waiting - LIST_LIMIT, 0) if listed else 0,
    }


def _days(today: datetime.date, cards: list[SessionCard]) -> list[tuple[datetime.date, int]]:
    """(day, number of sessions) for each day of the week, from today, quiet days included."""
    counts = Counter(card.date for card in cards)
    days = (today + datetime.timedelta(days=n) for n in range(WEEK_DAYS))
    return [(day, counts[day]) for day in days]
