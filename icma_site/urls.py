from django.contrib import admin
from django.urls import include, path

from icma_site import health

admin.site.site_header = "ICMA partner directory"
admin.site.site_title = "ICMA partner directory admin"
admin.site.index_title = "Directory administration"

urlpatterns = [
    path("", include("partners.urls")),
    path("admin/", admin.site.urls),
    # Usually answered by HealthCheckMiddleware before URL routing; here for reverse().
    path("healthz", health.healthz, name="healthz"),
]

# The friendly 500 page, or the 503 page when the database is the cause.
handler500 = "icma_site.health.server_error"
