from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count

from .admin_widgets import RequiredAutocompleteMixin
from .models import Country, Organization, RelationshipType


@admin.register(Organization)
class OrganizationAdmin(RequiredAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "acronym", "country", "relationship_type", "is_published"]
    list_filter = ["relationship_type", "country__region", "is_published", "country"]
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
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}
    }
    fieldsets = [
        (None, {"fields": ["name", "acronym", "other_name", "slug"]}),
        ("Relationship", {"fields": ["relationship_type", "country", "countries_served"]}),
        (
            "Details",
            {"fields": ["website", "description", "partner_since", "last_verified"]},
        ),
        ("Publishing", {"fields": ["is_published", "created_at", "updated_at"]}),
    ]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
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
