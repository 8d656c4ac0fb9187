from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"
    verbose_name = "Partner directory"

    def ready(self):
        # Changes to the directory retire the cached public pages.
        from . import signals  # noqa: F401
        from .search import prepare_connection

        # Trigram similarity for "Did you mean" on SQLite; its threshold on PostgreSQL.
        connection_created.connect(prepare_connection, dispatch_uid="partners.search")
