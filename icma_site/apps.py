from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """django.contrib.admin, with the staff admin site (icma_site/staff.py) as the default
    site, so that every app's admin.register() lands on it."""

    default_site = "icma_site.staff.StaffAdminSite"

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessLog

        from icma_site.lockouts import FailedSignInAdmin, SignInLogAdmin

        # django-axes' own admin is off (settings.AXES_ENABLE_ADMIN): this one speaks plainly
        # and lets superusers lift lockouts.
        self.module.site.register(AccessAttempt, FailedSignInAdmin)
        self.module.site.register(AccessLog, SignInLogAdmin)
