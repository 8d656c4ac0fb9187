"""Load fixtures/partners.json into the database without trampling staff edits.

For each entry the loader remembers (in ImportRecord) the values it last wrote, so that
a later run can tell the fixture's changes from staff's (load_entry). Entries that are
not in the fixture (staff added them) are never touched, and fields the fixture does not
carry (description, published, …) belong to staff.
"""

import copy
import json
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction

from partners.models import Country, ImportRecord, Organization, RelationshipType
from partners.text import unwanted_characters

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
    # Facts the fixture gives only where a source states them: there, an empty value
    # says "no source found", not "empty", and leaves staff's value alone.
    sourced: tuple = ()


KINDS = (
    Kind("partners.relationshiptype", RelationshipType, "slug", ("name", "description")),
    Kind("partners.country", Country, "code", ("name", "slug", "region", "other_names")),
    Kind(
        "partners.organization",
        Organization,
        "slug",
        (
            "name",
            "acronym",
            "other_name",
            "native_name",
            "native_name_language",
            "website",
            "country",
            "relationship_type",
        ),
        foreign_keys={
            "country": "partners.country",
            "relationship_type": "partners.relationshiptype",
        },
        sourced=("native_name", "native_name_language", "website"),
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


# The most problems a FixtureError lists (it says how many more there are).
PROBLEMS_SHOWN = 20


class Problems:
    """Problems found in a fixture, each naming its record and field; raised together."""

    def __init__(self, path):
        self.path = path
        self.messages = []

    def add(self, index, record, message, field_name=None):
        where = f"record {index}"
        if isinstance(record, dict) and isinstance(record.get("fields"), dict):
            label = record.get("model")
            kind = KIND_BY_LABEL.get(label) if isinstance(label, str) else None
            key = record["fields"].get(kind.key) if kind is not None else None
            if isinstance(key, str):
                where += f" ({kind.label} {shorten(key)})"
        if field_name is not None:
            where += f", field {field_name!r}"
        self.messages.append(f"{where}: {message}")

    def raise_any(self):
        if not self.messages:
            return
        shown = self.messages[:PROBLEMS_SHOWN]
        more = len(self.messages) - len(shown)
        lines = [f"{self.path}: {len(self.messages)} problem(s):", *(f"  {m}" for m in shown)]
        if more:
            lines.append(f"  … and {more} more.")
        raise FixtureError("\n".join(lines))


def shorten(value, limit=60):
    """repr() of a fixture value, cut short: error messages quote what they reject."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def read_fixture(path):
    """The records of the fixture at `path`, checked for shape and types. Raises
    FixtureError naming every record and field that is wrong."""
    try:
        with open(path, encoding="utf-8") as file:
            records = json.load(file)
    except FileNotFoundError as error:
        raise FixtureError(f"Fixture file not found: {path}") from error
    except UnicodeDecodeError as error:
        raise FixtureError(
            f"{path} is not UTF-8 text (byte {error.start}: {error.reason})."
        ) from error
    except OSError as error:
        raise FixtureError(f"Cannot read the fixture file {path}: {error}") from error
    except json.JSONDecodeError as error:
        raise FixtureError(
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
        ) from error
    except RecursionError as error:
        raise FixtureError(f"{path} is nested too deeply to be a fixture.") from error
    if not isinstance(records, list):
        raise FixtureError(f"{path} must hold a JSON list of records.")
    problems = Problems(path)
    for index, record in enumerate(records, start=1):
        check_record(index, record, problems)
    problems.raise_any()
    return records


def check_record(index, record, problems):
    """Add to `problems` what is wrong with the shape or the types of one record."""
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
        problems.add(index, record, "expected an object with 'model' and 'fields'.")
        return
    label = record.get("model")
    kind = KIND_BY_LABEL.get(label) if isinstance(label, str) else None
    if kind is None:
        problems.add(index, record, f"unknown model {shorten(label)}.")
        return
    fields = record["fields"]
    expected = {kind.key, *kind.fields}
    missing = expected - fields.keys()
    unknown = fields.keys() - expected - DERIVED_FIELDS
    if missing:
        problems.add(index, record, f"missing field(s) {', '.join(sorted(missing))}.")
    if unknown:
        problems.add(index, record, f"unknown field(s) {', '.join(sorted(unknown))}.")
    for name in sorted(expected & fields.keys()):
        message = type_problem(kind, name, fields[name])
        if message:
            problems.add(index, record, message, name)


def type_problem(kind, name, value):
    """Why `value` cannot be the fixture's value of field `name`, or None. Text must be
    text: Django would quietly turn 12345 into "12345" and a dict into its repr."""
    if name in kind.foreign_keys:
        if not (isinstance(value, list) and len(value) == 1 and isinstance(value[0], str)):
            return f'must be a natural key such as ["CZ"], not {shorten(value)}.'
        value = value[0]
    elif value is None and name != kind.key:
        return None  # An empty value; full_clean() says whether the field may be blank.
    if not isinstance(value, str):
        return f"must be text, not {type(value).__name__} {shorten(value)}."
    if name == kind.key and not value.strip():
        return "must not be empty."
    bad = unwanted_characters(value, allow_line_breaks=True)
    if bad:
        return f"contains control character(s) {', '.join(repr(c) for c in bad)}."
    return None


def validate(records):
    """Check every record as the admin would before anything is written: no key twice,
    every reference known (in the database or the fixture), and each entry, as it would
    be written, passing the model's full_clean() (field types, lengths, choices,
    uniqueness and Model.clean()'s rules). Raises FixtureError listing the problems."""
    problems = Problems("The fixture")
    in_fixture = {kind.label: {} for kind in KINDS}  # label -> key -> unsaved instance
    for kind in KINDS:
        entries = [
            (index, record)
            for index, record in enumerate(records, start=1)
            if record["model"] == kind.label
        ]
        existing = kind.model.objects.in_bulk(
            [record["fields"][kind.key] for _, record in entries], field_name=kind.key
        )
        first_seen = {}
        seen_unique = {}
        for index, record in entries:
            fields = record["fields"]
            key = fields[kind.key]
            if key in first_seen:
                problems.add(
                    index,
                    record,
                    f"{kind.label} {shorten(key)} is already in record {first_seen[key]}.",
                    kind.key,
                )
                continue
            first_seen[key] = index
            instance = copy.copy(existing.get(key)) or kind.model(**{kind.key: key})
            unresolved = []
            for name in kind.fields:
                if name in kind.sourced and not fields[name]:
                    continue  # No source found: the entry keeps its own value.
                value = normalize(kind, name, fields[name])
                if name in kind.foreign_keys:
                    value = reference(kind.foreign_keys[name], value, in_fixture)
                    if value is None:
                        problems.add(
                            index,
                            record,
                            f"refers to {kind.foreign_keys[name]} "
                            f"{shorten(fields[name][0])}, which does not exist.",
                            name,
                        )
                        unresolved.append(name)
                        continue
                    if value.pk is None:
                        unresolved.append(name)  # In the fixture, not yet in the database.
                setattr(instance, name, value)
            for names in unique_field_sets(kind):
                values = tuple(value_key(getattr(instance, name, None)) for name in names)
                if values in seen_unique.setdefault(names, {}):
                    problems.add(
                        index,
                        record,
                        f"same {' and '.join(names)} as record {seen_unique[names][values]}.",
                        names[-1],
                    )
                seen_unique[names][values] = index
            try:
                instance.full_clean(exclude=unresolved, validate_unique=True)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    problems.add(
                        index,
                        record,
                        " ".join(messages),
                        None if name == NON_FIELD_ERRORS else name,
                    )
            in_fixture[kind.label][key] = instance
    problems.raise_any()


def reference(label, key, in_fixture):
    """The entry `key` of `label`: from the database, else from the fixture; or None."""
    model = KIND_BY_LABEL[label].model
    try:
        return model.objects.get_by_natural_key(key)
    except model.DoesNotExist:
        return in_fixture[label].get(key)


def unique_field_sets(kind):
    """The fixture's fields that the model says are unique, alone or together."""
    owned = {kind.key, *kind.fields}
    meta = kind.model._meta
    sets = [(f.name,) for f in meta.fields if f.unique and f.name in owned and f.name != kind.key]
    sets += [
        tuple(constraint.fields)
        for constraint in meta.total_unique_constraints
        if set(constraint.fields) <= owned
    ]
    return sets


def value_key(value):
    """A field's value, comparable whether it is a saved entry or one from the fixture."""
    if isinstance(value, models.Model):
        return (type(value).__name__, value.natural_key())
    return value


def load(records, *, overwrite=False):
    """Write `records` to the database in one transaction; returns a Report.

    Raises FixtureError (and writes nothing) when an entry is invalid.
    """
    report = Report()
    with transaction.atomic():
        validate(records)
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
    """Write one fixture entry, or not, and add what happened to `report`: created (the
    database lacks it), unchanged (it holds the fixture's values), updated (it still
    holds what was last loaded and the fixture moved on), kept (staff changed it since,
    or it was never loaded: their edit wins unless `overwrite`), or deleted (staff
    deleted it after it was loaded: not re-created unless `overwrite`)."""
    key = str(fields[kind.key])
    wanted = {
        name: normalize(kind, name, fields[name])
        for name in kind.fields
        if name not in kind.sourced or fields[name]
    }
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
        current = current_values(kind, instance, wanted)
        if current == wanted:
            remember(kind, key, wanted, record)
            report.add(kind, "unchanged")
            return
        edited_by_staff = record is None or staff_edited(record.values, current, wanted)
        changed = sorted(name for name in wanted if current[name] != wanted[name])
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
    # What the database now holds, as a later run will read it back: a value the model
    # normalized on the way in must not look like a staff edit next time.
    remember(kind, key, current_values(kind, instance, wanted), record)
    report.add(kind, outcome)


def staff_edited(loaded, current, wanted):
    """Whether staff changed the entry since it was loaded with the values `loaded`. A
    field the fixture did not give then (a website, before partner_names.json or before
    a source was found) was staff's: a value they gave it is an edit; an empty one is
    the fixture's to fill."""
    return any(
        current[name] != loaded[name] if name in loaded else current[name] not in ("", wanted[name])
        for name in current
    )


def normalize(kind, name, value):
    """A fixture value in the form current_values() gives: foreign keys by natural key."""
    if name in kind.foreign_keys:
        if not (isinstance(value, list) and len(value) == 1):
            raise FixtureError(
                f'{kind.label}: field {name!r} must be a natural key such as ["CZ"], not {value!r}.'
            )
        return str(value[0])
    return "" if value is None else value


def current_values(kind, instance, names):
    """The entry's values of the fields `names`, in the fixture's form."""
    values = {}
    for name in names:
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
