"""Give every entry that exists when history begins a first version ("+"), so that its
first edit shows what changed and can be undone. What `populate_history` does, here so
that every database gets it with `migrate`; in batches, for large directories."""

from django.db import migrations
from django.utils import timezone

REASON = "As it was when history began"
BATCH = 1000


def record(apps, model_name, m2m=()):
    model = apps.get_model("partners", model_name)
    history = apps.get_model("partners", f"Historical{model_name}")
    tracked = [
        field.attname
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    now = timezone.now()
    entries = model.objects.exclude(pk__in=history.objects.values("id")).order_by("pk")
    batch = []
    for instance in entries.iterator(chunk_size=BATCH):
        batch.append(instance)
        if len(batch) == BATCH:
            write_versions(apps, model_name, history, tracked, batch, now, m2m)
            batch = []
    if batch:
        write_versions(apps, model_name, history, tracked, batch, now, m2m)


def write_versions(apps, model_name, history, tracked, instances, now, m2m):
    versions = history.objects.bulk_create(
        history(
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
            **{name: getattr(instance, name) for name in tracked},
        )
        for instance in instances
    )
    version_of = {
        instance.pk: version for instance, version in zip(instances, versions, strict=True)
    }
    owner = f"{model_name.lower()}_id"
    for name in m2m:
        model = apps.get_model("partners", model_name)
        through = model._meta.get_field(name).remote_field.through
        recorded = apps.get_model("partners", f"Historical{model_name}_{name}")
        rows = through.objects.filter(**{f"{owner}__in": list(version_of)})
        recorded.objects.bulk_create(
            recorded(
                history=version_of[getattr(row, owner)],
                id=row.id,
                **{owner: getattr(row, owner), "country_id": row.country_id},
            )
            for row in rows
        )


def forwards(apps, schema_editor):
    record(apps, "Country")
    record(apps, "Organization", m2m=["countries_served"])


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_directory_editors_corrections")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
