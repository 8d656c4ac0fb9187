"""The directory as data: the partners a directory query shows, as CSV or JSON.

An export is built from the same OrganizationFilter and QuerySet methods as /partners/,
so it lists exactly the partners the directory shows for the same parameters, in the same
order, all of them rather than one page. Rows are produced while the response is being
sent: the organizations are read with one streaming query (`iterator(chunk_size=…)`), the
countries that multinational partners serve with one more, so the number of queries and
the memory used stay the same whatever the size of the directory.
"""

import csv
import json
from dataclasses import dataclass, field
from itertools import islice

from django.db.models import Count, Max
from django.utils.text import slugify

from partners.listing.filters import OrganizationFilter
from partners.models import Organization, Region

# The columns of the CSV and the keys of each JSON object, in this order.
FIELDS = [
    "slug",
    "name",
    "acronym",
    "other_name",
    "country_code",
    "country_name",
    "region",
    "relationship_type",
    "countries_served",
    "website",
    "partner_since",
    "last_verified",
    "url",
    # Added after the others, so that a program reading the CSV by position still finds
    # the earlier columns where they were.
    "native_name",
    "native_name_language",
]
PARAMETERS = ["q", "country", "region", "type"]
CHUNK_SIZE = 2000
ROWS_PER_WRITE = 500
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"


@dataclass
class Export:
    """One directory query, ready to be written as CSV or JSON."""

    filterset: OrganizationFilter
    page_url: object  # slug -> absolute URL of the partner's page
    filters: dict = field(init=False)
    problems: list = field(init=False)

    def __post_init__(self):
        self.filters = applied_filters(self.filterset)
        self.problems = [
            {"parameter": name, "message": message} for name, message in self.filterset.problems()
        ]

    @property
    def queryset(self):
        return self.filterset.qs

    def summary(self):
        """(count, last change to any listed partner): one aggregate query."""
        figures = self.queryset.order_by().aggregate(
            count=Count("pk"), last_modified=Max("updated_at")
        )
        return figures["count"], figures["last_modified"]

    def records(self):
        """One dict per partner (keys FIELDS), in the directory's order."""
        served = countries_served(self.queryset)
        for organization in self.queryset.iterator(chunk_size=CHUNK_SIZE):
            yield partner_record(
                organization, served.get(organization.pk, []), self.page_url(organization.slug)
            )

    def filename(self, extension):
        """icma-partners.csv, icma-partners-country-cz-type-bilateral.json, …"""
        parts = ["icma-partners"]
        for name, value in self.filters.items():
            parts.append(f"{name}-{slugify(value)[:40].strip('-') or 'x'}")
        return f"{'-'.join(parts)}.{extension}"


def directory_export(data, page_url):
    """The export for directory parameters `data` (request.GET): the directory's own
    filters over the directory's own QuerySet. Bad parameters are reported, not applied."""
    filterset = OrganizationFilter(
        data or None, queryset=Organization.objects.published().for_listing()
    )
    return Export(filterset, page_url)


def applied_filters(filterset):
    """{parameter: value} for each filter in effect, as the directory's URL spells it."""
    if not filterset.is_bound:
        return {}
    filterset.is_valid()
    applied = {}
    for name in PARAMETERS:
        value = filterset.form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if name == "country":
            value = str(value.code)
        elif name == "type":
            value = value.slug
        applied[name] = str(value)
    return applied


def countries_served(queryset):
    """{organization pk: [ISO codes of the countries it serves, by name]} for the
    organizations in `queryset`: one query. Only multinational partners serve countries,
    so this stays small however many partners there are."""
    through = Organization.countries_served.through
    rows = (
        through.objects.filter(organization__in=queryset.order_by().values("pk"))
        .order_by("organization_id", "country__name")
        .values_list("organization_id", "country__code")
    )
    served = {}
    for organization_id, code in rows:
        served.setdefault(organization_id, []).append(str(code))
    return served


def partner_record(organization, served_codes, url):
    """A partner as plain data: None where a value is not known."""
    country = organization.country
    return {
        "slug": organization.slug,
        "name": organization.name,
        "acronym": organization.acronym or None,
        "other_name": organization.other_name or None,
        "country_code": str(country.code),
        "country_name": country.name,
        "region": str(Region(country.region).label),
        "relationship_type": organization.relationship_type.name,
        "countries_served": list(served_codes),
        "website": organization.website or None,
        "partner_since": organization.partner_since,
        "last_verified": (
            organization.last_verified.isoformat() if organization.last_verified else None
        ),
        "url": url,
        "native_name": organization.native_name or None,
        "native_name_language": organization.native_name_language or None,
    }


# CSV


def neutralise_formula(text):
    """A cell a spreadsheet would run as a formula, made plain text with a leading
    apostrophe (the OWASP advice); any other text unchanged."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(value)
    return neutralise_formula(str(value))


class _Line:
    """A file-like object whose write() hands back what csv.writer wrote."""

    def write(self, text):
        return text


def csv_lines(records):
    """The CSV text in pieces: a byte-order mark (so that spreadsheets read UTF-8), the
    header, then the rows, a few hundred per piece."""
    writer = csv.writer(_Line())
    yield BYTE_ORDER_MARK + writer.writerow(FIELDS)
    records = iter(records)
    while batch := list(islice(records, ROWS_PER_WRITE)):
        yield "".join(
            writer.writerow([csv_cell(record[name]) for name in FIELDS]) for record in batch
        )


# JSON


def json_pieces(count, filters, problems, last_modified, records):
    """The JSON document in pieces, in the documented shape:

    {"count": 2, "filters": {"country": "IN"}, "problems": [], "last_modified": "…",
     "partners": [{…}, {…}]}
    """
    head = {
        "count": count,
        "filters": filters,
        "problems": problems,
        "last_modified": last_modified.isoformat() if last_modified else None,
    }
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "partners": ['
    yield opening
    records = iter(records)
    separator = "\n"
    while batch := list(islice(records, ROWS_PER_WRITE)):
        yield separator + ",\n".join(json.dumps(record, ensure_ascii=False) for record in batch)
        separator = ",\n"
    yield "\n]}\n"
