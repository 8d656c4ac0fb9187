"""The real directory as the tests share it: loaded once for the whole run (the root
conftest.py's django_db_setup), taken away for a test that needs none, and loaded again
after a transactional test's flush has emptied the database."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction


def load_directory():
    """fixtures/partners.json loaded as `load_partners` loads it."""
    call_command("load_partners", verbosity=0)


def directory_is_loaded():
    from partners.models import Organization

    return Organization.objects.exists()


def ensure_directory():
    """Load the directory unless it is there (a transactional test flushes it away)."""
    if not directory_is_loaded():
        load_directory()


def remove_directory():
    """The database as migrated: no partners, countries or relationship types, none of
    their history, import records or corrections, and no loader user."""
    from partners.sources.loading import LOADER_USERNAME

    with transaction.atomic():  # Foreign keys are checked as it ends, with every row gone.
        for model in apps.get_app_config("partners").get_models(include_auto_created=True):
            model._base_manager.all()._raw_delete(model._base_manager.db)
        get_user_model().objects.filter(username=LOADER_USERNAME).delete()
