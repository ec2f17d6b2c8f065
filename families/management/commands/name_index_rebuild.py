from django.core.management.base import BaseCommand, CommandError

from cccc.models import Centre
from families.models import NameToken
from families.name_index_services import name_index_rebuild


class Command(BaseCommand):
    help = (
        "Build the search hashes of every family's names (families.NameToken) from the names "
        "as stored: once after upgrading to a version with partial search, and after changing "
        "BLIND_INDEX_KEY. A batch of families per transaction: safe to stop and re-run. It "
        "writes hashes only; it changes no name and deletes no family."
    )

    def add_arguments(self, parser):
        parser.add_argument("--centre", help="only this centre (its code, e.g. CHI)")
        parser.add_argument(
            "--missing",
            action="store_true",
            help="only the families not indexed yet (entered before this version)",
        )

    def handle(self, *args, **options):
        centre = None
        if options["centre"]:
            centre = Centre.objects.filter(code=options["centre"]).first()
            if centre is None:
                raise CommandError(f"No centre has the code {options['centre']!r}.")
        families = name_index_rebuild(centre=centre, missing_only=options["missing"])
        rows = NameToken.objects.filter(**({"centre": centre} if centre else {})).count()
        self.stdout.write(
            self.style.SUCCESS(f"Search hashes rebuilt for {families} families ({rows} rows).")
        )
