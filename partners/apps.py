from django.apps import AppConfig


class PartnersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partners"
    verbose_name = "Partner directory"

    def ready(self):
        # Changes to the directory retire the cached public pages.
        from . import signals  # noqa: F401
