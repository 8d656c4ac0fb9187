"""The staff's tool: the Django admin, with history and restore (django-simple-history),
CSV bulk edits (django-import-export), publishing and verification actions, and the
queue of corrections sent by visitors."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from .history import update_organizations
from .models import Correction, Country, Organization, RelationshipType, web_address


class RestorableAdmin(SimpleHistoryAdmin):
    """History with a readable diff and a restore of any version (the entry's "History"
    page), and a list of deleted entries, each restorable from its history."""

    change_list_template = "admin/partners/restorable_change_list.html"

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
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        require_number(object_id, version_id)
        # Restoring a version saves it through the change form, like any edit: the same
        # validation, Organization.save(), the history record and the cache refresh.
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


def require_number(*ids):
    """simple-history's views look entries up by the address's ids as given: anything
    but a number would fail in the database (a 500), so it is a 404 here."""
    if not all(str(value).isdigit() for value in ids):
        raise Http404("There is no such entry or version.")


# Bulk edits through CSV (django-import-export).


class OrganizationResource(resources.ModelResource):
    """The columns of the CSV export and import. Countries by ISO code, the relationship
    by its slug, countries served as codes separated by semicolons."""

    country = fields.Field(
        attribute="country",
        column_name="country",
        widget=widgets.ForeignKeyWidget(Country, field="code"),
    )
    relationship_type = fields.Field(
        attribute="relationship_type",
        column_name="relationship_type",
        widget=widgets.ForeignKeyWidget(RelationshipType, field="slug"),
    )
    countries_served = fields.Field(
        attribute="countries_served",
        column_name="countries_served",
        widget=widgets.ManyToManyWidget(Country, field="code", separator=";"),
    )
    # A new row left blank here stays a draft.
    is_published = fields.Field(
        attribute="is_published",
        column_name="is_published",
        widget=widgets.BooleanWidget(),
        default=False,
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "acronym",
            "other_name",
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
        clean_model_instances = True  # Organization.full_clean(): the admin's rules
        skip_unchanged = True
        report_skipped = False

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("countries_served")

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # Organization.check_countries_served() needs the row's countries, which
        # import-export only saves after the entry. Checked here, reported with the row's
        # other errors in validate_instance(); a row that changes nothing is skipped
        # before that, as unchanged rows always are.
        instance._countries_served_errors = {}
        served = self.fields["countries_served"]
        if served.column_name in row and instance.relationship_type_id is not None:
            try:
                countries = served.clean(row)
                instance.check_countries_served(list(countries) if countries else [])
            except ValueError as error:
                instance._countries_served_errors = {"countries_served": [str(error)]}
            except ValidationError as error:
                instance._countries_served_errors = error.message_dict

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {
            **getattr(instance, "_countries_served_errors", {}),
            **(import_validation_errors or {}),
        }
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = "Imported from a CSV file"


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


class WebsiteField(forms.URLField):
    """A web address typed without a scheme ("www.example.org") gets https://."""

    default_error_messages = {"invalid": web_address.message}

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


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
class OrganizationAdmin(ImportExportModelAdmin, RestorableAdmin):
    form = OrganizationForm
    resource_classes = [OrganizationResource]
    formats = [CSV]
    list_display = [
        "name",
        "acronym",
        "country",
        "relationship_type",
        "is_published",
        "last_verified",
    ]
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
        "country__name",
        "country__other_names",
    ]
    autocomplete_fields = ["country", "countries_served"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish", "mark_verified_today"]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "other_name", "slug"]}),
        ("Relationship", {"fields": ["relationship_type", "country", "countries_served"]}),
        (
            "Details",
            {"fields": ["website", "description", "partner_since", "last_verified"]},
        ),
        ("Publishing", {"fields": ["is_published", "created_at", "updated_at"]}),
    ]

    def get_changeform_initial_data(self, request):
        # A new entry starts as a draft; staff publish it when it is ready.
        return {"is_published": False, **super().get_changeform_initial_data(request)}

    def update_each(self, request, queryset, message, **values):
        """Write `values` to the selected entries that do not have them yet, with a
        history record for each and the public pages refreshed (partners/history.py)."""
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
    list_display = ["name", "code", "region", "partner_count"]
    list_filter = ["region"]
    ordering = ["name"]
    search_fields = ["name", "code", "other_names"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(partner_count=Count("organizations"))

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

    list_display = ["created_at", "partner", "what_is_wrong_short", "status"]
    list_filter = ["status"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "organization__acronym", "what_is_wrong", "email"]
    date_hierarchy = "created_at"
    readonly_fields = ["partner", "what_is_wrong", "right_value", "email", "created_at"]
    fields = [
        "partner",
        "created_at",
        "what_is_wrong",
        "right_value",
        "email",
        "status",
        "staff_note",
    ]
    actions = ["accept", "dismiss"]

    def has_add_permission(self, request):
        return False  # Corrections come from visitors.

    def changelist_view(self, request, extra_context=None):
        waiting = Correction.objects.new().count()
        extra_context = {
            "title": f"Corrections: {waiting} new" if waiting else "Corrections: none new",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="partner", ordering="organization__name")
    def partner(self, correction):
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">public page</a>)',
            reverse("admin:partners_organization_change", args=[correction.organization_id]),
            correction.organization.name,
            correction.organization.get_absolute_url(),
        )

    @admin.display(description="what is wrong")
    def what_is_wrong_short(self, correction):
        text = correction.what_is_wrong
        return text if len(text) <= 80 else f"{text[:79]}…"

    @admin.action(description="Mark the selected corrections accepted", permissions=["change"])
    def accept(self, request, queryset):
        count = queryset.update(status=Correction.Status.ACCEPTED)
        self.message_user(request, f"{count} marked accepted.", messages.SUCCESS)

    @admin.action(description="Mark the selected corrections dismissed", permissions=["change"])
    def dismiss(self, request, queryset):
        count = queryset.update(status=Correction.Status.DISMISSED)
        self.message_user(request, f"{count} marked dismissed.", messages.SUCCESS)
