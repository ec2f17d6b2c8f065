"""Destroying a batch of due records, in one transaction, so that a crash leaves every
record whole or gone (the steps are those of retention/services.py):

1. its contribution to the anonymous monthly statistics is added (retention/statistics.py);
   a volunteer's sign-in account is stripped of everything that names them;
2. its rows and every history row that belongs to it go, blind-index values included
   (retention/plan.py: set-based DELETEs in dependency order);
3. its data key goes (crypto-shredding: any copy of its ciphertext anywhere is now noise);
4. a destruction register entry is written (type, reference or VOL-<id>, dates, rule).

Each record is checked again inside the transaction, its row locked: one used, held or kept
since the review is spared.
"""

import datetime
from collections.abc import Callable

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Centre, DataKey, Role, User
from families.models import Family
from retention import plan as ownership_plan
from retention import rules, statistics
from retention.holds import holds_for
from retention.models import DestructionRecord, RecordType
from retention.review import Item, keep_longer_dates, volunteer_reference
from volunteers.models import Volunteer


def _register(items: list[Item], centres: dict[int, Centre], run_id: int | None) -> None:
    rule = {RecordType.FAMILY: rules.FAMILY, RecordType.VOLUNTEER: rules.VOLUNTEER}
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
    if items[0].record_type == RecordType.FAMILY:
        last_due = rules.FAMILY.last_clock_day_due(centre, today)
        fresh = Family.objects.select_for_update().filter(
            pk__in=ids, centre=centre, last_activity__lt=rules.start_of_day_after(last_due)
        )
    else:
        last_due = rules.VOLUNTEER.last_clock_day_due(centre, today)
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
    it) but loses their name, email, password, devices and their history rows, and
    django-axes forgets their sign-ins and failed attempts (username as typed, address)."""
    accounts = list(
        Volunteer.objects.filter(pk__in=volunteer_ids, user__role=Role.VOLUNTEER).values_list(
            "pk", "user_id", "user__email"
        )
    )
    emails = [email.lower() for _, _, email in accounts]
    for model in (AccessAttempt, AxesAccessLog, AccessFailureLog):
        model.objects.annotate(username_lower=Lower("username")).filter(
            username_lower__in=emails
        ).delete()
    for volunteer_id, user_id, _ in accounts:
        User.objects.filter(pk=user_id).update(
            full_name=f"Former volunteer {volunteer_reference(volunteer_id)}",
            email=f"destroyed-account-{user_id}@invalid.example",
            password=make_password(None),
            is_active=False,
        )
    user_ids = [user_id for _, user_id, _ in accounts]
    TOTPDevice.objects.filter(user_id__in=user_ids).delete()
    ownership_plan.delete_rows(User.history.model, "id", user_ids)


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
        model = Family if record_type == RecordType.FAMILY else Volunteer
        key_ids = list(model.objects.filter(pk__in=ids).values_list("data_key_id", flat=True))
        # 1. the statistics, first, so annual figures survive
        for item in doomed:
            if on_record is not None:
                on_record(item)
        if record_type == RecordType.FAMILY:
            statistics.statistics_add(statistics.contributions(ids, today))
        else:
            _forget_volunteer_accounts(ids)
        # 2. rows and history rows (the blind indexes live in Adult and HistoricalAdult rows)
        plan = ownership_plan.ownership(model)
        ownership_plan.destroy(plan, ids)
        # 3. the data keys, last: crypto-shredding (as cccc.keys.data_key_destroy, set-based)
        ownership_plan.delete_rows(DataKey, "id", key_ids)
        # 4. the register
        _register(doomed, {centre.pk: centre}, run_id)
    return doomed
