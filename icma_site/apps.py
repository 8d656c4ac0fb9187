from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """django.contrib.admin, with the staff admin site (icma_site/staff.py) as the default
    site, so that every app's admin.register() lands on it."""

    default_site = "icma_site.staff.StaffAdminSite"
