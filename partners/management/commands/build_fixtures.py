"""Write fixtures/partners.json from the relationships document in fixtures/source/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partners.fixture_builder import FixtureBuildError, build_records, render
from partners.management.generated import write_or_check
from partners.relationships import DocumentError

DOCUMENT = "international-organizational-relationships.txt"


class Command(BaseCommand):
    help = (
        "Parse fixtures/source/international-organizational-relationships.txt and write "
        "fixtures/partners.json (countries, relationship types, organizations). With "
        "--check, write nothing and fail when the committed file is out of date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit non-zero when the fixture differs from what the document gives.",
        )
        parser.add_argument(
            "--source",
            type=Path,
            default=Path(settings.PARTNERS_SOURCE_DIR) / DOCUMENT,
            help="The relationships document (default: %(default)s).",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.PARTNERS_FIXTURE),
            help="The fixture file to write or check (default: %(default)s).",
        )

    def handle(self, *args, source, output, check, **options):
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {source}: {error.strerror or error}") from error
        try:
            records = build_records(text)
        except DocumentError as error:
            raise CommandError(f"{source}, {error}") from error
        except (FixtureBuildError, RuntimeError) as error:
            raise CommandError(str(error)) from error
        content = render(records)
        organizations = sum(1 for r in records if r["model"] == "partners.organization")
        countries = sum(1 for r in records if r["model"] == "partners.country")
        summary = f"{organizations} organizations in {countries} countries"

        write_or_check(self, output, content, check=check, source_name=source.name, summary=summary)
