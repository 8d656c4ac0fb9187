from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from icma_site import health

urlpatterns = [
    path("", include("partners.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    # Usually answered by HealthCheckMiddleware before URL routing; here for reverse().
    path("healthz", health.healthz, name="healthz"),
]

# The friendly 500 page, or the 503 page when the database is the cause.
handler500 = "icma_site.health.server_error"
