"""Give every entry that exists when history begins a first version ("+"), so that its
first edit shows what changed and can be undone. What `populate_history` does, here so
that every database gets it with `migrate`."""

from django.db import migrations
from django.utils import timezone

REASON = "As it was when history began"


def record(apps, model_name, m2m=()):
    model = apps.get_model("partners", model_name)
    history = apps.get_model("partners", f"Historical{model_name}")
    tracked = [
        field.attname
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    already = set(history.objects.values_list("id", flat=True).distinct())
    now = timezone.now()
    for instance in model.objects.exclude(pk__in=already).iterator():
        version = history.objects.create(
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
            **{name: getattr(instance, name) for name in tracked},
        )
        for name in m2m:
            through = apps.get_model("partners", f"Historical{model_name}_{name}")
            through.objects.bulk_create(
                through(history=version, **{model_name.lower(): instance, "country": country})
                for country in getattr(instance, name).all()
            )


def forwards(apps, schema_editor):
    record(apps, "Country")
    record(apps, "Organization", m2m=["countries_served"])


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_directory_editors_corrections")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
