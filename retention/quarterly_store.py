"""What destroyed records add to the quarterly statistics (retention/quarterly.py), kept in
QuarterlyStatistic just before they go (retention/destruction.py, step 1), so that a quarter's
figures do not change when the nightly job destroys a family or a volunteer."""

import datetime
from collections import Counter
from collections.abc import Collection
from typing import cast

from cccc.dates import add_months
from families.models import ContactSession, Referral
from retention.models import QuarterlyStatistic
from retention.quarterly import Figures, QuarterFigures, live_figures, quarter_of
from volunteers.models import Volunteer


def family_contributions(family_ids: Collection[int], today: datetime.date) -> Figures:
    """What these families add to each quarter's figures, before they are destroyed."""
    return live_figures(
        ContactSession.objects.filter(family_id__in=family_ids),
        Referral.objects.filter(family_id__in=family_ids),
        today,
    )


def volunteer_contributions(volunteer_ids: Collection[int], today: datetime.date) -> Figures:
    """A volunteer counts in every quarter from the one they were appointed in to the one
    they resigned in (today's, if they have not)."""
    figures: Figures = {}
    rows = Volunteer.objects.filter(pk__in=volunteer_ids, appointed_on__isnull=False)
    for centre_id, appointed_on, resigned_on in rows.values_list(
        "centre_id", "appointed_on", "resigned_on"
    ):
        # appointed_on is never None here (the filter); the cast is for the type checker.
        quarter = quarter_of(cast(datetime.date, appointed_on))
        last = quarter_of(resigned_on or today)
        while quarter <= last:
            figures.setdefault((centre_id, quarter), QuarterFigures()).volunteers += 1
            quarter = add_months(quarter, 3)
    return figures


def _added(stored: dict[str, int], counts: Counter[str]) -> dict[str, int]:
    total = Counter(stored)
    total.update(counts)
    return dict(total)


def quarterly_add(figures: Figures) -> None:
    """Add destroyed records' figures to the stored quarterly statistics (caller's
    transaction; the retention lock keeps runs from racing)."""
    if not figures:
        return
    stored = {
        (row.centre_id, row.quarter): row
        for row in QuarterlyStatistic.objects.select_for_update().filter(
            centre_id__in={centre_id for centre_id, _ in figures},
            quarter__in={quarter for _, quarter in figures},
        )
    }
    new, changed = [], []
    for (centre_id, quarter), figure in figures.items():
        row = stored.get((centre_id, quarter))
        if row is None:
            row = QuarterlyStatistic(centre_id=centre_id, quarter=quarter)
            new.append(row)
        else:
            changed.append(row)
        row.referrals_received = _added(row.referrals_received, figure.received)
        row.referrals_accepted = _added(row.referrals_accepted, figure.accepted)
        row.referrals_rejected = _added(row.referrals_rejected, figure.rejected)
        row.no_shows = _added(row.no_shows, figure.no_shows)
        row.families += figure.families
        row.children += figure.children
        row.sessions_held += figure.sessions_held
        row.volunteers += figure.volunteers
        days = set(row.opening_days) | {day.isoformat() for day in figure.opening_days}
        row.opening_days = sorted(days)
        row.rooms = sorted(set(row.rooms) | figure.rooms)
    QuarterlyStatistic.objects.bulk_create(new)
    QuarterlyStatistic.objects.bulk_update(
        changed,
        [
            "referrals_received", "referrals_accepted", "referrals_rejected", "no_shows",
            "families", "children", "sessions_held", "volunteers", "opening_days", "rooms",
        ],
    )  # fmt: skip
