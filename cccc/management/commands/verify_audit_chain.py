from django.core.management.base import BaseCommand, CommandError

from cccc.audit import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit trail's keyed hash chain. Exits non-zero and names the first "
        "altered, missing or inserted entry if the chain is broken."
    )

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"Audit chain BROKEN after {report.checked} good entries: "
                               f"{report.problem}.")  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} entries."))
