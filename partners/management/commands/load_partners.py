"""Load fixtures/partners.json into the database, keeping staff edits.

Creates what is missing, updates what the fixture changed, and keeps entries staff
edited since the last load (unless --overwrite). Never deletes: entries staff added stay.
Everything is written in one transaction; --dry-run rolls it back and only reports.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partners.sources.loading import KINDS, FixtureError, load, read_fixture

NAMES = {
    "partners.relationshiptype": "relationship types",
    "partners.country": "countries",
    "partners.organization": "organizations",
}


class Command(BaseCommand):
    help = (
        "Load the partner directory from fixtures/partners.json. Re-running changes "
        "nothing; staff edits are kept unless --overwrite is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixture",
            type=Path,
            default=Path(settings.PARTNERS_FIXTURE),
            help="The fixture file (default: %(default)s).",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Restore the fixture's values over entries staff edited.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change without writing anything.",
        )

    def handle(self, *args, fixture, overwrite, dry_run, verbosity, **options):
        try:
            records = read_fixture(fixture)
            with transaction.atomic():
                report = load(records, overwrite=overwrite)
                if dry_run:
                    transaction.set_rollback(True)
        except FixtureError as error:
            raise CommandError(f"{error}\nNothing was written.") from error

        prefix = "Dry run, nothing written. Would have: " if dry_run else ""
        if verbosity >= 1:
            for kind in KINDS:
                counts = report.counts[kind.label]
                self.stdout.write(
                    f"{prefix}{NAMES[kind.label].capitalize()}: "
                    f"{counts['created']} created, {counts['updated']} updated, "
                    f"{counts['unchanged']} unchanged, {counts['kept']} kept "
                    f"(edited by staff), {counts['deleted']} left deleted (by staff); "
                    f"{len(report.not_in_fixture[kind.label])} not in the fixture, left as "
                    "they are."
                )
            for label, key, fields in report.kept:
                self.stdout.write(
                    self.style.WARNING(
                        f"Kept the staff edit to {label} {key!r} ({', '.join(fields)}); "
                        "use --overwrite to restore the fixture's values."
                    )
                )
            for label, key in report.deleted:
                self.stdout.write(
                    self.style.WARNING(
                        f"Left {label} {key!r} deleted, as staff deleted it; use --overwrite "
                        "to restore it."
                    )
                )
            for label, entries in report.not_in_fixture.items():
                for entry in entries:
                    self.stdout.write(f"Not in the fixture, left as it is: {label} {entry!r}.")
            for label, key, fields in report.overwritten:
                self.stdout.write(
                    self.style.WARNING(
                        f"Overwrote the staff edit to {label} {key!r} ({', '.join(fields)})."
                    )
                )
        changes = report.total("created") + report.total("updated")
        message = f"{changes} entries {'would change' if dry_run else 'changed'}."
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(message))
