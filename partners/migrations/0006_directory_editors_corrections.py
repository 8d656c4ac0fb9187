"""The "Directory editors" group may also handle the corrections sent by visitors.

Still nothing over users, groups, lockout records or history records: editors restore
an entry through its own History page, which needs only the entry's permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Directory editors"
MODELS = ["organization", "country", "correction"]
ACTIONS = ["add", "change", "delete", "view"]


def set_permissions(apps, models):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in models for action in ACTIONS]
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="partners", codename__in=codenames)
    )


def forwards(apps, schema_editor):
    set_permissions(apps, MODELS)


def backwards(apps, schema_editor):
    set_permissions(apps, ["organization", "country"])


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0005_history_validation_corrections"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
