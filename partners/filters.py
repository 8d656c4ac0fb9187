"""The directory's filters: every combination is a plain GET URL that can be shared."""

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from .collation import sort_key
from .models import Country, Organization, Region, RelationshipType
from .search import Search

MAX_QUERY_LENGTH = 200


class CountryChoiceIterator(ModelChoiceIterator):
    """(code, name) for each country, read as plain values: building Country objects
    (and django-countries' wrappers of their codes) for the options was most of the time
    the country <select> took. The names are in the page's language, in its
    alphabetical order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [
            (code, Country(code=code, name=name).local_name)
            for code, name in self.queryset.values_list("code", "name")
        ]
        yield from sorted(choices, key=lambda choice: sort_key(choice[1]))


class CountryCodeField(forms.ModelChoiceField):
    """A country chosen by ISO code, in any case: ?country=cz is ?country=CZ."""

    iterator = CountryChoiceIterator

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        return super().to_python(value)

    def prepare_value(self, value):
        # So that ?country=in selects India in the <select>, as it filters by India.
        if isinstance(value, str):
            return value.strip().upper()
        return super().prepare_value(value)

    def label_from_instance(self, country):
        return country.local_name


class CountryCodeFilter(django_filters.ModelChoiceFilter):
    field_class = CountryCodeField


class RelationshipTypeField(forms.ModelChoiceField):
    def label_from_instance(self, relationship_type):
        return relationship_type.local_name


class RelationshipTypeFilter(django_filters.ModelChoiceFilter):
    field_class = RelationshipTypeField


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=MAX_QUERY_LENGTH,
        validators=[ProhibitNullCharactersValidator()],
        error_messages={
            "max_length": _("The search text is too long: use at most %(limit_value)d characters."),
        },
    )
    country = CountryCodeFilter(
        label=_("Country"),
        method="filter_country",
        to_field_name="code",
        queryset=Country.objects.none(),  # set per request in __init__
        empty_label=_("All countries"),
        error_messages={"invalid_choice": _("There is no partner country with that code.")},
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        field_name="country__region",
        choices=Region.choices,
        empty_label=_("All regions"),
        error_messages={"invalid_choice": _("There is no region by that name.")},
    )
    type = RelationshipTypeFilter(
        label=_("Relationship"),
        field_name="relationship_type",
        to_field_name="slug",
        queryset=RelationshipType.objects.all(),
        empty_label=_("All relationships"),
        error_messages={"invalid_choice": _("There is no relationship type by that name.")},
    )

    class Meta:
        model = Organization
        fields = ["q", "country", "region", "type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].queryset = Country.objects.with_published_partners()

    def filter_country(self, queryset, name, country):
        return queryset.in_country(country)

    search = None  # The Search for `q`, once the filters are applied.
    unsearched = None  # The partners the other filters leave, before the search.

    def filter_search(self, queryset, name, value):
        # Applied last, in filter_queryset, so that the search's paginator can count and
        # read the other filters' partners by rank (partners.search.SearchPaginator).
        self.search = Search(value)
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.search is None:
            return queryset
        self.unsearched = queryset
        return self.search.apply(queryset)

    def active_filters(self):
        """(parameter, label, value shown) for each filter that was applied."""
        if not self.is_bound:
            return []
        self.is_valid()
        active = []
        for name in self.Meta.fields:
            value = self.form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            label = self.filters[name].label
            if name == "region":
                value = Region(value).label
            elif name in {"country", "type"}:
                value = value.local_name
            active.append((name, label, str(value)))
        return active

    def problems(self):
        """(parameter, human-readable message) for each parameter that could not be
        applied: the first message of each gets the id the field's aria-describedby
        points at."""
        if not self.is_bound or self.is_valid():
            return []
        return [
            (
                name,
                _("%(filter)s: %(problem)s")
                % {"filter": self.filters[name].label, "problem": messages[0]},
            )
            for name, messages in self.form.errors.items()
        ]
