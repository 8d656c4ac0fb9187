"""Load fixtures/partners.json into the database without trampling staff edits.

For each entry the loader remembers (in ImportRecord) the values it last wrote. On a
later run an entry is:

- created, when the database does not have it;
- unchanged, when the database already holds the fixture's values;
- updated, when the database still holds what was last loaded and the fixture moved on;
- kept, when staff changed it since it was loaded (or it was never loaded): the staff
  edit wins unless `overwrite` is set;
- left deleted, when staff deleted it after it was loaded: it is not re-created unless
  `overwrite` is set.

Entries that are not in the fixture (staff added them) are never touched; the report
names them. Fields the
fixture does not carry (website, description, published, …) belong to staff.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Country, ImportRecord, Organization, RelationshipType

# The user the loader's changes are recorded as in the entries' history. It cannot sign in.
LOADER_USERNAME = "load_partners"


def loader_user():
    user, created = get_user_model().objects.get_or_create(
        username=LOADER_USERNAME,
        defaults={"is_active": False, "first_name": "Data loader (load_partners)"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class FixtureError(ValueError):
    """The fixture file is missing or malformed; nothing was written."""


@dataclass(frozen=True)
class Kind:
    """How one model appears in the fixture."""

    label: str
    model: type
    key: str  # the natural key field
    fields: tuple  # the fields the fixture owns, besides the key
    foreign_keys: dict = field(default_factory=dict)  # field -> Kind label


KINDS = (
    Kind("partners.relationshiptype", RelationshipType, "slug", ("name", "description")),
    Kind("partners.country", Country, "code", ("name", "slug", "region", "other_names")),
    Kind(
        "partners.organization",
        Organization,
        "slug",
        ("name", "acronym", "other_name", "country", "relationship_type"),
        foreign_keys={
            "country": "partners.country",
            "relationship_type": "partners.relationshiptype",
        },
    ),
)
KIND_BY_LABEL = {kind.label: kind for kind in KINDS}
# search_text is derived (Organization.save computes it); the fixture carries it only
# for `loaddata`.
DERIVED_FIELDS = {"search_text"}


@dataclass
class Report:
    counts: dict = field(default_factory=lambda: {kind.label: Counter() for kind in KINDS})
    kept: list = field(default_factory=list)  # (label, key, [fields]) staff edits kept
    overwritten: list = field(default_factory=list)  # (label, key, [fields])
    deleted: list = field(default_factory=list)  # (label, key) staff deletions respected
    not_in_fixture: dict = field(default_factory=dict)  # label -> [str(entry), …]

    def add(self, kind, outcome):
        self.counts[kind.label][outcome] += 1

    def total(self, outcome):
        return sum(counter[outcome] for counter in self.counts.values())


def read_fixture(path):
    """The records of the fixture at `path`, checked for shape. Raises FixtureError."""
    try:
        with open(path, encoding="utf-8") as file:
            records = json.load(file)
    except FileNotFoundError as error:
        raise FixtureError(f"Fixture file not found: {path}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise FixtureError(f"Cannot read the fixture file {path}: {error}") from error
    except json.JSONDecodeError as error:
        raise FixtureError(
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
        ) from error
    if not isinstance(records, list):
        raise FixtureError(f"{path} must hold a JSON list of records.")
    for index, record in enumerate(records, start=1):
        where = f"{path}, record {index}"
        if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
            raise FixtureError(f"{where}: expected an object with 'model' and 'fields'.")
        kind = KIND_BY_LABEL.get(record.get("model"))
        if kind is None:
            raise FixtureError(f"{where}: unknown model {record.get('model')!r}.")
        expected = {kind.key, *kind.fields}
        missing = expected - record["fields"].keys()
        unknown = record["fields"].keys() - expected - DERIVED_FIELDS
        if missing:
            raise FixtureError(f"{where}: missing field(s) {', '.join(sorted(missing))}.")
        if unknown:
            raise FixtureError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
    return records


def load(records, *, overwrite=False):
    """Write `records` to the database in one transaction; returns a Report.

    Raises FixtureError (and writes nothing) when an entry is invalid.
    """
    report = Report()
    with transaction.atomic():
        user = loader_user()
        for kind in KINDS:
            fixture_keys = set()
            for record in records:
                if record["model"] == kind.label:
                    fixture_keys.add(str(record["fields"][kind.key]))
                    load_entry(kind, record["fields"], report, overwrite=overwrite, user=user)
            report.not_in_fixture[kind.label] = [
                str(entry)
                for entry in kind.model.objects.exclude(**{f"{kind.key}__in": fixture_keys})
            ]
    return report


def load_entry(kind, fields, report, *, overwrite, user=None):
    key = str(fields[kind.key])
    wanted = {name: normalize(kind, name, fields[name]) for name in kind.fields}
    instance = kind.model.objects.filter(**{kind.key: key}).first()
    record = ImportRecord.objects.filter(model=kind.label, key=key).first()
    if instance is None and record is not None and not overwrite:
        report.deleted.append((kind.label, key))
        report.add(kind, "deleted")
        return
    if instance is None:
        instance = kind.model(**{kind.key: key})
        outcome = "created"
    else:
        current = current_values(kind, instance)
        if current == wanted:
            remember(kind, key, wanted, record)
            report.add(kind, "unchanged")
            return
        edited_by_staff = record is None or record.values != current
        changed = sorted(name for name in kind.fields if current[name] != wanted[name])
        if edited_by_staff and not overwrite:
            report.kept.append((kind.label, key, changed))
            report.add(kind, "kept")
            return
        if edited_by_staff:
            report.overwritten.append((kind.label, key, changed))
        outcome = "updated"
    for name, value in wanted.items():
        if name in kind.foreign_keys:
            value = resolve(kind.foreign_keys[name], value, kind, key)
        setattr(instance, name, value)
    try:
        instance.full_clean()
    except ValidationError as error:
        raise FixtureError(f"{kind.label} {key!r} is not valid: {flatten(error)}") from error
    instance._history_user = user  # recorded in the entry's history as the loader's
    instance.save()
    remember(kind, key, wanted, record)
    report.add(kind, outcome)


def normalize(kind, name, value):
    """A fixture value in the form current_values() gives: foreign keys by natural key."""
    if name in kind.foreign_keys:
        if not (isinstance(value, list) and len(value) == 1):
            raise FixtureError(
                f'{kind.label}: field {name!r} must be a natural key such as ["CZ"], not {value!r}.'
            )
        return str(value[0])
    return "" if value is None else value


def current_values(kind, instance):
    values = {}
    for name in kind.fields:
        if name in kind.foreign_keys:
            related = getattr(instance, name)
            values[name] = str(related.natural_key()[0])
        else:
            value = getattr(instance, name)
            values[name] = str(value) if name == "code" else value
    return values


def resolve(label, natural_key, kind, key):
    model = KIND_BY_LABEL[label].model
    try:
        return model.objects.get_by_natural_key(natural_key)
    except model.DoesNotExist as error:
        raise FixtureError(
            f"{kind.label} {key!r} refers to {label} {natural_key!r}, which does not exist."
        ) from error


def remember(kind, key, values, record):
    if record is None:
        ImportRecord.objects.create(model=kind.label, key=key, values=values)
    elif record.values != values:
        record.values = values
        record.save(update_fields=["values", "loaded_at"])


def flatten(error):
    return "; ".join(
        f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
    )
