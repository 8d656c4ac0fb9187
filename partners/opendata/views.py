"""The directory as data: /partners.csv, /partners.json, one partner or country as JSON,
the OpenAPI description of them, and /robots.txt.

Exports are streamed (partners/opendata/exports.py). With the shared page cache on
(settings.PAGE_CACHE_ENABLED), they are cached like pages: the cache key and the ETag hold
the directory version, so any change to the directory retires them at once, and a repeat
request answers 304. The key holds the filters as the export reads them (`export_query`),
so other parameters, or `?country=ke` for `?country=KE`, add no entry; an export that
reports a bad parameter, or asked for with a stray port in its Host
(icma_site.pagecache.canonical.is_canonical_host), is sent but not stored. An export larger than
EXPORT_CACHE_MAX_BYTES is streamed every time rather than held in the cache.
"""

import hashlib
import logging
import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from icma_site.pagecache import policy, versions
from icma_site.pagecache.canonical import is_canonical_host
from partners.models import Country, Organization
from partners.opendata import exports, openapi

SLUG = re.compile(r"[-a-zA-Z0-9_]+")

logger = logging.getLogger("partners.data")

EXPORT_KEY = "export:{release}:{version}:{url}"
CSV_TYPE = "text/csv; charset=utf-8; header=present"
JSON_TYPE = "application/json"
# Headers an export keeps when it is served from the cache.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin")


def read_only(view):
    """GET and HEAD only; anything else is 405 (not a CSRF 403: nothing here writes)."""
    return csrf_exempt(require_safe(view))


def page_urls(request):
    """slug -> the absolute URL of that partner's page, without a reverse() per partner."""
    marker = "slug-marker"
    address = request.build_absolute_uri(
        reverse("partners:organization-detail", kwargs={"slug": marker})
    )
    head, tail = address.split(marker)
    return lambda slug: f"{head}{slug}{tail}"


def allow_any_origin(response):
    """Read access from any site's scripts (CORS): the data is public."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def export_version(request):
    """(version token, last-modified timestamp) when exports may be cached and validated,
    else (None, None). Only a shared cache's version is true in every process."""
    if not settings.PAGE_CACHE_ENABLED or policy.is_private(request):
        return None, None
    try:
        return versions.current_version()
    except Exception as error:
        logger.warning("Page cache unavailable, export not cached: %s", error)
        return None, None


def export_query(query):
    """The export's parameters in the QueryDict `query` as its filters read them
    (partners/listing/filters.py): the last value of each, the search text and the country code
    trimmed, the code in capitals, the empty ones left out. Read without the database, so
    that a cached export costs no query; a value the filters refuse is reported in the
    export, which is then not stored."""
    kept = []
    for name in exports.PARAMETERS:
        value = query.get(name, "")
        if name in {"q", "country"}:
            value = value.strip()
        if name == "country":
            value = value.upper()
        if value:
            kept.append((name, value))
    return urlencode(kept)


def export_digest(request):
    """The export's address as cached: like policy.url_digest, with its filters as
    `export_query` reads them for the query."""
    address = f"{request.scheme}://{request.get_host()}{request.path}?{export_query(request.GET)}"
    return hashlib.sha256(address.encode()).hexdigest()


def export_view(extension):
    """The view for /partners.<extension>."""

    @read_only
    def view(request):
        version, changed = export_version(request)
        headers = {}
        key = None
        if version:
            key = EXPORT_KEY.format(
                release=versions.release(), version=version, url=export_digest(request)
            )
            headers["ETag"] = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
            headers["Last-Modified"] = http_date(int(changed))
            not_modified = get_conditional_response(
                request, etag=headers["ETag"], last_modified=int(changed)
            )
            if not_modified is not None:
                return finish(not_modified, headers, extension)
            try:
                body = cache.get(key)
            except Exception as error:
                logger.warning("Page cache unavailable, export not cached: %s", error)
                body, key = None, None
            if body is not None:
                # Streamed, so that the page cache does not keep a second copy.
                response = StreamingHttpResponse([body["content"]])
                for name, value in body["headers"].items():
                    response[name] = value
                response["X-Cache"] = "hit"
                return finish(response, headers, extension)

        export = exports.directory_export(request.GET, page_urls(request))
        pieces = csv_pieces(export) if extension == "csv" else json_pieces(export)
        response = StreamingHttpResponse(
            (piece.encode() for piece in pieces),
            content_type=CSV_TYPE if extension == "csv" else JSON_TYPE,
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=extension == "csv", filename=export.filename(extension)
        )
        if extension == "json":
            allow_any_origin(response)
        if key and is_canonical_host(request) and not export.problems:
            # What a later request needs to serve the same body from the cache.
            cacheable_headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            response.streaming_content = stored_while_sent(
                response.streaming_content, key, cacheable_headers
            )
        return finish(response, headers, extension)

    return view


def stored_while_sent(chunks, key, headers):
    """Pass on the encoded `chunks`; store them (and `headers`) under `key` when done and
    small enough."""
    kept, size = [], 0
    for chunk in chunks:
        if kept is not None:
            size += len(chunk)
            if size <= settings.EXPORT_CACHE_MAX_BYTES:
                kept.append(chunk)
            else:
                kept = None
        yield chunk
    if kept is not None:
        try:
            cache.set(
                key,
                {"content": b"".join(kept), "headers": headers},
                settings.PAGE_CACHE_SECONDS,
            )
        except Exception as error:
            logger.warning("Page cache unavailable, export not stored: %s", error)


def finish(response, headers, extension):
    for name, value in headers.items():
        response[name] = value
    if extension == "json":
        allow_any_origin(response)
    patch_cache_control(response, no_cache=True)
    return response


def csv_pieces(export):
    return exports.csv_lines(export.records())


def json_pieces(export):
    """The count and last change are read only when the body is sent, so that a 304 or a
    cached answer runs no query for them."""
    count, last_modified = export.summary()
    yield from exports.json_pieces(
        count, export.filters, export.problems, last_modified, export.records()
    )


partners_csv = export_view("csv")
partners_json = export_view("json")


def is_slug(text):
    """Whether `text` could be a slug at all: anything else (a NUL, which PostgreSQL
    cannot even be asked about) is answered as not found, in JSON like any other."""
    return bool(SLUG.fullmatch(text))


def not_found(message):
    return allow_any_origin(JsonResponse({"error": message}, status=404))


@read_only
def partner_json(request, slug):
    """/partners/<slug>.json: one published partner."""
    if not is_slug(slug):
        return not_found("There is no published partner with that address.")
    organization = (
        Organization.objects.published()
        .select_related("country", "relationship_type")
        .prefetch_related(Prefetch("countries_served", Country.objects.order_by("name")))
        .filter(slug=slug)
        .first()
    )
    if organization is None:
        return not_found("There is no published partner with that address.")
    record = exports.partner_record(
        organization,
        [str(country.code) for country in organization.countries_served.all()],
        page_urls(request)(organization.slug),
    )
    record["description"] = organization.description or None
    return allow_any_origin(JsonResponse(record, json_dumps_params={"ensure_ascii": False}))


@read_only
def country_json(request, slug):
    """/countries/<slug>.json: one country, its partners and the multinational partners
    serving it (the country page as data)."""
    if not is_slug(slug):
        return not_found("There is no country with that address.")
    try:
        country = get_object_or_404(Country, slug=slug)
    except Http404:
        return not_found("There is no country with that address.")
    partners = Organization.objects.published().in_country(country).for_listing()
    served = exports.countries_served(partners)
    page_url = page_urls(request)
    national, multinational = [], []
    for organization in partners:
        record = exports.partner_record(
            organization, served.get(organization.pk, []), page_url(organization.slug)
        )
        (multinational if organization.is_multinational else national).append(record)
    if not (national or multinational):
        return not_found("No published partner is in this country.")
    data = {
        "code": str(country.code),
        "name": country.name,
        "slug": country.slug,
        "region": country.get_region_display(),
        "other_names": country.other_name_list,
        "url": request.build_absolute_uri(country.get_absolute_url()),
        "partners": national,
        "multinational_partners": multinational,
    }
    return allow_any_origin(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


@read_only
def openapi_description(request):
    """/api/openapi.json: the OpenAPI 3.1 description of the JSON above."""
    server = request.build_absolute_uri("/").rstrip("/")
    return allow_any_origin(JsonResponse(openapi.description(server)))


@read_only
def robots_txt(request):
    """/robots.txt: the sitemap; crawlers kept out of the admin and of the exports'
    filtered variations (the unfiltered exports stay open). An admin moved by ADMIN_URL
    is not named: robots.txt is public, and the point of moving it is not to say where."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /partners.csv?",
        "Disallow: /partners.json?",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
