from django.core.management.base import BaseCommand

from cccc.crypto import new_master_key_entry


class Command(BaseCommand):
    help = "Print a new master key entry 'id:key' to put first in FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("key_id", help="A short new id, e.g. 2026-11")

    def handle(self, *args, key_id, **options):
        self.stdout.write(new_master_key_entry(key_id))
