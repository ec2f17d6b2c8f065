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

Each record is checked again inside the transaction, its row locked: one used, held or kept
since the review is spared.
"""

import datetime
from collections.abc import Callable
from typing import cast

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
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


def _still_due(items: list[Item], centre: Centre, today: datetime.date) -> list[Item]:
    """The batch again, inside its transaction with its rows locked: a record used, held or
    kept since the review is spared."""
    by_id = {item.record_id: item for item in items}
    ids = list(by_id)
    if items[0].record_type in leftovers.STANDALONE:
        fresh_ids = leftovers.STANDALONE[items[0].record_type].still_due(ids, centre, today)
        return [by_id[pk] for pk in ids if pk in fresh_ids]
    if items[0].record_type == RecordType.REFERRER_ACCOUNT:
        fresh_ids = accounts.referrers_still_due(ids, centre, today)
        return [by_id[pk] for pk in ids if pk in fresh_ids]
    fresh: QuerySet[Family] | QuerySet[Volunteer]
    if items[0].record_type == RecordType.FAMILY:
        # Both rules have a period (a Centre setting never null), so a day is due.
        last_due = cast(datetime.date, rules.FAMILY.last_clock_day_due(centre, today))
        fresh = Family.objects.select_for_update().filter(
            pk__in=ids, centre=centre, last_activity__lt=rules.start_of_day_after(last_due)
        )
    else:
        last_due = cast(datetime.date, rules.VOLUNTEER.last_clock_day_due(centre, today))
        fresh = Volunteer.objects.select_for_update().filter(
            pk__in=ids,
            centre=centre,
            status=Volunteer.Status.RESIGNED,
            resigned_on__lte=last_due,
        )
    fresh_ids = set(fresh.values_list("pk", flat=True))
    holds = holds_for(items[0].record_type, fresh_ids)
    kept = keep_longer_dates(items[0].record_type, list(fresh_ids))
    return [
        by_id[pk]
        for pk in ids
        if pk in fresh_ids and pk not in holds and not (pk in kept and kept[pk] > today)
    ]


def _forget_volunteer_accounts(volunteer_ids: list[int]) -> None:
    """A destroyed volunteer's sign-in account stays (notes and entries they wrote point at
    it) but is erased and replaced everywhere (retention/accounts.py), when volunteering at
    this centre is all the person does. A person who also works elsewhere, or in another
    role, keeps their account: without the volunteer record, that membership can no longer
    be used (volunteers.auth)."""
    elsewhere = Membership.objects.filter(user_id=OuterRef("user_id")).exclude(
        centre_id=OuterRef("centre_id"), role=Role.VOLUNTEER
    )
    rows = (
        Volunteer.objects.filter(pk__in=volunteer_ids, user__isnull=False)
        .exclude(Exists(elsewhere))
        .values_list("pk", "user_id")
    )
    accounts.accounts_erase(
        {user_id: f"Former volunteer {volunteer_reference(pk)}" for pk, user_id in rows}
    )


def destroy_batch(
    items: list[Item],
    centre: Centre,
    today: datetime.date,
    run_id: int | None,
    on_record: Callable[[Item], None] | None,
) -> list[Item]:
    with transaction.atomic():
        doomed = _still_due(items, centre, today)
        if not doomed:
            return []
        record_type, ids = doomed[0].record_type, [item.record_id for item in doomed]
        if record_type in leftovers.STANDALONE or record_type == RecordType.REFERRER_ACCOUNT:
            if record_type == RecordType.REFERRER_ACCOUNT:
                accounts.referrers_erase(ids, centre)
            else:
                leftovers.STANDALONE[record_type].destroy(ids)
            _register(doomed, {centre.pk: centre}, run_id)
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
        _register(doomed, {centre.pk: centre}, run_id, kept_apart)
    return doomed
