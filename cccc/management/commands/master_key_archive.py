"""Keep retired master keys for the backup period, then let them go (README, Key rotation).

    manage.py master_key_archive ARCHIVE --add             # after rewrap_data_keys
    manage.py master_key_archive ARCHIVE                   # which keys may now be deleted
    manage.py master_key_archive ARCHIVE --delete-expired  # delete those

ARCHIVE is a file the operator keeps apart from the database backups (and from the backups
of the environment): whoever holds a backup and the archive can read the backup. A key may be
deleted BACKUP_RETENTION_DAYS after it was retired, when no backup kept can need it.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cccc import keys


class Command(BaseCommand):
    help = "Archive retired master keys; list or delete those older than the backup period."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive file, kept apart from the backups.")
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--add",
            action="store_true",
            help="Add the ring's retired keys (all but the first), dated today.",
        )
        action.add_argument(
            "--delete-expired",
            action="store_true",
            help="Delete the keys retired more than BACKUP_RETENTION_DAYS ago.",
        )
        parser.add_argument("--today", help="As if today were this day (YYYY-MM-DD).")

    def handle(self, *args, archive: str, add: bool, delete_expired: bool, today, **options):
        path = Path(archive)
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--today takes a date as YYYY-MM-DD.") from exc
        days = settings.BACKUP_RETENTION_DAYS
        try:
            if add:
                added = keys.master_keys_archive(path=path, today=day)
                if added:
                    self.stdout.write(
                        f"Archived, dated {day}; they may be removed from "
                        f"FIELD_ENCRYPTION_KEYS: {', '.join(added)}."
                    )
                else:
                    self.stdout.write("No retired key in FIELD_ENCRYPTION_KEYS to archive.")
                return
            if delete_expired:
                deleted = keys.master_keys_delete_expired(path=path, today=day, backup_days=days)
                if deleted:
                    self.stdout.write(f"Deleted from the archive: {', '.join(deleted)}.")
            expired, kept = keys.master_keys_expired(path=path, today=day, backup_days=days)
        except (ValueError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Archived master keys (backups kept {days} days), as of {day}:")
        for key in expired:
            self.stdout.write(f"  {key.key_id}: retired {key.retired_on}, may now be deleted")
        for key in kept:
            until = key.deletable_on(days)
            self.stdout.write(f"  {key.key_id}: retired {key.retired_on}, keep until {until}")
        if not expired and not kept:
            self.stdout.write("  (none)")
