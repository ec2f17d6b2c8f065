"""Retention (SPEC §8, CHI-4.9, CHE-10, CHE-DP5): which records are due, held or kept
longer, and the run that destroys the due ones.

`retention_run` is what the nightly beat entry (through retention.tasks) and
`manage.py retention_run` call. For each centre it reviews families (clock: last activity)
and volunteers (clock: resignation) against the centre's periods (retention/rules.py), lists
those due within 30 days, those under a legal hold (retention/holds.py) and those kept
longer, then destroys each due, unheld record, a batch of records per transaction so that a
crash leaves every record whole or gone:

1. its contribution to the anonymous monthly statistics is added (retention/statistics.py);
2. its rows and every history row that belongs to it go, blind-index values included
   (retention/plan.py: set-based DELETEs in dependency order);
3. its data key goes (crypto-shredding: any copy of its ciphertext anywhere is now noise);
4. a destruction register entry is written (type, reference or VOL-<id>, dates, rule).

The run holds a lock (retention/lock.py) so two runs never overlap, and is idempotent: a
second run finds nothing due. The accident book is never touched.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cccc.dates import add_years
from cccc.models import Centre, DataKey, Role, User
from families.models import Family
from retention import accounts, leftovers, rules, statistics
from retention import plan as ownership_plan
from retention.accounts import accounts_erase
from retention.holds import holds_for
from retention.lock import LockHeld, lock_acquire, lock_held, lock_release
from retention.models import DestructionRecord, KeepLonger, RecordType, RetentionRun
from volunteers.models import Volunteer

log = logging.getLogger(__name__)

BATCH_SIZE = 1000  # records per transaction
MAX_KEEP_YEARS = 10
CHUNK = 1000  # records per holds query


@dataclass(frozen=True)
class Item:
    """One family or volunteer as retention sees it: IDs, reference and dates only."""

    record_type: str
    record_id: int
    centre_id: int
    reference: str
    clock_started_on: datetime.date
    due_on: datetime.date
    reasons: tuple[str, ...] = ()
    kept_until: datetime.date | None = None

    @property
    def destroy_on(self) -> datetime.date:
        return max(self.due_on, self.kept_until) if self.kept_until else self.due_on


@dataclass
class Review:
    """Where each record of a centre stands on a day."""

    due: list[Item] = field(default_factory=list)  # destroyed by the next run
    flagged: list[Item] = field(default_factory=list)  # due within FLAG_DAYS
    held: list[Item] = field(default_factory=list)  # due or nearly, under a legal hold
    kept: list[Item] = field(default_factory=list)  # kept longer, review not yet near

    def extend(self, other: "Review") -> None:
        for name in ("due", "flagged", "held", "kept"):
            getattr(self, name).extend(getattr(other, name))


@dataclass
class RunReport:
    today: datetime.date
    dry_run: bool
    locked_out: bool = False
    lock_holder: str = ""  # who held the lock, when locked out: process and host, no more
    run_id: int | None = None
    destroyed: list[Item] = field(default_factory=list)  # would be destroyed, on a dry run
    flagged: list[Item] = field(default_factory=list)
    held: list[Item] = field(default_factory=list)
    kept: list[Item] = field(default_factory=list)

    def summary(self) -> dict:
        """Counts only: what a task result or a log line may carry."""
        return {
            "today": self.today.isoformat(),
            "dry_run": self.dry_run,
            "locked_out": self.locked_out,
            "destroyed": len(self.destroyed),
            "flagged": len(self.flagged),
            "held": len(self.held),
            "kept": len(self.kept),
        }


def volunteer_reference(pk: int) -> str:
    return f"VOL-{pk}"


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- review: due, flagged, held, kept -------------------------------------------------------


def _family_candidates(centre: Centre, today: datetime.date) -> list[Item]:
    last_flagged = rules.FAMILY.last_clock_day_due(
        centre, today + datetime.timedelta(days=rules.FLAG_DAYS)
    )
    rows = (
        Family.objects.filter(
            centre=centre, last_activity__lt=rules.start_of_day_after(last_flagged)
        )
        .order_by("pk")
        .values_list("pk", "reference", "last_activity")
    )
    items = []
    for pk, reference, last_activity in rows:
        clock = rules.local_day(last_activity)
        due_on = rules.FAMILY.due_on(centre, clock)
        items.append(Item(RecordType.FAMILY, pk, centre.pk, reference, clock, due_on))
    return items


def _volunteer_candidates(centre: Centre, today: datetime.date) -> list[Item]:
    last_flagged = rules.VOLUNTEER.last_clock_day_due(
        centre, today + datetime.timedelta(days=rules.FLAG_DAYS)
    )
    rows = (
        Volunteer.objects.filter(
            centre=centre, status=Volunteer.Status.RESIGNED, resigned_on__lte=last_flagged
        )
        .order_by("pk")
        .values_list("pk", "resigned_on")
    )
    return [
        Item(
            RecordType.VOLUNTEER,
            pk,
            centre.pk,
            volunteer_reference(pk),
            resigned_on,
            rules.VOLUNTEER.due_on(centre, resigned_on),
        )
        for pk, resigned_on in rows
    ]


def _standalone_candidates(centre: Centre, today: datetime.date, record_type: str) -> list[Item]:
    kind = leftovers.STANDALONE[record_type]
    last_flagged = kind.rule.last_clock_day_due(
        centre, today + datetime.timedelta(days=rules.FLAG_DAYS)
    )
    return [
        Item(record_type, pk, centre.pk, kind.reference(pk), clock, kind.rule.due_on(centre, clock))
        for pk, clock in kind.candidates(centre, last_flagged)
    ]


def _referrer_candidates(centre: Centre, today: datetime.date) -> list[Item]:
    rule = rules.REFERRER_ACCOUNT
    last_flagged = rule.last_clock_day_due(centre, today + datetime.timedelta(days=rules.FLAG_DAYS))
    return [
        Item(
            RecordType.REFERRER_ACCOUNT,
            pk,
            centre.pk,
            accounts.account_reference(pk),
            clock,
            rule.due_on(centre, clock),
        )
        for pk, clock in accounts.referrer_candidates(centre, last_flagged)
    ]


def _kept_until(record_type: str, ids: list[int]) -> dict[int, datetime.date]:
    if record_type not in (RecordType.FAMILY, RecordType.VOLUNTEER):
        return {}  # only families and volunteers are kept longer
    column = "family_id" if record_type == RecordType.FAMILY else "volunteer_id"
    return dict(
        KeepLonger.objects.filter(**{f"{column}__in": ids}).values_list(column, "review_on")
    )


def _classify(candidates: list[Item], today: datetime.date) -> Review:
    review = Review()
    flag_until = today + datetime.timedelta(days=rules.FLAG_DAYS)
    for chunk in _chunks(candidates, CHUNK):
        record_type = chunk[0].record_type
        ids = [item.record_id for item in chunk]
        holds = holds_for(record_type, ids)
        kept = _kept_until(record_type, ids)
        for item in chunk:
            reasons = holds.get(item.record_id)
            until = kept.get(item.record_id)
            if until is not None and until > today:
                item = replace(item, kept_until=until)
            if reasons:
                review.held.append(replace(item, reasons=tuple(reasons)))
            elif item.destroy_on <= today:
                review.due.append(item)
            elif item.destroy_on <= flag_until:
                review.flagged.append(item)
            else:
                review.kept.append(item)
    return review


def retention_review(*, centre: Centre, today: datetime.date | None = None) -> Review:
    """Families and volunteers of one centre that are due, flagged, held or kept longer."""
    today = today or timezone.localdate()
    review = _classify(_family_candidates(centre, today), today)
    review.extend(_classify(_volunteer_candidates(centre, today), today))
    for record_type in leftovers.STANDALONE:
        review.extend(_classify(_standalone_candidates(centre, today, record_type), today))
    review.extend(_classify(_referrer_candidates(centre, today), today))
    for items in (review.due, review.flagged, review.held, review.kept):
        items.sort(key=lambda item: (item.destroy_on, item.record_type, item.record_id))
    return review


# --- destruction ----------------------------------------------------------------------------


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
    kept = _kept_until(items[0].record_type, list(fresh_ids))
    return [
        by_id[pk]
        for pk in ids
        if pk in fresh_ids and pk not in holds and not (pk in kept and kept[pk] > today)
    ]


def _forget_volunteer_accounts(volunteer_ids: list[int]) -> None:
    """A destroyed volunteer's sign-in account stays (notes and entries they wrote point at
    it) but is erased and replaced everywhere (retention/accounts.py)."""
    accounts = Volunteer.objects.filter(
        pk__in=volunteer_ids, user__role=Role.VOLUNTEER
    ).values_list("pk", "user_id")
    accounts_erase(
        {
            user_id: f"Former volunteer {volunteer_reference(volunteer_id)}"
            for volunteer_id, user_id in accounts
        }
    )


def _destroy_batch(
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
                accounts.referrers_erase(ids)
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
            leftovers.sessions_forget_searches(leftovers.family_search_digests(ids))
            kept_apart = leftovers.keep_apart_keep_live(ids, today)
        else:
            _forget_volunteer_accounts(ids)
        # 2. rows and history rows (the blind indexes live in Adult and HistoricalAdult rows)
        plan = ownership_plan.ownership(model)
        ownership_plan.destroy(plan, ids)
        # 3. the data keys, last: crypto-shredding (as cccc.keys.data_key_destroy, set-based)
        ownership_plan.delete_rows(DataKey, "id", key_ids)
        # 4. the register
        _register(doomed, {centre.pk: centre}, run_id, kept_apart)
    return doomed


def retention_run(
    *,
    today: datetime.date | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    on_record: Callable[[Item], None] | None = None,
) -> RunReport:
    """Flag, then destroy every due and unheld family and volunteer of every centre.

    `on_record` is called for each record inside its batch's transaction just before its
    statistics are added (the test of a run killed mid-way raises from it)."""
    today = today or timezone.localdate()
    report = RunReport(today=today, dry_run=dry_run)
    try:
        token = lock_acquire()
    except LockHeld as held:
        report.locked_out, report.lock_holder = True, held.holder.describe()
        log.warning(
            "retention run not started: another run holds the lock (%s)", report.lock_holder
        )
        if not dry_run:
            RetentionRun.objects.create(
                today=today, outcome=RetentionRun.Outcome.LOCKED_OUT, finished_at=timezone.now()
            )
        return report
    run = None if dry_run else RetentionRun.objects.create(today=today)
    report.run_id = run.pk if run else None
    try:
        for centre in Centre.objects.order_by("pk"):
            review = retention_review(centre=centre, today=today)
            report.flagged += review.flagged
            report.held += review.held
            report.kept += review.kept
            if dry_run:
                report.destroyed += review.due
                continue
            for record_type in (
                RecordType.FAMILY,
                RecordType.VOLUNTEER,
                *leftovers.STANDALONE,
                RecordType.REFERRER_ACCOUNT,
            ):
                due = [item for item in review.due if item.record_type == record_type]
                due.sort(key=lambda item: item.record_id)
                for batch in _chunks(due, batch_size):
                    report.destroyed += _destroy_batch(
                        batch, centre, today, report.run_id, on_record
                    )
                    if not lock_held(token):
                        raise RuntimeError("The retention lock was lost; stopping.")
    except Exception:
        if run is not None:
            _finish(run, report, RetentionRun.Outcome.FAILED)
        log.exception("retention run failed after %s records destroyed", len(report.destroyed))
        raise
    finally:
        lock_release(token)
    if not dry_run:
        leftovers.sessions_clear_expired()
        leftovers.sign_in_attempts_clear()
    if run is not None:
        _finish(run, report, RetentionRun.Outcome.FINISHED)
    log.info("retention run %s", report.summary())
    return report


def _finish(run: RetentionRun, report: RunReport, outcome: str) -> None:
    RetentionRun.objects.filter(pk=run.pk).update(
        outcome=outcome,
        finished_at=timezone.now(),
        destroyed=len(report.destroyed),
        flagged=len(report.flagged),
        held=len(report.held),
        kept=len(report.kept),
    )


# --- keep longer ----------------------------------------------------------------------------


@transaction.atomic
def keep_longer_record(
    *,
    by: User,
    reason: str,
    review_on: datetime.date,
    family: Family | None = None,
    volunteer: Volunteer | None = None,
) -> KeepLonger:
    """Keep one family or volunteer past its retention date until `review_on`, for a reason
    (sealed under the record's own key). Recording it again replaces the decision."""
    record = family or volunteer
    if (family is None) == (volunteer is None):
        raise ValueError("Name exactly one family or volunteer.")
    if by.role != Role.COORDINATOR or by.centre_id != record.centre_id:
        raise ValidationError("Only a coordinator of the record's centre may keep it longer.")
    today = timezone.localdate()
    errors = {}
    if not reason.strip():
        errors["reason"] = "Say why the record must be kept longer."
    if review_on <= today:
        errors["review_on"] = "The review date must be after today."
    elif review_on > add_years(today, MAX_KEEP_YEARS):
        errors["review_on"] = f"Review it within {MAX_KEEP_YEARS} years."
    if errors:
        raise ValidationError(errors)
    keep = (
        KeepLonger.objects.filter(family=family)
        if family
        else KeepLonger.objects.filter(volunteer=volunteer)
    ).first() or KeepLonger(
        centre_id=record.centre_id, family=family, volunteer=volunteer, data_key=record.data_key
    )
    keep.reason = reason.strip()
    keep.review_on = review_on
    keep.recorded_by = by
    keep.recorded_at = timezone.now()
    keep.full_clean()
    keep.save()
    return keep
