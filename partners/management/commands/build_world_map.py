"""Write partners/data/world_map.json, the home page map's country shapes, from the
Natural Earth TopoJSON in fixtures/source/natural-earth/ (see the README there).

The work is done by the pure functions in partners.worldmap; this command reads the
source files, hands them over and writes (or, with --check, compares) the result.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_countries import countries

from partners import worldmap
from partners.sources import worldmap as atlas
from partners.sources.generated import write_or_check

SOURCE_DIR = Path(settings.PARTNERS_SOURCE_DIR) / "natural-earth"


def optional_path(value):
    return Path(value) if value else None


class Command(BaseCommand):
    help = (
        "Project the Natural Earth 1:110m countries (fixtures/source/natural-earth/"
        "countries-110m.json) and write the world map asset partners/data/world_map.json; "
        "countries only in the 1:50m data get a marker point. With --check, write nothing "
        "and fail when the committed asset is out of date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit non-zero when the asset differs from what the sources give.",
        )
        parser.add_argument(
            "--source",
            type=Path,
            default=SOURCE_DIR / "countries-110m.json",
            help="The world-atlas TopoJSON with the shapes to draw (default: %(default)s).",
        )
        parser.add_argument(
            "--points-source",
            type=optional_path,
            default=SOURCE_DIR / "countries-50m.json",
            help="A more detailed world-atlas TopoJSON: countries missing from --source get "
            "a marker at their place in it (default: %(default)s). Pass an empty string to "
            "leave them out.",
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=worldmap.ASSET,
            help="The asset to write or check (default: %(default)s).",
        )

    def handle(self, *args, source, points_source, output, check, **options):
        topology = self.read_topology(source)
        points = self.read_topology(points_source) if points_source else None
        try:
            asset = atlas.build_asset(topology, countries.alpha2, points_topology=points)
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise CommandError(f"{source} is not world-atlas TopoJSON: {error!r}") from error
        content = atlas.dump_asset(asset)
        shapes = sum(1 for country in asset["countries"] if country["d"])
        summary = f"{shapes} country shapes, {len(asset['countries']) - shapes} markers only"

        write_or_check(self, output, content, check=check, source_name=source.name, summary=summary)

    def read_topology(self, path):
        try:
            with open(path, encoding="utf-8") as file:
                topology = json.load(file)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}") from error
        except ValueError as error:
            raise CommandError(f"{path} is not JSON: {error}") from error
        if not isinstance(topology, dict) or "countries" not in topology.get("objects", {}):
            raise CommandError(f"{path} has no `countries` object: is it world-atlas TopoJSON?")
        return topology
