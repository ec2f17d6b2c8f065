"""Run retention now (SPEC §8), as the nightly beat entry does: `manage.py retention_run`.

What it deletes, for every centre, once a record is due (the centre's period after its
clock started) and under no legal hold and no keep-longer decision:

- a family unused for the centre's family period (3 years unless set otherwise): the
  family, its adults (blind indexes included), children, referrals, sessions and their
  attendances, notes and rota entries, concerns, keep-apart flags, rules acknowledgements,
  consents, disclosure requests, the legal records linked to it (witness summonses, police
  visits, assessment agreements, subject access requests), every history row of all of
  these, and its data key;
- a volunteer the centre's volunteer period after resignation: the volunteer, DBS checks and
  reminders, training, rota entries, every history row of these, its data key, and who their
  sign-in account was: name, email, password, devices, history rows, sessions, sign-in
  attempts and the name in admin log entries (the account row stays, anonymous, because
  notes and entries they wrote point at it);
- a police visit or witness summons linked to no family, the family period after the visit
  or after the summons was closed: its rows, history rows and own data key;
- a referrer's account unused for the family period: erased as a volunteer's account is;
- with a family: its surname searches in sessions. A keep-apart flag between one of its
  adults and an adult of a family still in use is not deleted: it stays on that family as
  "kept apart from an adult of a destroyed record", and the register entry counts it;
- every night: expired sessions, and sign-in attempts older than the cool-off.

What it never deletes: the accident book (CHI-4.9), the destruction register, the monthly
statistics, the audit trail, anything of a record under a legal hold (an open concern, an
undecided disclosure request, a witness summons not yet closed, an open subject access
request) or kept longer until its review date, and anything not yet due.

It writes a destruction register entry per record (type, reference, VOL-<id>, POL-<id>,
WS-<id> or ACC-<id>, dates, rule; no personal data) and prints counts and references
only. --dry-run prints what it would do and changes nothing. Two runs never overlap: a run
that finds the lock held by a live run says who holds it, does nothing and exits with
status 1; a lock left by a run that is gone (killed, or its machine died) is taken over at
once, and that run marked "died".
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from retention.services import retention_run


class Command(BaseCommand):
    help = "Flag and destroy records due under the retention rules (SPEC §8)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would happen; change nothing."
        )
        parser.add_argument(
            "--today", help="Run as if today were this day (YYYY-MM-DD); default: today."
        )

    def handle(self, *args, dry_run: bool, today: str | None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("--today takes a date as YYYY-MM-DD.") from exc
        report = retention_run(today=day, dry_run=dry_run)
        if report.locked_out:
            raise CommandError(
                f"Another retention run holds the lock and is alive ({report.lock_holder}): "
                "nothing was done."
            )
        verb = "Would destroy" if dry_run else "Destroyed"
        self.stdout.write(f"Retention {'dry run ' if dry_run else ''}for {report.today}:")
        self.stdout.write(f"{verb} {len(report.destroyed)} record(s).")
        for item in report.destroyed:
            self.stdout.write(f"  {item.reference} (centre {item.centre_id}), due {item.due_on}")
        self.stdout.write(f"Flagged (due within 30 days): {len(report.flagged)}.")
        self.stdout.write(f"Held (legal hold, listed for review): {len(report.held)}.")
        for item in report.held:
            self.stdout.write(f"  {item.reference}: {'; '.join(item.reasons)}")
        self.stdout.write(f"Kept longer: {len(report.kept)}.")
