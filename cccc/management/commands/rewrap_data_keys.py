from django.core.management.base import BaseCommand

from cccc import crypto
from cccc.keys import data_keys_rewrap
from cccc.models import DataKey


class Command(BaseCommand):
    help = (
        "Re-wrap every data key under the newest master key (the first in "
        "FIELD_ENCRYPTION_KEYS). Safe to stop and re-run. Afterwards the older master keys "
        "go to the archive (master_key_archive), then out of the ring."
    )

    def handle(self, *args, **options):
        ring = crypto.key_ring()
        moved = data_keys_rewrap()
        left = DataKey.objects.exclude(master_key_id=ring.primary_id).count()
        self.stdout.write(f"Re-wrapped {moved} data keys under master key {ring.primary_id!r}.")
        if left:
            self.stdout.write(self.style.ERROR(f"{left} data keys are still on older keys."))
        else:
            older = [kid for kid, _ in ring.keys[1:]]
            hint = (
                f" Master keys no longer needed by live data: {', '.join(older)}. Backups "
                "taken before now still need them: archive them (master_key_archive ARCHIVE "
                "--add) before removing them from FIELD_ENCRYPTION_KEYS."
                if older
                else ""
            )
            self.stdout.write(self.style.SUCCESS("Every data key is on the newest key." + hint))
