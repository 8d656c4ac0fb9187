"""The CSV file of organizations that staff edit in a spreadsheet: django-import-export's
resource, its columns named as the admin's form names the fields.

An import reads every row before it writes anything. Each cell is read by a widget
that says in plain words what is wrong with it, each entry then passes the model's own
rules (Organization.full_clean(), check_countries_served()), and two rows may not claim
one slug, or one name in one country. Every problem is reported at once, with the row's
number in the spreadsheet (the headings are row 1), its column and its value. Only a
file without problems is written, all at once (history.save_imported): a few queries
per thousand rows rather than a dozen per row, so that thousands of rows fit in a
request.
"""

import calendar
import contextlib
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import UniqueConstraint
from django.utils.functional import cached_property
from django.utils.text import capfirst
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Error, Result

from partners.editorial.history import save_imported
from partners.editorial.spreadsheet import ungarbled, windows_1252_forms
from partners.editorial.websites import clean_website
from partners.models import Country, Organization, RelationshipType
from partners.opendata.exports import FORMULA_STARTS, neutralise_formula

REASON = "Imported from a CSV file"
# Rows read from the database at once.
CHUNK = 1000
# The longest value a problem quotes.
QUOTED = 60


def label(name):
    """The admin form's label of an Organization field: the file's column heading."""
    return capfirst(str(Organization._meta.get_field(name).verbose_name))


def heading_key(text):
    """A heading as compared on import: case, spaces and underscores aside, so that
    "Relationship type", "relationship_type" and "RELATIONSHIP TYPE" are one column."""
    return " ".join(str(text).replace("_", " ").split()).casefold()


def restore_formula(text):
    """The inverse of neutralise_formula (partners/opendata/exports.py), so that a staff
    export imports back unchanged: a cell the export prefixed with an apostrophe loses
    it."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def text_of(value):
    return "" if value is None else str(value).strip()


# Widgets: one for each kind of cell, reading it as the admin's form would and saying in
# plain words what is wrong (a ValueError, which the library files under the column).


class Lookups:
    """The countries and relationship types a file names, read once per import."""

    @cached_property
    def countries(self):
        return {str(country.code).upper(): country for country in Country.objects.all()}

    @cached_property
    def country_names(self):
        return {country.name.casefold(): country for country in self.countries.values()}

    @cached_property
    def relationship_types(self):
        table = {}
        for kind in RelationshipType.objects.all():
            table[kind.slug.casefold()] = kind
            table[kind.name.casefold()] = kind
        return table

    def country(self, text):
        return self.countries.get(text.upper()) or self.country_names.get(text.casefold())


class Text(widgets.Widget):
    """Text, without the spaces around it (as the admin's form keeps it)."""

    def clean(self, value, row=None, **kwargs):
        return text_of(value)


class EntryNumber(widgets.Widget):
    """The entry's ID; empty for a new partner. Written without thousands separators,
    read with or without them ("1,234", as older exports wrote it)."""

    GROUPED = re.compile(r"\d{1,3}(?:[,.'\s\u00a0\u202f]\d{3})+")

    def clean(self, value, row=None, **kwargs):
        text = text_of(value)
        if not text:
            return None
        if text.isdigit():
            return int(text)
        if self.GROUPED.fullmatch(text):
            return int(re.sub(r"\D", "", text))
        raise ValueError("Not an entry number; leave ID empty to add a new partner.")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class Year(widgets.Widget):
    """A year, written as a plain number (2021, not 2,021)."""

    def clean(self, value, row=None, **kwargs):
        text = text_of(value)
        if not text:
            return None
        match = re.fullmatch(r"(\d)[,.'\s\u00a0\u202f]?(\d{3})(?:\.0+)?", text)
        if not match:
            raise ValueError("Not a year; write it with four digits, such as 2019.")
        return int(match[1] + match[2])

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


MONTHS = {
    name.casefold(): number
    for names in (calendar.month_name, calendar.month_abbr)
    for number, name in enumerate(names)
    if name
}


class AmbiguousDate(ValueError):
    pass


class Day(widgets.Widget):
    """A date, written year-month-day (2026-03-12). Read that way, or as a spreadsheet
    may rewrite it: 12/03/2026 or 3/12/2026 when only one reading is a date, 12 March
    2026, March 12, 2026. A date that could be either day-month or month-day is refused:
    the file cannot say which was meant."""

    EXAMPLE = "write it as year-month-day, such as 2026-03-12"

    def clean(self, value, row=None, **kwargs):
        text = text_of(value)
        if not text:
            return None
        try:
            return self.parse(text)
        except AmbiguousDate:
            raise
        except (ValueError, KeyError):
            raise ValueError(f"Not a date; {self.EXAMPLE}.") from None

    def parse(self, text):
        if match := re.fullmatch(
            r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0?0:00(?::00)?)?", text
        ):
            year, month, day = map(int, match.groups())
            return datetime.date(year, month, day)
        if match := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):
            first, second, year = map(int, match.groups())
            if first > 12 or first == second:
                return datetime.date(year, second, first)
            if second > 12:
                return datetime.date(year, first, second)
            one, other = datetime.date(year, second, first), datetime.date(year, first, second)
            raise AmbiguousDate(
                f"Could be {one.day} {one:%B} or {other.day} {other:%B} {year}; {self.EXAMPLE}."
            )
        if match := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", text):
            day, month, year = match.groups()
            return datetime.date(int(year), MONTHS[month.casefold()], int(day))
        if match := re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text):
            month, day, year = match.groups()
            return datetime.date(int(year), MONTHS[month.casefold()], int(day))
        raise ValueError(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.isoformat()


class YesNo(widgets.Widget):
    """Published: yes or no (also 1 or 0, true or false); empty is no."""

    YES = {"yes", "y", "1", "true"}
    NO = {"no", "n", "0", "false", ""}

    def clean(self, value, row=None, **kwargs):
        text = text_of(value).casefold()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError("Write yes or no.")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class Website(widgets.Widget):
    """A web address, by the admin form's rule (partners/editorial/websites.py): one
    typed without http:// or https:// gets https://."""

    def clean(self, value, row=None, **kwargs):
        try:
            return clean_website(text_of(value))
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None


class CountryCode(widgets.Widget):
    """A country by its ISO code (CZ), or by its name as the directory spells it."""

    def __init__(self, lookups):
        super().__init__()
        self.lookups = lookups

    def clean(self, value, row=None, **kwargs):
        text = text_of(value)
        if not text:
            raise ValueError("A country is needed; give its two-letter ISO code, such as ZM.")
        country = self.lookups.country(text)
        if country is None:
            raise ValueError("Not a country code; use a two-letter ISO code, such as ZM.")
        return country

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value.code)


class CountryCodes(widgets.ManyToManyWidget):
    """Countries by their ISO codes, separated by semicolons (CR;DO). A ManyToManyWidget,
    so that the library leaves the field to OrganizationResource.import_countries_served
    (a many-to-many field is saved after its entry)."""

    def __init__(self, lookups):
        super().__init__(Country, separator=";", field="code")
        self.lookups = lookups

    def clean(self, value, row=None, **kwargs):
        codes = [code.strip() for code in re.split(r"[;,]", text_of(value)) if code.strip()]
        unknown = [code for code in codes if code.upper() not in self.lookups.countries]
        if unknown:
            are = "is not a country code" if len(unknown) == 1 else "are not country codes"
            raise ValueError(
                f"{', '.join(unknown)} {are}; give two-letter ISO codes separated by "
                "semicolons, such as CR;DO."
            )
        countries = {code.upper(): self.lookups.countries[code.upper()] for code in codes}
        return list(countries.values())

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else ";".join(sorted(str(c.code) for c in value.all()))

    @staticmethod
    def render_list(countries):
        return ";".join(sorted(str(country.code) for country in countries))


class RelationshipKind(widgets.Widget):
    """The relationship, by its slug or name (bilateral, Multinational)."""

    def __init__(self, lookups):
        super().__init__()
        self.lookups = lookups

    def clean(self, value, row=None, **kwargs):
        kind = self.lookups.relationship_types.get(text_of(value).casefold())
        if kind is None:
            slugs = sorted({kind.slug for kind in self.lookups.relationship_types.values()})
            raise ValueError(f"Not a kind of relationship; write {' or '.join(slugs)}.")
        return kind

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.slug


# What an import found wrong, and what it will change.


@dataclass
class Problem:
    """One thing wrong in a file: the spreadsheet's row (1 is the headings), the column,
    the cell's value and what is wrong with it."""

    row: int
    column: str
    value: str
    message: str

    @property
    def quoted(self):
        value = " ".join(self.value.split())
        return value if len(value) <= QUOTED else f"{value[: QUOTED - 1]}…"


@dataclass
class Change:
    column: str
    old: str
    new: str


class ImportResult(Result):
    """The library's result, with every problem found (`problems`, in the order of the
    file) and each valid row's changes (`row.changes`, `row.spreadsheet_row`)."""

    PREVIEW_ROWS = 500

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = []

    @property
    def problem_rows(self):
        return len({problem.row for problem in self.problems})

    @property
    def preview_rows(self):
        return self.valid_rows()[: self.PREVIEW_ROWS]

    @property
    def rows_to_write(self):
        return len(self.valid_rows())


class PreloadedInstanceLoader(BaseInstanceLoader):
    """The entries a file names by ID, read in a few queries before the first row
    (OrganizationResource.before_import). Each ID names one entry: an ID that is not in
    the directory, or a second row with an ID, is a problem of that row, which is then
    read as a new entry so that its other cells are checked too."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.first_row_of = {}

    def get_instance(self, row):
        resource = self.resource
        try:
            number = resource.fields["id"].clean(row)
        except (KeyError, ValueError):
            return None  # No ID column, or an ID the "ID" field reports.
        if number is None:
            return None
        if number in self.first_row_of:
            resource.row_problem(
                "id",
                f"Row {self.first_row_of[number]} is this partner too; keep one row for each.",
            )
            return None
        self.first_row_of[number] = resource.current_row
        instance = resource.preloaded.get(number)
        if instance is None:
            resource.row_problem(
                "id",
                "No partner has this ID (it may have been deleted); leave ID empty to add "
                "a new partner.",
            )
        return instance


def unique_keys(model):
    """The fields whose values no two entries may share: unique fields and unique
    constraints on plain fields."""
    keys = [(field.name,) for field in model._meta.concrete_fields if field.unique]
    keys += [
        tuple(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
        and not constraint.expressions
    ]
    return [key for key in keys if key != (model._meta.pk.name,)]


def key_values(instance, key):
    """An entry's values of `key`, compared as clean() compares names: case aside."""
    values = []
    for name in key:
        value = getattr(instance, Organization._meta.get_field(name).attname)
        values.append(value.casefold() if isinstance(value, str) else value)
    return tuple(values)


class OrganizationResource(resources.ModelResource):
    """The columns of the staff's CSV export and import, in the admin form's words:
    countries by ISO code, the relationship by its slug, countries served as codes
    separated by semicolons, Published as yes or no. Headings are read by label or field
    name, in any case."""

    id = fields.Field(attribute="id", column_name=label("id"), widget=EntryNumber())
    name = fields.Field(attribute="name", column_name=label("name"), widget=Text())
    acronym = fields.Field(attribute="acronym", column_name=label("acronym"), widget=Text())
    other_name = fields.Field(
        attribute="other_name", column_name=label("other_name"), widget=Text()
    )
    native_name = fields.Field(
        attribute="native_name", column_name=label("native_name"), widget=Text()
    )
    native_name_language = fields.Field(
        attribute="native_name_language",
        column_name=label("native_name_language"),
        widget=Text(),
    )
    slug = fields.Field(attribute="slug", column_name=label("slug"), widget=Text())
    country = fields.Field(attribute="country", column_name=label("country"))
    relationship_type = fields.Field(
        attribute="relationship_type", column_name=label("relationship_type")
    )
    countries_served = fields.Field(
        attribute="countries_served", column_name=label("countries_served")
    )
    website = fields.Field(attribute="website", column_name=label("website"), widget=Website())
    description = fields.Field(
        attribute="description", column_name=label("description"), widget=Text()
    )
    partner_since = fields.Field(
        attribute="partner_since", column_name=label("partner_since"), widget=Year()
    )
    last_verified = fields.Field(
        attribute="last_verified", column_name=label("last_verified"), widget=Day()
    )
    is_published = fields.Field(
        attribute="is_published", column_name=label("is_published"), widget=YesNo()
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "acronym",
            "other_name",
            "native_name",
            "native_name_language",
            "slug",
            "country",
            "relationship_type",
            "countries_served",
            "website",
            "description",
            "partner_since",
            "last_verified",
            "is_published",
        ]
        export_order = fields
        import_id_fields = ["id"]
        instance_loader_class = PreloadedInstanceLoader
        clean_model_instances = True  # Organization.full_clean(): the admin's rules
        skip_unchanged = True
        report_skipped = False
        # Changes are listed by the resource itself (Change), column by column.
        skip_diff = True
        # Rows are collected, and written together once every row is checked
        # (after_import), rather than saved one by one.
        use_bulk = True
        batch_size = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.lookups = Lookups()
        self.fields["country"].widget = CountryCode(self.lookups)
        self.fields["relationship_type"].widget = RelationshipKind(self.lookups)
        self.fields["countries_served"].widget = CountryCodes(self.lookups)

    @classmethod
    def get_result_class(cls):
        return ImportResult

    # Export.

    def export_field(self, field, instance, **kwargs):
        # The public CSV's rule: a spreadsheet must not run a cell as a formula.
        value = super().export_field(field, instance, **kwargs)
        return neutralise_formula(value) if isinstance(value, str) else value

    # Import: the file as a whole, before its first row.

    def before_import(self, dataset, **kwargs):
        self.spreadsheet_rows = getattr(dataset, "spreadsheet_rows", None) or list(
            range(2, len(dataset) + 2)
        )
        self.header_problems = []
        self.row_problems = {}
        self.keys_in_file = {key: {} for key in unique_keys(Organization)}
        self.served = []
        headings = self.match_headings(dataset.headers or [])
        rows = [
            [restore_formula(cell.strip()) if isinstance(cell, str) else cell for cell in row]
            for row in dataset
        ]
        dataset.wipe()
        dataset.headers = headings
        for row in rows:
            dataset.append(row)
        self.find_garbled_text(dataset)
        self.preloaded = self.preload(dataset)
        self.find_lost_characters(dataset)
        self.keys_in_directory = self.directory_keys()

    def match_headings(self, headings):
        """The file's headings as the resource's column names; a heading that names no
        column, or a column a second time, is a problem of row 1."""
        columns = {}
        for name, field in self.fields.items():
            columns[heading_key(name)] = field.column_name
            columns[heading_key(field.column_name)] = field.column_name
        matched, seen = [], set()
        for heading in headings:
            column = columns.get(heading_key(heading))
            if column is None or column in seen:
                self.header_problems.append(
                    Problem(
                        1,
                        "Heading",
                        heading,
                        f"This column is in the file twice; keep one {column} column."
                        if column
                        else "Not a column of the directory; use the headings of an "
                        f"export ({', '.join(f.column_name for f in self.fields.values())}),"
                        " or remove this column.",
                    )
                )
                matched.append(f"\x00{heading}")  # Read by no field.
            else:
                seen.add(column)
                matched.append(column)
        return matched

    def find_garbled_text(self, dataset):
        columns = {field.column_name: name for name, field in self.fields.items()}
        for number, row in enumerate(dataset.dict, start=1):
            for column, value in row.items():
                if column in columns and isinstance(value, str) and (text := ungarbled(value)):
                    self.row_problems.setdefault(number, {})[columns[column]] = [
                        f"This text looks garbled by a wrong encoding; it probably said "
                        f"“{text}”. Export the file again and open it in the spreadsheet "
                        "as it is, or correct the cell."
                    ]

    def find_lost_characters(self, dataset):
        """A cell that holds its entry's text with question marks where the letters were
        (a Ukrainian or Georgian name, say) was saved in an encoding that cannot write
        them (Excel's plain "CSV" is Windows-1252): importing it would overwrite the name."""
        columns = {field.column_name: name for name, field in self.fields.items()}
        id_column = self.fields["id"].column_name
        for number, row in enumerate(dataset.dict, start=1):
            try:
                entry = self.preloaded.get(self.fields["id"].widget.clean(row.get(id_column)))
            except ValueError:
                continue
            for column, value in row.items():
                name = columns.get(column)
                current = getattr(entry, name, None) if entry is not None and name else None
                if not (isinstance(value, str) and isinstance(current, str)) or value == current:
                    continue
                if value in windows_1252_forms(current):
                    self.row_problems.setdefault(number, {})[name] = [
                        f"Letters of “{current}” were lost: the file was saved in an "
                        "encoding that cannot hold them (question marks, or letters "
                        "without their accents). Save it as “CSV UTF-8” and import it again."
                    ]

    def preload(self, dataset):
        """The entries the file names by ID, with their countries served."""
        column = self.fields["id"].column_name
        if column not in (dataset.headers or []):
            return {}
        numbers = set()
        for value in dataset[column]:
            with contextlib.suppress(ValueError):
                numbers.add(self.fields["id"].widget.clean(value))
        numbers.discard(None)
        numbers = sorted(numbers)
        queryset = Organization.objects.select_related(
            "country", "relationship_type"
        ).prefetch_related("countries_served")
        preloaded = {}
        for start in range(0, len(numbers), CHUNK):
            for organization in queryset.filter(pk__in=numbers[start : start + CHUNK]):
                preloaded[organization.pk] = organization
        return preloaded

    def directory_keys(self):
        """{key: {values: [(pk, name)]}} for every entry in the directory."""
        keys = {key: {} for key in self.keys_in_file}
        attnames = {Organization._meta.get_field(name).attname for key in keys for name in key}
        for entry in Organization.objects.values("pk", *attnames).iterator(chunk_size=CHUNK):
            for key, owners in keys.items():
                values = tuple(entry[Organization._meta.get_field(name).attname] for name in key)
                values = tuple(v.casefold() if isinstance(v, str) else v for v in values)
                owners.setdefault(values, []).append(entry["pk"])
        return keys

    # Import: each row.

    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number", 0)
        self.current_number = number
        self.current_row = self.spreadsheet_row(number)
        self.errors = {
            field: list(messages) for field, messages in self.row_problems.get(number, {}).items()
        }
        self.changes = []
        self.new = False

    def spreadsheet_row(self, number):
        if 0 < number <= len(self.spreadsheet_rows):
            return self.spreadsheet_rows[number - 1]
        return number + 1

    def row_problem(self, field, message):
        self.errors.setdefault(field, []).append(message)

    def get_or_init_instance(self, instance_loader, row):
        instance, self.new = super().get_or_init_instance(instance_loader, row)
        if self.new:
            instance.is_published = False  # Published only if the row says so.
        return instance, self.new

    def import_instance(self, instance, row, **kwargs):
        before = self.values_of(instance, row)
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            self.import_countries_served(instance, row)
            after = self.values_of(instance, row)
            changed = [name for name, value in after.items() if value != before[name]]
            if self.new:  # Everything a new entry will have.
                before = dict.fromkeys(after, "")
                changed = [n for n in after if self.cell(n, after[n]) or n == "is_published"]
            self.changes = [
                Change(
                    self.fields[name].column_name,
                    self.cell(name, before[name]) if before[name] != "" else "",
                    self.cell(name, after[name]),
                )
                for name in changed
            ]
            instance.changed_fields = [
                self.fields[name].attribute for name in changed if name != "countries_served"
            ]

    def import_countries_served(self, instance, row):
        """The countries served, read from the row; saved with the entry, and checked
        against the relationship in validate_instance()."""
        instance.served = None
        field = self.fields["countries_served"]
        if field.column_name not in row:
            return
        try:
            instance.served = field.clean(row)
        except ValueError as error:
            self.row_problem("countries_served", str(error))

    def check_countries_served(self, instance, errors):
        """The admin form's rule (Organization.check_countries_served), with the
        countries the row gives, or those the entry serves if the file does not say."""
        if instance.relationship_type_id is None or "countries_served" in errors:
            return
        served = getattr(instance, "served", None)
        if served is None:
            served = [] if self.new else list(instance.countries_served.all())
        try:
            instance.check_countries_served(served)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)

    def values_of(self, instance, row):
        """The entry's values for the columns in `row`, to compare before and after the
        row is read: countries served as a set of codes."""
        values = {}
        for name, field in self.fields.items():
            if field.column_name not in row:
                continue
            if name == "countries_served":
                served = getattr(instance, "served", None)
                if served is None:
                    served = [] if self.new else instance.countries_served.all()
                values[name] = frozenset(str(country.code) for country in served)
            elif name in ("country", "relationship_type"):
                has_one = getattr(instance, f"{name}_id") is not None
                values[name] = getattr(instance, name) if has_one else None
            else:
                values[name] = getattr(instance, field.attribute)
        return values

    def cell(self, name, value):
        """A value as the file's column shows it."""
        if name == "countries_served":
            return ";".join(sorted(value))
        return self.fields[name].widget.render(value)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A row that changes nothing is left alone, even where the entry breaks a rule
        # (an older entry may): the file does not make it so.
        return not (self.new or self.changes or import_validation_errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {field: list(messages) for field, messages in self.errors.items()}
        for field, messages in (import_validation_errors or {}).items():
            errors.setdefault(field, []).extend(messages)
        # Foreign keys read from the lookups, or loaded with the entry, exist: checking
        # each again would cost a query per row. Uniqueness is checked for the whole
        # file at once (check_unique, report_shared_values).
        exclude = set(errors) | {
            name
            for name in ("country", "relationship_type")
            if getattr(instance, f"{name}_id") is not None
        }
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.check_countries_served(instance, errors)
        self.check_unique(instance, errors)
        if errors:
            raise ValidationError(errors)

    def check_unique(self, instance, errors):
        """No other entry in the directory may have the values a unique field or
        constraint keeps apart; other rows of the file are compared at the end."""
        for key, owners in self.keys_in_directory.items():
            values = key_values(instance, key)
            if any(value in (None, "") for value in values):
                continue
            self.keys_in_file[key].setdefault(values, []).append(self.current_number)
            others = [pk for pk in owners.get(values, []) if pk != instance.pk]
            if others and key[-1] not in errors:
                other = Organization.objects.filter(pk=others[0]).first()
                errors[key[-1]] = [self.taken_message(key, f"“{other}”")]

    @staticmethod
    def taken_message(key, other, also=False):
        what = "Also" if also else "Already"
        if key == ("slug",):
            return f"{what} the slug of {other}; each partner needs its own."
        names = " and ".join(label(name).lower() for name in key)
        return f"{what} the {names} of {other}; tell the two apart, or keep one row."

    def after_import_row(self, row, row_result, **kwargs):
        row_result.changes = self.changes
        row_result.spreadsheet_row = self.current_row

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        if getattr(instance, "served", None) is not None:
            self.served.append((instance, [country.pk for country in instance.served]))

    # Nothing is written row by row (use_bulk collects the rows); after_import() writes
    # the file once every row has been checked.

    def bulk_create(self, *args, **kwargs):
        pass

    def bulk_update(self, *args, **kwargs):
        pass

    def bulk_delete(self, *args, **kwargs):
        pass

    def after_import(self, dataset, result, **kwargs):
        self.report_shared_values(result, dataset)
        for problem in self.header_problems:
            result.append_base_error(Error(ValueError(problem.message)))
        result.problems = self.problems(result, dataset)
        if kwargs.get("dry_run", True) or result.has_errors() or result.has_validation_errors():
            return
        # Every row has passed: write them all. New rows never give an ID (an unknown ID
        # is a problem), so there is no sequence to reset, as ModelResource.after_import
        # would.
        save_imported(
            self.create_instances,
            self.update_instances,
            self.served,
            user=kwargs.get("user"),
            reason=REASON,
        )

    def report_shared_values(self, result, dataset):
        """Rows of the file that give one slug, or one name in one country: each is told
        which other rows share it."""
        shared = {}
        for key, rows in self.keys_in_file.items():
            for numbers in rows.values():
                for number in numbers if len(numbers) > 1 else []:
                    others = [self.spreadsheet_row(n) for n in numbers if n != number]
                    where = f"row{'s' if len(others) > 1 else ''} {', '.join(map(str, others))}"
                    message = self.taken_message(key, where, also=True)
                    shared.setdefault(number, {}).setdefault(key[-1], [message])
        if not shared:
            return
        invalid = {row.number: row for row in result.invalid_rows}
        for number, errors in shared.items():
            if number in invalid:
                for field, messages in errors.items():
                    invalid[number].error_dict.setdefault(field, messages)
            else:
                row = dict(zip(dataset.headers, dataset[number - 1], strict=True))
                result.append_invalid_row(number, row, ValidationError(errors))
        result.invalid_rows.sort(key=lambda row: row.number)
        # These rows passed on their own: they are no longer among the rows to write.
        result.rows = [
            row
            for row in result.rows
            if getattr(row, "spreadsheet_row", None)
            not in {self.spreadsheet_row(number) for number in shared}
        ]

    def problems(self, result, dataset):
        """Every problem found, in the order of the file."""
        order = {field.column_name: index for index, field in enumerate(self.fields.values())}
        problems = list(self.header_problems)
        for invalid in result.invalid_rows:
            row = dict(zip(dataset.headers, dataset[invalid.number - 1], strict=True))
            for field, messages in invalid.error_dict.items():
                column = (
                    self.fields[field].column_name
                    if field in self.fields
                    else ""
                    if field == NON_FIELD_ERRORS
                    else capfirst(field.replace("_", " "))
                )
                value = text_of(row.get(column, ""))
                for message in messages:
                    problems.append(
                        Problem(self.spreadsheet_row(invalid.number), column, value, message)
                    )
        for failed in result.error_rows:
            for error in failed.errors:
                problems.append(
                    Problem(
                        self.spreadsheet_row(failed.number),
                        "",
                        "",
                        f"This row could not be read: {error.error}",
                    )
                )
        problems.sort(key=lambda problem: (problem.row, order.get(problem.column, -1)))
        return problems
