"""Helpers for tests that work through the admin as staff do."""

from django.contrib.auth.models import Group


def make_editor(django_user_model, username="editor", password="correct horse 7"):
    user = django_user_model.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name="Directory editors"))
    return user


def organization_form_data(organization, **changes):
    """What the admin's change form posts for `organization`, with `changes`."""
    data = {
        "name": organization.name,
        "acronym": organization.acronym,
        "other_name": organization.other_name,
        "native_name": organization.native_name,
        "native_name_language": organization.native_name_language,
        "slug": organization.slug,
        "relationship_type": organization.relationship_type_id,
        "country": organization.country_id,
        "countries_served": [country.pk for country in organization.countries_served.all()]
        if organization.pk
        else [],
        "website": organization.website,
        "description": organization.description,
        "partner_since": organization.partner_since or "",
        "last_verified": organization.last_verified or "",
    }
    if organization.is_published:
        data["is_published"] = "on"
    data.update(changes)
    if data.get("is_published") is False:
        del data["is_published"]
    return {name: value for name, value in data.items() if value is not None}
