"""History for changes written in bulk (the admin's actions on a selection), where one
save() per entry would cost a few queries each: a few queries per thousand entries
instead, with the same history records (countries served included) and the same
retirement of cached pages that save() gives."""

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from icma_site.pagecache.versions import directory_changed
from partners.models import Organization

BATCH = 1000


def update_organizations(organizations, *, user, reason, **values):
    """Set `values` on `organizations` (a list), record a version of each, as `user` with
    `reason`, and retire the cached pages. Returns how many were written."""
    if not organizations:
        return 0
    now = timezone.now()
    for organization in organizations:
        for name, value in values.items():
            setattr(organization, name, value)
        organization.updated_at = now
    with transaction.atomic():
        Organization.objects.bulk_update(organizations, [*values, "updated_at"], batch_size=BATCH)
        versions = Organization.history.bulk_history_create(
            organizations,
            batch_size=BATCH,
            update=True,
            default_user=user,
            default_change_reason=reason,
            default_date=now,
        )
        record_countries_served(versions)
        directory_changed()
    return len(organizations)


def record_countries_served(versions):
    """Each version keeps the countries its organization serves (as save() would)."""
    version_of = {version.id: version for version in versions}
    through = Organization.countries_served.through
    recorded = apps.get_model("partners", "HistoricalOrganization_countries_served")
    rows = through.objects.filter(organization_id__in=list(version_of))
    recorded.objects.bulk_create(
        (
            recorded(
                history=version_of[row.organization_id],
                id=row.id,
                organization_id=row.organization_id,
                country_id=row.country_id,
            )
            for row in rows.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )
