"""Turn the parsed relationships document into Django fixture records.

The records use natural keys (a country's ISO code, a relationship type's slug, an
organization's slug) and no primary keys, so the file loads into any database.
"""

import json

from django.utils.text import slugify

from partners import countries
from partners.models import Organization, Region
from partners.relationship_types import RELATIONSHIP_TYPES
from partners.sources.document import DocumentError, check_document, parse_relationships
from partners.text import searchable


class FixtureBuildError(ValueError):
    pass


def build_records(document_text, names=None):
    """The fixture records (a list of dicts) for the relationships document, with each
    partner's own-language name and website from `names` (read_partner_names), if
    given. Raises DocumentError for a document that is malformed or gives a value the
    site cannot hold."""
    check_document(document_text)
    entries = parse_relationships(document_text, countries.code_for)
    for entry in entries:
        check_lengths(entry)
    country_list = country_records(entries)
    organizations = organization_records(entries, names or {})
    return [
        *relationship_type_records(),
        *country_list,
        *organizations,
    ]


def check_lengths(entry):
    """Each of the entry's names fits the database: a line the parser read wrongly (two
    entries run together) fails here, with its line, rather than at load time."""
    for name in ("name", "acronym", "other_name"):
        value = getattr(entry, name)
        longest = Organization._meta.get_field(name).max_length
        if len(value) > longest:
            raise DocumentError(
                entry.line_number,
                "",
                f"the {name.replace('_', ' ')} is {len(value)} characters long "
                f"(at most {longest}): {value[:60]!r}…",
            )


def removed_organizations(current_text, records):
    """The organizations in the current fixture (its text) that `records` no longer
    has, as "slug (name)", sorted. Raises FixtureBuildError when the current fixture
    cannot be read."""
    try:
        current = json.loads(current_text)
        before = {
            record["fields"]["slug"]: record["fields"].get("name", "")
            for record in current
            if record["model"] == "partners.organization"
        }
    except (ValueError, TypeError, KeyError, RecursionError) as error:
        raise FixtureBuildError(
            f"the current fixture cannot be read ({type(error).__name__}), so what the "
            "rebuild would remove is unknown"
        ) from error
    after = {r["fields"]["slug"] for r in records if r["model"] == "partners.organization"}
    return [f"{slug} ({before[slug]})" for slug in sorted(before.keys() - after)]


def relationship_type_records():
    return [
        {
            "model": "partners.relationshiptype",
            "fields": {"slug": slug, "name": name, "description": description},
        }
        for slug, name, description in RELATIONSHIP_TYPES
    ]


def country_records(entries):
    spellings = {}
    for entry in entries:
        spellings.setdefault(entry.country_code, []).append(entry.country_name)
    records = []
    for code, names in spellings.items():
        region = Region.from_name(countries.region_name(code))
        if region is None:
            raise FixtureBuildError(f"No UN M49 region is known for {names[0]} ({code}).")
        name = countries.display_name(code)
        records.append(
            {
                "model": "partners.country",
                "fields": {
                    "code": code,
                    "name": name,
                    "slug": slugify(name),
                    "region": region.value,
                    "other_names": "\n".join(countries.other_names(code, *names)),
                },
            }
        )
    return sorted(records, key=lambda record: record["fields"]["name"])


def organization_records(entries, names):
    records, slugs = [], set()
    for entry in entries:
        slug = slugify(entry.name)
        if slug in slugs:
            slug = f"{slug}-{entry.country_code.lower()}"
        slugs.add(slug)
        known = names.get(slug, {})
        native_name = known.get("native_name", "")
        records.append(
            {
                "model": "partners.organization",
                "fields": {
                    "slug": slug,
                    "name": entry.name,
                    "acronym": entry.acronym,
                    "other_name": entry.other_name,
                    "country": [entry.country_code],
                    "relationship_type": [entry.relationship_type],
                    # Derived, as Organization.save() computes it; here so that
                    # `manage.py loaddata partners` gives a searchable directory too.
                    "search_text": searchable(
                        entry.name, entry.acronym, entry.other_name, native_name
                    ),
                    "native_name": native_name,
                    "native_name_language": known.get("native_name_language", ""),
                    "website": known.get("website", ""),
                },
            }
        )
    return records


def render(records):
    """The fixture file's text: stable, readable, UTF-8."""
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
