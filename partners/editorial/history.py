"""History for changes written in bulk (the admin's actions on a selection, a CSV
import), where one save() per entry would cost a few queries each: a few queries per
thousand entries instead, with the same history records (countries served included) and
the same retirement of cached pages that save() gives."""

from django.apps import apps
from django.db import connections, router, transaction
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


def save_imported(created, changed, served, *, user, reason):
    """Write the organizations a CSV import checked: `created` and `changed` (lists), and
    `served`, the countries each serves ([(organization, [country ids]), …], for the rows
    that gave them). Of the changed ones, only the fields some of them change are written
    (each one's `changed_fields`). Each gets a version in the history, as `user` with
    `reason`, and the cached pages are retired. What Organization.save() does to each
    entry (its search text, the time of the change) is done here for all at once."""
    now = timezone.now()
    for organization in (*created, *changed):
        organization.refresh_search_text()
        organization.updated_at = now
    with transaction.atomic():
        Organization.objects.bulk_create(created, batch_size=BATCH)
        written = {name for organization in changed for name in organization.changed_fields}
        update_rows(changed, [*sorted(written), *KEPT_BY_SAVE])
        set_countries_served(served)
        versions = []
        for organizations, update in ((created, False), (changed, True)):
            if organizations:
                versions += Organization.history.bulk_history_create(
                    organizations,
                    batch_size=BATCH,
                    update=update,
                    default_user=user,
                    default_change_reason=reason,
                    default_date=now,
                )
        record_countries_served(versions)
        directory_changed()


# What Organization.save() keeps up to date.
KEPT_BY_SAVE = ["search_text", "updated_at"]


def update_rows(organizations, fields):
    """Write `fields` of each organization: one UPDATE statement run for all of them
    (executemany). QuerySet.bulk_update() builds a CASE for every field and row, which for
    thousands of rows costs several times the writing itself."""
    if not organizations:
        return
    meta = Organization._meta
    columns = [meta.get_field(name) for name in fields]
    connection = connections[router.db_for_write(Organization)]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(column.column)} = %s" for column in columns),
        quote(meta.pk.column),
    )
    rows = [
        [column.get_db_prep_save(getattr(row, column.attname), connection) for column in columns]
        + [row.pk]
        for row in organizations
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def set_countries_served(served):
    """Make each organization in `served` ([(organization, [country ids]), …]) serve
    exactly the countries given for it."""
    through = Organization.countries_served.through
    organizations = [organization.pk for organization, _ in served]
    wanted = {
        (organization.pk, country) for organization, countries in served for country in countries
    }
    stale, present = [], set()
    for start in range(0, len(organizations), BATCH):
        rows = through.objects.filter(organization_id__in=organizations[start : start + BATCH])
        for pk, organization, country in rows.values_list("pk", "organization_id", "country_id"):
            if (organization, country) in wanted:
                present.add((organization, country))
            else:
                stale.append(pk)
    for start in range(0, len(stale), BATCH):
        through.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    through.objects.bulk_create(
        (
            through(organization_id=organization, country_id=country)
            for organization, country in wanted - present
        ),
        batch_size=BATCH,
    )


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
