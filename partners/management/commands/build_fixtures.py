"""Write fixtures/partners.json from the relationships document in fixtures/source/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partners.sources.document import DocumentError, decode_document
from partners.sources.fixtures import (
    FixtureBuildError,
    build_records,
    removed_organizations,
    render,
)
from partners.sources.generated import write_or_check
from partners.sources.names import NamesFileError, partners_missing, read_partner_names

DOCUMENT = "international-organizational-relationships.txt"
NAMES = "partner_names.json"


class Command(BaseCommand):
    help = (
        "Parse fixtures/source/international-organizational-relationships.txt and write "
        "fixtures/partners.json (countries, relationship types, organizations). With "
        "--check, write nothing and fail when the committed file is out of date. Refuses "
        "to drop organizations the current fixture has unless --allow-removals is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit non-zero when the fixture differs from what the document gives.",
        )
        parser.add_argument(
            "--allow-removals",
            action="store_true",
            help="Write the fixture even though organizations in the current one are gone "
            "from the document.",
        )
        parser.add_argument(
            "--source",
            type=Path,
            default=Path(settings.PARTNERS_SOURCE_DIR) / DOCUMENT,
            help="The relationships document (default: %(default)s).",
        )
        parser.add_argument(
            "--names",
            type=Path,
            default=Path(settings.PARTNERS_SOURCE_DIR) / NAMES,
            help="The partners' names in their own languages and their websites, with "
            "sources (default: %(default)s).",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.PARTNERS_FIXTURE),
            help="The fixture file to write or check (default: %(default)s).",
        )

    def handle(self, *args, source, names, output, check, allow_removals, **options):
        try:
            data = source.read_bytes()
            names_text = names.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            path = names if isinstance(error, UnicodeDecodeError) else error.filename
            reason = getattr(error, "strerror", None) or error
            raise CommandError(f"Cannot read {path}: {reason}") from error
        try:
            facts = read_partner_names(names_text)
        except NamesFileError as error:
            raise CommandError(f"{names}: {error}") from error
        try:
            records = build_records(decode_document(data), facts)
        except DocumentError as error:
            raise CommandError(f"{source}, {error}") from error
        except (FixtureBuildError, RuntimeError) as error:
            raise CommandError(str(error)) from error
        content = render(records)
        organizations = sum(1 for r in records if r["model"] == "partners.organization")
        countries = sum(1 for r in records if r["model"] == "partners.country")
        summary = f"{organizations} organizations in {countries} countries"
        if not check:
            self.guard_removals(output, records, allow_removals)
        # Even with --allow-removals: a renamed partner's facts would be lost quietly.
        missing = partners_missing(facts, records)
        if missing:
            raise CommandError(
                f"{names} gives facts about partner(s) the document does not have: "
                f"{', '.join(missing)}. Nothing was written; move the facts to the "
                "partner's new slug, or remove them."
            )

        write_or_check(self, output, content, check=check, source_name=source.name, summary=summary)

    def guard_removals(self, output, records, allow_removals):
        """A rebuild that drops organizations the current fixture has (a truncated or
        wrong document) writes nothing, unless --allow-removals says it is meant."""
        try:
            current = output.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as error:
            current = f"unreadable: {error}"
        try:
            removed = removed_organizations(current, records)
        except FixtureBuildError as error:
            if allow_removals:
                return
            raise CommandError(
                f"{output}: {error}. Nothing was written; use --allow-removals to replace it."
            ) from error
        if not removed:
            return
        listing = "\n".join(f"  {entry}" for entry in removed)
        if not allow_removals:
            raise CommandError(
                f"The rebuild would remove {len(removed)} organization(s) that {output} "
                f"has:\n{listing}\nNothing was written. If they really are gone from the "
                "document, run again with --allow-removals."
            )
        self.stdout.write(
            self.style.WARNING(f"Removing {len(removed)} organization(s):\n{listing}")
        )
