"""A large, realistic data set for the page benchmark (`manage.py bench`).

Every personal value is a real token: rows are built as model instances and each field's own
`pre_save` seals it (and computes the blind index) exactly as `save()` and `bulk_create()` do;
only the transport differs. Rows go in with PostgreSQL COPY, a few thousand at a time per
centre, never one INSERT per row, so the large set takes a minute or two rather than hours.
The ids of rows that others point at are reserved from their sequences first.

Volunteers come with their DBS checks, and every booked session has volunteers on its rota
(some short of the centre's cover), as the dashboard reads both. Not written: simple_history
rows (bulk inserts skip them; the pages measured never read history) and disclosures and
retention records (no page measured reads them).

The parts, by what they make: tools/benchmark_centres.py (centres, their staff, volunteers and
the rota), tools/benchmark_families.py (families and all they own), tools/benchmark_copy.py
(the COPY writer), tools/benchmark_values.py (the made-up names and places) and
tools/benchmark_database.py (which database may be dropped and refilled, and doing it).
"""

import random

from django.db import connection, transaction

from cccc.models import Centre, DataKey, User
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    Concern,
    ContactSession,
    Family,
    KeepApart,
    NameToken,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
)
from tools.benchmark_centres import add_volunteers, ensure_centres
from tools.benchmark_families import add_families
from volunteers.models import RotaEntry, Volunteer, VolunteerAvailability


def fill(*, centres: int, families_per_centre: int, seed: int = 2026) -> None:
    """Top the database up to `centres` centres of `families_per_centre` families each.
    Run it again with larger numbers to grow the same data set."""
    staff = ensure_centres(centres)
    for centre in Centre.objects.filter(pk__in=staff).order_by("code"):
        have = Family.objects.filter(centre=centre).count()
        if have < families_per_centre:
            rng = random.Random(f"{seed}/{centre.code}/{have}")
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # A lost benchmark row costs nothing; waiting for each WAL flush does.
                    cursor.execute("SET LOCAL synchronous_commit TO off")
                add_volunteers(centre, staff[centre.pk], families_per_centre, rng)
                add_families(centre, staff[centre.pk], families_per_centre - have, rng)


def vacuum_analyze() -> None:
    """What autovacuum would have done on a live installation: fresh planner statistics and
    visibility maps, so the pages are timed against a settled database."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


COUNTED = {
    "centres": Centre.objects,
    "families": Family.objects,
    "adults": Adult.objects,
    "children": Child.objects,
    "referrals": Referral.objects,
    "pending referrals": Referral.objects.filter(status=Referral.Status.PENDING),
    "sessions": ContactSession.objects,
    "adult attendances": SessionAttendance.objects,
    "child attendances": ChildAttendance.objects,
    "keep-apart flags": KeepApart.objects,
    "concerns": Concern.objects,
    "rules acknowledgements": RulesAcknowledgement.objects,
    "volunteers": Volunteer.objects,
    "volunteer availability": VolunteerAvailability.objects,
    "rota entries": RotaEntry.objects,
    "name search hashes": NameToken.objects,
    "data keys": DataKey.objects,
    "users": User.objects,
}


def row_counts() -> dict[str, int]:
    return {label: manager.count() for label, manager in COUNTED.items()}
