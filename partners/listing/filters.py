"""The directory's filters: every combination is a plain GET URL that can be shared."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.models import ModelChoiceIterator
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from partners.collation import sort_key
from partners.countries import translated_names
from partners.models import Country, Organization, Region, RelationshipType, is_default_language
from partners.search.query import Search

MAX_QUERY_LENGTH = 200


class ListedChoiceIterator(ModelChoiceIterator):
    """The field's options as plain (value, name) pairs, as the page shows them: from the
    list the directory's lookups keep (partners/listing/lookups.py) when the field was given one,
    else read from its queryset and named in the page's language (`display_choices`).
    An option needs only a value and a name, so no model object (nor django-countries'
    wrapper of its code) is built for it."""

    def choice_list(self):
        if self.field.choice_source is not None:
            return self.field.choice_source()
        choices = self.queryset.values_list(self.field.to_field_name, "name")
        return self.field.display_choices(list(choices))

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.choice_list()

    def __len__(self):
        return len(self.choice_list()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.choice_list())


class ListedChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options and objects may come ready-made: `choice_source()`
    gives [(value of `to_field_name`, name)] as the page shows them (`display_choices`
    of the options), called only when the options are shown, and `instance_source()`
    {value: object}, called only when a value is given."""

    iterator = ListedChoiceIterator

    def __init__(self, *args, choice_source=None, instance_source=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_source = choice_source
        self.instance_source = instance_source

    @classmethod
    def display_choices(cls, choices):
        """The options [(value, name)] as the page shows them (here: as they are)."""
        return choices

    def to_python(self, value):
        if self.instance_source is None or value in self.empty_values:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        instance = self.instance_source().get(value)
        if instance is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return instance


class CountryCodeField(ListedChoiceField):
    """A country chosen by ISO code, in any case: ?country=cz is ?country=CZ."""

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

    @classmethod
    def display_choices(cls, choices):
        """The countries' names in the page's language, in its alphabetical order (the
        lookups' `country_choices` are in English, for every language; the directory's
        filters keep this result per language, DirectoryLookups.in_language)."""
        if not is_default_language():
            names = translated_names(get_language())
            choices = [(code, names.get(code) or name) for code, name in choices]
        return sorted(choices, key=lambda choice: sort_key(choice[1]))


class CountryCodeFilter(django_filters.ModelChoiceFilter):
    field_class = CountryCodeField


class RelationshipTypeField(ListedChoiceField):
    """A relationship type chosen by slug, named in the page's language."""

    def label_from_instance(self, relationship_type):
        return relationship_type.local_name

    @classmethod
    def display_choices(cls, choices):
        return [(slug, gettext(name)) for slug, name in choices]


class RelationshipTypeFilter(django_filters.ModelChoiceFilter):
    field_class = RelationshipTypeField


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        # The search as a noun (the filter chip "Search: kenya"); the button says
        # it as a verb (home.html).
        label=pgettext_lazy("noun", "Search"),
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

    def __init__(self, *args, lookups=None, apply_search=True, **kwargs):
        """`apply_search` false: `qs` leaves the search out (it is still read, in
        `search`, with `unsearched`), for a caller that applies it itself: the directory's
        SearchPaginator."""
        super().__init__(*args, **kwargs)
        self.lookups = lookups
        self.apply_search = apply_search
        if lookups is None:
            self.filters["country"].queryset = Country.objects.with_published_partners()
        else:
            # The <select>s' options from the directory's lookups, not their querysets.
            self.filters["country"].queryset = lookups.partner_countries
            # The options as shown are kept with the lookups, per language: named and
            # sorted by ICU's collation, they are the same on every request until the
            # directory changes.
            self.filters["country"].extra.update(
                choice_source=lambda: lookups.in_language(
                    "country_options",
                    lambda: CountryCodeField.display_choices(lookups.country_choices),
                ),
                instance_source=lambda: lookups.partner_countries_by_code,
            )
            self.filters["type"].extra.update(
                choice_source=lambda: lookups.in_language(
                    "relationship_type_options",
                    lambda: RelationshipTypeField.display_choices(
                        lookups.relationship_type_choices
                    ),
                ),
                instance_source=lambda: lookups.relationship_types_by_slug,
            )

    def filter_country(self, queryset, name, country):
        return queryset.in_country(country)

    search = None  # The Search for `q`, once the filters are applied.
    unsearched = None  # The partners the other filters leave, before the search.
    # `q` as typed, when the search is of its one obvious misspelling corrected
    # ("asociation" searches "association"; Search.corrected_text).
    corrected_from = None

    def filter_search(self, queryset, name, value):
        # Applied last, in filter_queryset, so that the search's paginator can count and
        # read the other filters' partners by rank (partners.search.query.SearchPaginator).
        countries = self.lookups.country_vocabulary if self.lookups else None
        self.search = Search(value, countries)
        if corrected := self.search.corrected_text:
            self.corrected_from, self.search = value, Search(corrected, countries)
        return queryset

    def as_typed_query(self):
        """`q` in quotes, which searches it as typed: the link offered beside corrected
        results."""
        return f'"{self.corrected_from}"' if self.corrected_from else ""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.search is None:
            return queryset
        self.unsearched = queryset
        return self.search.apply(queryset) if self.apply_search else queryset

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

    def listing_counts(self, lookups):
        """The matching partners' counts per (country, relationship type), worked out from
        the directory's lookups when they are kept and only filters they can answer were
        applied (region, relationship type); None when the database must count them (a
        search, a country, which multinational partners serve from elsewhere)."""
        if not lookups.kept:
            return None
        if not {name for name, _, _ in self.active_filters()} <= {"region", "type"}:
            return None
        data = self.form.cleaned_data if self.is_bound else {}
        return lookups.counts_for(
            region=data.get("region") or None, relationship_type=data.get("type")
        )

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
