"""Destroying a batch of due records, in one transaction, so that a crash leaves every
record whole or gone (the steps are those of retention/services.py):

1. its contribution to the anonymous monthly and quarterly statistics is added
   (retention/statistics.py, retention/quarterly_store.py);
   a volunteer's sign-in account is erased and replaced (retention/accounts.py); a family's
   surname searches leave every session and its keep-apart flags with live families stay
   on those families (retention/leftovers.py);
2. its rows and every history row that belongs to it go, blind-index values included
   (retention/plan.py: set-based DELETEs in dependency order);
3. its data key goes (crypto-shredding: any copy of its ciphertext anywhere is now noise);
4. a destruction register entry is written (type, reference or VOL-<id>, dates, rule).

Police visits and witness summonses linked to no family, and referrers' accounts, are a
batch of their own: rows, history rows and own keys (retention/leftovers.py), or the
account erased (retention/accounts.py), then the register entry.

A batch holds records of one type from any number of centres (retention/services.py): the
statistics are kept by centre, each register row names its own centre's rule, and each record
is checked again inside the transaction, its row locked, against its own centre's period
(one query for the batch): one used, held or kept since the review is spared.
"""

import datetime
from collections.abc import Callable
from typing import cast

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cccc.models import Centre, DataKey, Membership, Role
from families.models import Family
from retention import accounts, leftovers, quarterly_store, rules, statistics
from retention import plan as ownership_plan
from retention.holds import holds_for
from retention.models import DestructionRecord, RecordType
from retention.review import Item, keep_longer_dates, volunteer_reference
from volunteers.models import Volunteer


def _register(
    items: list[Item],
    centres: dict[int, Centre],
    run_id: int | None,
    keep_apart_kept: dict[int, int] | None = None,
) -> None:
    rule = {each.record_type: each for each in rules.RULES}
    now = timezone.now()
    DestructionRecord.objects.bulk_create(
        [
            DestructionRecord(
                centre_id=item.centre_id,
                record_type=item.record_type,
                record_id=item.record_id,
                reference=item.reference,
                clock_started_on=item.clock_started_on,
                due_on=item.due_on,
                destroyed_at=now,
                rule=rule[item.record_type].name(centres[item.centre_id]),
                keep_apart_kept=(keep_apart_kept or {}).get(item.record_id, 0),
                run_id=run_id,
            )
            for item in items
        ]
    )


Key = tuple[int, int]  # (centre id, record id): a referrer's account may be due at two centres


def _cutoffs(
    rule: rules.Rule, centres: dict[int, Centre], today: datetime.date
) -> dict[int, datetime.datetime]:
    """Per centre, the first moment of the day after the last clock day due on `today`."""
    cutoffs = {}
    for pk, centre in centres.items():
        # Every rule destroyed here has a period (a Centre setting never null).
        day = cast(datetime.date, rule.last_clock_day_due(centre, today))
        cutoffs[pk] = rules.start_of_day_after(day)
    return cutoffs


def _fresh(items: list[Item], centres: dict[int, Centre], today: datetime.date) -> set[Key]:
    """The records of the batch still due under their own centre's period, rows locked: one
    query for the whole batch, whatever the number of centres."""
    record_type, ids = items[0].record_type, sorted({item.record_id for item in items})
    if record_type == RecordType.REFERRER_ACCOUNT:
        # A membership per centre (the same account may be due at two): centre by centre.
        fresh: set[Key] = set()
        for centre_id in sorted({item.centre_id for item in items}):
            mine = [item.record_id for item in items if item.centre_id == centre_id]
            due = accounts.referrers_still_due(mine, centres[centre_id], today)
            fresh |= {(centre_id, pk) for pk in due}
        return fresh
    if record_type in leftovers.STANDALONE:
        return leftovers.STANDALONE[record_type].still_due(ids, centres, today)
    if record_type == RecordType.FAMILY:
        cutoffs = _cutoffs(rules.FAMILY, centres, today)
        rows = Family.objects.select_for_update().filter(pk__in=ids, centre_id__in=list(centres))
        return {
            (centre_id, pk)
            for pk, centre_id, last_activity in rows.values_list("pk", "centre_id", "last_activity")
            if last_activity < cutoffs[centre_id]
        }
    last_due = {
        pk: cast(datetime.date, rules.VOLUNTEER.last_clock_day_due(centre, today))
        for pk, centre in centres.items()
    }
    volunteers = Volunteer.objects.select_for_update().filter(
        pk__in=ids, centre_id__in=list(centres), status=Volunteer.Status.RESIGNED
    )
    return {
        (centre_id, pk)
        for pk, centre_id, resigned_on in volunteers.values_list("pk", "centre_id", "resigned_on")
        if resigned_on is not None and resigned_on <= last_due[centre_id]
    }


def _still_due(items: list[Item], centres: dict[int, Centre], today: datetime.date) -> list[Item]:
    """The batch again, inside its transaction with its rows locked: a record used, held or
    kept since the review is spared. Each record is judged by its own centre's periods."""
    record_type = items[0].record_type
    fresh = _fresh(items, centres, today)
    fresh_ids = [record_id for _centre, record_id in fresh]
    holds = holds_for(record_type, fresh_ids)
    kept = keep_longer_dates(record_type, fresh_ids)
    return [
        item
        for item in items
        if (item.centre_id, item.record_id) in fresh
        and item.record_id not in holds
        and not (item.record_id in kept and kept[item.record_id] > today)
    ]


def _forget_volunteer_accounts(volunteer_ids: list[int]) -> None:
    """A destroyed volunteer's sign-in account stays (notes and entries they wrote point at
    it) but is erased and replaced everywhere (retention/accounts.py) once the person has no
    membership left: each destroyed record ends the person's volunteer membership at its
    centre (as `accounts.memberships_end` does a referrer's; one statement for the batch,
    whatever the number of centres). A person who also works elsewhere, or in another role,
    keeps their account; one who volunteered at two centres loses it with the second
    record."""
    rows = list(
        Volunteer.objects.filter(pk__in=volunteer_ids, user__isnull=False).values_list(
            "pk", "user_id", "centre_id"
        )
    )
    if not rows:
        return
    theirs = Q(pk__in=[])  # matches nothing
    for _pk, user_id, centre_id in rows:
        theirs |= Q(user_id=user_id, centre_id=centre_id)
    # Its history rows stay, as a referrer's (ids, a centre and a role: past quarters' counts).
    Membership.objects.filter(theirs, role=Role.VOLUNTEER).delete()
    users = {user_id for _pk, user_id, _centre in rows}
    still_member = set(
        Membership.objects.filter(user_id__in=users).values_list("user_id", flat=True)
    )
    accounts.accounts_erase(
        {
            user_id: f"Former volunteer {volunteer_reference(pk)}"
            for pk, user_id, _centre in rows
            if user_id not in still_member
        }
    )


def destroy_batch(
    items: list[Item],
    centres: dict[int, Centre],
    today: datetime.date,
    run_id: int | None,
    on_record: Callable[[Item], None] | None,
) -> list[Item]:
    """Destroy a batch of records of one type, of any of `centres` (by id), in one
    transaction; returns those destroyed (the others were spared by the re-check)."""
    with transaction.atomic():
        doomed = _still_due(items, centres, today)
        if not doomed:
            return []
        record_type, ids = doomed[0].record_type, [item.record_id for item in doomed]
        if record_type in leftovers.STANDALONE or record_type == RecordType.REFERRER_ACCOUNT:
            if record_type == RecordType.REFERRER_ACCOUNT:
                for centre_id in sorted({item.centre_id for item in doomed}):
                    mine = [item.record_id for item in doomed if item.centre_id == centre_id]
                    accounts.referrers_erase(mine, centres[centre_id])
            else:
                leftovers.STANDALONE[record_type].destroy(ids)
            _register(doomed, centres, run_id)
            return doomed
        model = Family if record_type == RecordType.FAMILY else Volunteer
        key_ids = list(model.objects.filter(pk__in=ids).values_list("data_key_id", flat=True))
        # 1. the statistics, first, so annual figures survive
        for item in doomed:
            if on_record is not None:
                on_record(item)
        kept_apart: dict[int, int] = {}
        if record_type == RecordType.FAMILY:
            statistics.statistics_add(statistics.contributions(ids, today))
            quarterly_store.quarterly_add(quarterly_store.family_contributions(ids, today))
            # the searches held in sessions, and flags shared with live families
            leftovers.sessions_forget_searches()
            kept_apart = leftovers.keep_apart_keep_live(ids, today)
        else:
            quarterly_store.quarterly_add(quarterly_store.volunteer_contributions(ids, today))
            _forget_volunteer_accounts(ids)
        # 2. rows and history rows (the blind indexes live in Adult and HistoricalAdult rows,
        # and the name hashes in NameToken rows, which cascade from the family)
        plan = ownership_plan.ownership(model)
        ownership_plan.destroy(plan, ids)
        # 3. the data keys, last: crypto-shredding (as cccc.keys.data_key_destroy, set-based)
        ownership_plan.delete_rows(DataKey, "id", key_ids)
        # 4. the register
        _register(doomed, centres, run_id, kept_apart)
    return doomed
