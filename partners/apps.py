from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"
    verbose_name = "Partner directory"

    def ready(self):
        # Changes to the directory retire the cached public pages.
        from partners import signals  # noqa: F401

        # The staff's admin pages live with the rest of the editorial work; importing
        # them registers them (Django's autodiscovery looks only for partners.admin).
        from partners.editorial import admin  # noqa: F401
        from partners.search.similarity import prepare_connection

        # Trigram similarity for "Did you mean" on SQLite; its threshold on PostgreSQL.
        connection_created.connect(prepare_connection, dispatch_uid="partners.search")
