"""The retention run (SPEC §8, CHI-4.9, CHE-10, CHE-DP5): which records are due, held or
kept longer (retention/review.py), and the run that destroys the due ones
(retention/destruction.py, a batch at a time).

`retention_run` is what the nightly beat entry (through retention.tasks) and
`manage.py retention_run` call. It reviews the families (clock: last activity), volunteers
(clock: resignation), legal records linked to no family and referrers' accounts
(retention/leftovers.py, retention/accounts.py) of every centre at once, each against its
own centre's periods (retention/rules.py), and lists those due within 30 days, those under a
legal hold (retention/holds.py) and those kept longer. Then it destroys each due, unheld
record of every centre, a batch of records of one type per transaction (up to `batch_size`,
several centres' records together: the statistics and register rows stay each centre's
own), so that a crash leaves every record whole or gone:

1. its contribution to the anonymous monthly and quarterly statistics is added
   (retention/statistics.py, retention/quarterly_store.py);
2. its rows and every history row that belongs to it go, blind-index values included
   (retention/plan.py: set-based DELETEs in dependency order);
3. its data key goes (crypto-shredding: any copy of its ciphertext anywhere is now noise);
4. a destruction register entry is written (type, reference or VOL-<id>, dates, rule).

The run holds a lock (retention/lock.py) so two runs never overlap, and is idempotent: a
second run finds nothing due. It ends by clearing expired sessions and old sign-in attempts.
The accident book is never touched.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from cccc.models import Centre
from retention import leftovers
from retention.destruction import destroy_batch
from retention.lock import LockHeld, lock_acquire, lock_held, lock_release
from retention.models import RecordType, RetentionRun
from retention.review import Item, centres_to_review, chunks, retention_reviews

log = logging.getLogger(__name__)

BATCH_SIZE = 1000  # records per transaction
DESTRUCTION_ORDER = (
    RecordType.FAMILY,
    RecordType.VOLUNTEER,
    *leftovers.STANDALONE,
    RecordType.REFERRER_ACCOUNT,
)


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

    def summary(self) -> dict[str, str | bool | int]:
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
        # Only the centres with anything that could be due (a few network-wide queries).
        centres = centres_to_review(list(Centre.objects.order_by("pk")), today)
        review = retention_reviews(centres, today)  # a few queries, however many centres
        report.flagged += review.flagged
        report.held += review.held
        report.kept += review.kept
        due = review.due
        if dry_run:
            report.destroyed += due
        else:
            # Batches of one record type across centres, as plain SQL would: at the nightly
            # load (one or two records in each of hundreds of centres) a batch per centre
            # was a transaction, its statistics, register and some forty DELETEs each.
            by_id = {centre.pk: centre for centre in centres}
            for record_type in DESTRUCTION_ORDER:
                of_type = [item for item in due if item.record_type == record_type]
                of_type.sort(key=lambda item: (item.record_id, item.centre_id))
                for batch in chunks(of_type, batch_size):
                    in_batch = {item.centre_id: by_id[item.centre_id] for item in batch}
                    report.destroyed += destroy_batch(
                        batch, in_batch, today, report.run_id, on_record
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
