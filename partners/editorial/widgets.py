"""Admin widgets that produce valid, accessible HTML."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models.fields import BLANK_CHOICE_DASH


class RequiredAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box, with an empty first option also when the field is
    required. Django renders a required single-choice autocomplete as a `<select
    required>` whose first option is the current choice, which HTML forbids (the Nu HTML
    Checker reports it): the first option of a required select must be a placeholder with
    an empty value. It reads "---------", like the admin's other empty selects (an empty
    option with no text is invalid too)."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        if self.is_required and not self.allow_multiple_selected:
            placeholder = BLANK_CHOICE_DASH[0][1]
            groups[0][1].insert(0, self.create_option(name, "", placeholder, False, 0))
        return groups


class RequiredAutocompleteMixin:
    """For a ModelAdmin: its required autocomplete_fields use RequiredAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RequiredAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
