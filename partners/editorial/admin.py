"""The staff's tool: the Django admin, with history and restore (django-simple-history),
CSV bulk edits (django-import-export), publishing and verification actions, and the
queue of corrections sent by visitors."""

import datetime
import os
import re
import stat
import tempfile
import time
from pathlib import Path
from uuid import uuid4

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, OuterRef, Subquery, Value, When
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.results import RowResult
from import_export.tmp_storages import CacheStorage
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from partners.editorial.history import update_organizations
from partners.editorial.history_page import RESTORED, PlainChanges, what_happened
from partners.editorial.resources import OrganizationResource
from partners.editorial.spreadsheet import SpreadsheetCSV, UnreadableFile
from partners.editorial.websites import WebsiteField
from partners.editorial.widgets import RequiredAutocompleteMixin
from partners.models import Correction, Country, Organization, RelationshipType
from partners.text import neutralized


class RestorableAdmin(SimpleHistoryAdmin):
    """History with a readable diff and a restore of any version (the entry's "History"
    page), and a list of deleted entries, each restorable from its history. The History
    page speaks plainly (partners/editorial/history_page.py): what happened to each
    version and why, who did it (linked only for staff who may open user accounts), and
    each change as old → new in words."""

    change_list_template = "admin/partners/restorable_change_list.html"
    object_history_template = "admin/partners/object_history.html"
    object_history_list_template = "admin/partners/object_history_list.html"

    def get_urls(self):
        opts = self.model._meta
        deleted = path(
            "deleted/",
            self.admin_site.admin_view(self.deleted_view),
            name=f"{opts.app_label}_{opts.model_name}_deleted",
        )
        return [deleted, *super().get_urls()]

    def deleted_view(self, request):
        """Entries deleted and not restored since, the latest deletion first."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        history = self.model.history.model
        last_record = (
            history.objects.filter(id=OuterRef("id"))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        deletions = (
            history.objects.filter(history_type="-", history_id=Subquery(last_record))
            .exclude(id__in=self.model.objects.values("pk"))
            .select_related("history_user")
            .order_by("-history_date")
        )
        page = Paginator(deletions, self.list_per_page).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {self.model._meta.verbose_name_plural}",
            "opts": self.model._meta,
            "page": page,
        }
        return TemplateResponse(request, "admin/partners/deleted_entries.html", context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        version = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if version is None:
            return form
        # The restore form: simple-history fills it from the version's own fields, but a
        # ManyToMany field's initial value would be today's (none, for a deleted entry).
        # Take the version's, which simple-history keeps with it.
        initial = {
            field.name: [
                getattr(row, f"{field.m2m_reverse_field_name()}_id")
                for row in getattr(version, field.name).all()
            ]
            for field in version._history_m2m_fields
        }

        class VersionForm(form):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return VersionForm

    def history_view(self, request, object_id, extra_context=None):
        require_number(object_id)
        users = self.admin_site._registry.get(get_user_model())
        extra_context = {
            # A link to the user who made a change, only for those who may open it.
            "user_links": bool(users and users.has_view_or_change_permission(request)),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return PlainChanges(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        super().set_history_delta_changes(request, historical_records, **kwargs)
        records = list(historical_records)
        if records:
            first = (
                self.model.history.filter(id=records[0].id)
                .order_by("history_date", "history_id")
                .values_list("history_id", flat=True)
                .first()
            )
            for record in records:
                record.what_happened = what_happened(record, first_version=first)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        require_number(object_id, version_id)
        # Restoring a version saves it through the change form, like any edit: the same
        # validation, Organization.save(), the history record and the cache refresh.
        # The new version says which one it restored (save_model, response_change).
        request.restored_version = self.model.history.filter(
            id=object_id, history_id=version_id
        ).first()
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        version = getattr(request, "restored_version", None)
        if version is not None:
            obj._change_reason = f"{RESTORED} the version of {moment(version.history_date)}"
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        version = getattr(request, "restored_version", None)
        if version is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            f"“{obj}” is restored to its version of {moment(version.history_date)}.",
            messages.SUCCESS,
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history",
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
        )


def moment(when):
    """A version's date and time as the History page shows it."""
    return date_format(timezone.localtime(when), "j F Y, H:i")


def require_number(*ids):
    """simple-history's views look entries up by the address's ids as given: anything
    but a number would fail in the database (a 500), so it is a 404 here."""
    if not all(str(value).isdigit() for value in ids):
        raise Http404("There is no such entry or version.")


# Bulk edits through CSV (django-import-export).

# Where uploads wait for the confirm step when there is no shared cache: one folder of
# this server that every worker finds and only the site's own user can open.
UPLOAD_FOLDER = Path(tempfile.gettempdir()) / f"icma-imports-{os.getuid()}"
UPLOAD_NAME = re.compile(r"[0-9a-f]{32}")


class ImportUploadStorage(CacheStorage):
    """Where an uploaded file waits between the preview and the confirm step
    (IMPORT_EXPORT_TMP_STORAGE_CLASS): under a random name that only the preview hands
    out, for IMPORT_UPLOAD_SECONDS at most; the confirm step removes it. Any other name,
    or an expired one, reads as nothing (None), never as some other file.

    In the cache when every worker and server shares it (Redis); otherwise in
    UPLOAD_FOLDER, as a local-memory cache is each worker's own and the confirm step may
    reach another worker than the preview did."""

    def save(self, data):
        self.name = uuid4().hex
        if kept := shared_cache():
            kept.set(self.key, data, settings.IMPORT_UPLOAD_SECONDS)
            return
        folder = upload_folder()
        remove_expired_uploads(folder)
        descriptor = os.open(folder / self.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(descriptor, "wb") as file:
            file.write(data)

    def read(self):
        if not self.known_name():
            return None
        if kept := shared_cache():
            return kept.get(self.key)
        upload = upload_folder() / self.name
        try:
            if upload_expired(upload):
                upload.unlink(missing_ok=True)
                return None
            return upload.read_bytes()
        except FileNotFoundError:
            return None

    def remove(self):
        self.take()

    def take(self):
        """What read() gives, removing it: of two confirm steps for one upload (a double
        click), only one gets the file."""
        data = self.read()
        if data is None:
            return None
        if kept := shared_cache():
            return data if kept.delete(self.key) else None
        try:
            (upload_folder() / self.name).unlink()
        except FileNotFoundError:
            return None
        return data

    @property
    def key(self):
        return self.CACHE_PREFIX + self.name

    def known_name(self):
        return isinstance(self.name, str) and UPLOAD_NAME.fullmatch(self.name) is not None


def shared_cache():
    """The default cache if every worker finds what one puts there, else None: not so
    with local memory (each process has its own) or the dummy cache (it keeps nothing)."""
    default = caches["default"]
    return None if isinstance(default, LocMemCache | DummyCache) else default


def upload_folder():
    """UPLOAD_FOLDER, made if need be. A folder that another user could open is refused:
    whoever can write there could change a file between its preview and its import."""
    UPLOAD_FOLDER.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = UPLOAD_FOLDER.lstat()
    if (
        not stat.S_ISDIR(info.st_mode)
        or info.st_uid != os.getuid()
        or stat.S_IMODE(info.st_mode) & 0o077
    ):
        raise ImproperlyConfigured(
            f"{UPLOAD_FOLDER} must be a folder that only this user can open."
        )
    return UPLOAD_FOLDER


def upload_expired(upload):
    return time.time() - upload.stat().st_mtime > settings.IMPORT_UPLOAD_SECONDS


def remove_expired_uploads(folder):
    for upload in folder.iterdir():
        try:
            if UPLOAD_NAME.fullmatch(upload.name) and upload_expired(upload):
                upload.unlink(missing_ok=True)
        except FileNotFoundError:
            pass  # Removed meanwhile by another worker.


class UploadForm(ImportForm):
    """The import's first step, refusing a file larger than IMPORT_UPLOAD_MAX_BYTES
    before anything is read or kept."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"This file is {filesizeformat(upload.size)}; an import takes at most "
                f"{filesizeformat(limit)}. Split it into smaller files."
            )
        return upload


class ExportForm(SelectableFieldsExportForm):
    """The export's choice of columns, each named by its heading in the file (the
    library adds the field's name to it: "Partner Since (Partner since)")."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return field.column_name if field else super()._get_field_label(resource, field_name)


class CSVImportExportAdmin(ImportExportModelAdmin):
    """django-import-export's admin, for CSV files that go through a spreadsheet: the
    export in UTF-8 with the byte-order mark (without it Excel reads "STMOÚ" as
    "STMOÃš"), the import reading what Excel saves (partners/editorial/spreadsheet.py),
    its preview and its problems on a page that fits the screen
    (templates/admin/partners/import.html).

    The confirm step takes only an upload its own preview kept: any other name, an
    expired one, or a format or resource that is not offered goes back to the import
    page with a message, and nothing is written."""

    import_form_class = UploadForm
    export_form_class = ExportForm
    import_template_name = "admin/partners/import.html"
    formats = [SpreadsheetCSV]
    to_encoding = "utf-8-sig"

    def has_import_permission(self, request):
        # IMPORT_EXPORT_IMPORT_PERMISSION_CODE ("change"), and add too: a row without an id
        # creates an entry, which the change permission alone does not allow.
        return super().has_import_permission(request) and self.has_add_permission(request)

    def has_export_permission(self, request):
        # IMPORT_EXPORT_EXPORT_PERMISSION_CODE ("view"); as everywhere in the admin, the
        # change permission includes the view one.
        return super().has_export_permission(request) or self.has_change_permission(request)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        # An upload is kept only for a preview that can be confirmed.
        upload = request.FILES.get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name and not (getattr(response, "context_data", None) or {}).get("confirm_form"):
            self.upload_storage(name).remove()
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        formats = self.get_import_formats()
        resources = self.get_import_resource_classes(request)
        if not (
            form.is_valid()
            and form.cleaned_data["format"] in choices(formats)
            and (form.cleaned_data["resource"] or "0") in choices(resources)
        ):
            return self.back_to_import(request, EXPIRED)
        input_format = formats[int(form.cleaned_data["format"])](encoding=self.from_encoding)
        data = self.upload_storage(form.cleaned_data["import_file_name"]).take()
        if data is None:
            return self.back_to_import(request, EXPIRED)
        # Any row that fails now (the directory may have changed since the preview) rolls
        # the whole file back.
        result = self.process_dataset(
            input_format.create_dataset(data),
            form,
            request,
            rollback_on_validation_errors=True,
            **kwargs,
        )
        if result.has_errors() or result.has_validation_errors():
            return self.back_to_import(
                request,
                "Nothing was imported: some rows are no longer valid. "
                "Choose the file again to see which.",
            )
        return self.process_result(result, request)

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, UnreadableFile):
            form.add_error("import_file", str(error))
        else:
            form.add_error(
                "import_file",
                "This file cannot be read as CSV. In the spreadsheet, save it with Save As "
                "and the type “CSV UTF-8”, then import that file.",
            )

    def add_success_message(self, result, request):
        new = result.totals[RowResult.IMPORT_TYPE_NEW]
        changed = result.totals[RowResult.IMPORT_TYPE_UPDATE]
        name = self.model._meta.verbose_name
        names = self.model._meta.verbose_name_plural
        self.message_user(
            request,
            f"Imported: {new:,} new {name if new == 1 else names} added, {changed:,} "
            f"changed. Each change is in the entry's history.",
            messages.SUCCESS,
        )

    def upload_storage(self, name):
        return self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs())

    def back_to_import(self, request, message):
        self.message_user(request, message, messages.ERROR)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_import",
                current_app=self.admin_site.name,
            )
        )


EXPIRED = (
    "Nothing was imported: this preview has expired or was confirmed already. "
    "Choose the file again."
)


def choices(options):
    """The values a form may send to choose one of `options`: "0", "1", …"""
    return {str(index) for index in range(len(options))}


# The address parameter with which a correction's "partner" link opens the partner.
CORRECTION_PARAMETER = "correction"


def with_query(url, **parameters):
    """`url` with `parameters` added to its query string."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode(parameters)}"


class VerifiedFilter(admin.SimpleListFilter):
    title = "last verified"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [
            ("recent", "In the last 12 months"),
            ("stale", "Not in the last 12 months"),
        ]

    def queryset(self, request, queryset):
        a_year_ago = timezone.now().date() - datetime.timedelta(days=365)
        if self.value() == "recent":
            return queryset.filter(last_verified__gte=a_year_ago)
        if self.value() == "stale":
            return queryset.exclude(last_verified__gte=a_year_ago)
        return queryset


class OrganizationForm(forms.ModelForm):
    """The change form; also checks the countries served against the relationship
    (Organization.check_countries_served), which Organization.clean() cannot: a
    ManyToMany field is saved after the entry."""

    class Meta:
        model = Organization
        fields = [
            "name",
            "acronym",
            "other_name",
            "native_name",
            "native_name_language",
            "slug",
            "relationship_type",
            "country",
            "countries_served",
            "website",
            "description",
            "partner_since",
            "last_verified",
            "is_published",
        ]
        field_classes = {"website": WebsiteField}

    def clean(self):
        cleaned_data = super().clean()
        if "relationship_type" in cleaned_data and "countries_served" in cleaned_data:
            try:
                self.instance.relationship_type = cleaned_data["relationship_type"]
                self.instance.check_countries_served(cleaned_data["countries_served"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


@admin.register(Organization)
class OrganizationAdmin(RequiredAutocompleteMixin, CSVImportExportAdmin, RestorableAdmin):
    form = OrganizationForm
    resource_classes = [OrganizationResource]
    # Columns chosen to fit a 1280-pixel screen beside the filters, and a phone without
    # them: the acronym goes with the name, the date is short and on one line, and on a
    # phone the relationship and the date give way (static/css/admin.css).
    list_display = ["partner", "country", "relationship_type", "published", "verified"]
    list_display_links = ["partner"]
    list_filter = [
        "is_published",
        VerifiedFilter,
        "relationship_type",
        "country__region",
        "country",
    ]
    list_select_related = ["country", "relationship_type"]
    search_fields = [
        "name",
        "acronym",
        "other_name",
        "native_name",
        "country__name",
        "country__other_names",
    ]
    autocomplete_fields = ["country", "countries_served"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish", "mark_verified_today"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "acronym",
                    "other_name",
                    ("native_name", "native_name_language"),
                    "slug",
                ]
            },
        ),
        ("Relationship", {"fields": ["relationship_type", "country", "countries_served"]}),
        (
            "Details",
            {"fields": ["website", "description", "partner_since", "last_verified"]},
        ),
        ("Publishing", {"fields": ["is_published", "created_at", "updated_at"]}),
    ]

    @admin.display(description="name", ordering="name")
    def partner(self, organization):
        if not organization.acronym:
            return organization.name
        return format_html(
            '{} <span class="acronym">({})</span>', organization.name, organization.acronym
        )

    @admin.display(description="published", ordering="is_published")
    def published(self, organization):
        return "Yes" if organization.is_published else "Draft"

    @admin.display(description="last verified", ordering="last_verified")
    def verified(self, organization):
        if organization.last_verified is None:
            return "Never"
        return format_html(
            '<time datetime="{}">{}</time>',
            organization.last_verified.isoformat(),
            date_format(organization.last_verified, "j M Y"),
        )

    def get_export_queryset(self, request):
        # What the list shows, with each entry's countries served read in one query.
        return super().get_export_queryset(request).prefetch_related("countries_served")

    def get_changeform_initial_data(self, request):
        # A new entry starts as a draft; staff publish it when it is ready.
        return {"is_published": False, **super().get_changeform_initial_data(request)}

    def response_change(self, request, obj):
        """After an edit opened from a correction (its "partner" link), back to that
        correction."""
        response = super().response_change(request, obj)
        correction = self.correction_to_return_to(request)
        if correction is None or getattr(request, "restored_version", None) is not None:
            return response
        if "_continue" in request.POST:
            response["Location"] = with_query(
                response["Location"], **{CORRECTION_PARAMETER: correction}
            )
            return response
        if any(button in request.POST for button in ("_addanother", "_saveasnew")):
            return response
        return HttpResponseRedirect(
            reverse(
                "admin:partners_correction_change",
                args=[correction],
                current_app=self.admin_site.name,
            )
        )

    def correction_to_return_to(self, request):
        number = request.GET.get(CORRECTION_PARAMETER, "")
        corrections = self.admin_site._registry.get(Correction)
        if not (number.isdigit() and corrections and corrections.has_view_permission(request)):
            return None
        return int(number) if Correction.objects.filter(pk=number).exists() else None

    def update_each(self, request, queryset, message, **values):
        """Write `values` to the selected entries that do not have them yet, with a
        history record for each and the public pages refreshed (partners/editorial/history.py)."""
        selected = queryset.count()
        organizations = list(queryset.exclude(**values))
        changed = update_organizations(organizations, user=request.user, reason=message, **values)
        unchanged = selected - changed
        self.message_user(
            request,
            f"{message}: {changed} partner{'s' if changed != 1 else ''}"
            + (f" ({unchanged} already were)" if unchanged else "")
            + ".",
            messages.SUCCESS,
        )

    @admin.action(description="Publish the selected partners", permissions=["change"])
    def publish(self, request, queryset):
        self.update_each(request, queryset, "Published", is_published=True)

    @admin.action(description="Unpublish the selected partners", permissions=["change"])
    def unpublish(self, request, queryset):
        self.update_each(request, queryset, "Unpublished", is_published=False)

    @admin.action(description="Mark the selected partners verified today", permissions=["change"])
    def mark_verified_today(self, request, queryset):
        self.update_each(
            request, queryset, "Marked verified today", last_verified=timezone.now().date()
        )


@admin.register(Country)
class CountryAdmin(RestorableAdmin):
    list_display = ["name", "iso_code", "region", "partner_count"]
    list_filter = ["region"]
    ordering = ["name"]
    search_fields = ["name", "code", "other_names"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(partner_count=Count("organizations"))

    @admin.display(description="ISO code", ordering="code")
    def iso_code(self, country):
        # The code staff type into a CSV file: django-countries' field shows the name.
        return country.code.code

    @admin.display(description="partners", ordering="partner_count")
    def partner_count(self, country):
        return country.partner_count


@admin.register(RelationshipType)
class RelationshipTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "partner_count"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(partner_count=Count("organizations"))

    @admin.display(description="partners", ordering="partner_count")
    def partner_count(self, relationship_type):
        return relationship_type.partner_count


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """The queue of corrections sent by visitors: staff read each one, edit the entry if
    it is right, and mark it accepted or dismissed. Nothing here edits the entry."""

    list_display = ["sent", "partner", "what_is_wrong_short", "right_value_short", "status"]
    list_display_links = ["sent"]
    list_filter = ["status"]
    # New corrections first, each group newest first.
    ordering = [
        Case(When(status=Correction.Status.NEW, then=Value(0)), default=Value(1)).asc(),
        "-created_at",
    ]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "organization__acronym", "what_is_wrong", "email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "partner",
        "what_is_wrong_as_sent",
        "right_value_as_sent",
        "email_as_sent",
        "created_at",
    ]
    fields = [
        "partner",
        "created_at",
        "what_is_wrong_as_sent",
        "right_value_as_sent",
        "email_as_sent",
        "status",
        "staff_note",
    ]
    actions = ["accept", "dismiss"]

    def has_add_permission(self, request):
        return False  # Corrections come from visitors.

    def index_name(self, request):
        """How the admin's index names the queue: with how many are new."""
        waiting = Correction.objects.new().count()
        name = capfirst(Correction._meta.verbose_name_plural)
        return f"{name} ({waiting} new)" if waiting else name

    def changelist_view(self, request, extra_context=None):
        waiting = Correction.objects.new().count()
        extra_context = {
            "title": f"Corrections: {waiting} new" if waiting else "Corrections: none new",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="sent", ordering="created_at")
    def sent(self, correction):
        return date_format(timezone.localtime(correction.created_at), "j M Y, H:i")

    @admin.display(description="partner", ordering="organization__name")
    def partner(self, correction):
        # Saving the partner from this link comes back to the correction
        # (OrganizationAdmin.response_change).
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">public page</a>)',
            with_query(
                reverse("admin:partners_organization_change", args=[correction.organization_id]),
                **{CORRECTION_PARAMETER: correction.pk},
            ),
            correction.organization.name,
            correction.organization.get_absolute_url(),
        )

    # A visitor's text is shown with its invisible characters spelled out ("[U+202E]"):
    # a bidirectional control could otherwise make it read as something else.

    @admin.display(description="what is wrong")
    def what_is_wrong_short(self, correction):
        text = neutralized(correction.what_is_wrong)
        return text if len(text) <= 80 else f"{text[:79]}…"

    @admin.display(description="what is right")
    def right_value_short(self, correction):
        text = neutralized(correction.right_value)
        return text if len(text) <= 80 else f"{text[:79]}…"

    @admin.display(description="what is wrong")
    def what_is_wrong_as_sent(self, correction):
        return neutralized(correction.what_is_wrong)

    @admin.display(description="what is right")
    def right_value_as_sent(self, correction):
        return neutralized(correction.right_value)

    @admin.display(description="e-mail address")
    def email_as_sent(self, correction):
        return neutralized(correction.email)

    @admin.action(description="Mark the selected corrections accepted", permissions=["change"])
    def accept(self, request, queryset):
        count = queryset.update(status=Correction.Status.ACCEPTED)
        self.message_user(request, f"{count} marked accepted.", messages.SUCCESS)

    @admin.action(description="Mark the selected corrections dismissed", permissions=["change"])
    def dismiss(self, request, queryset):
        count = queryset.update(status=Correction.Status.DISMISSED)
        self.message_user(request, f"{count} marked dismissed.", messages.SUCCESS)
