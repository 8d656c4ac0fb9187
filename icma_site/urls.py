from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from icma_site import health
from partners.opendata.sitemaps import SITEMAPS
from partners.opendata.views import robots_txt
from partners.urls import data_urlpatterns, page_urlpatterns

urlpatterns = [
    # Open data and the feed: at the root only, whatever the language.
    path("", include((data_urlpatterns, "data"))),
    path(settings.ADMIN_URL, admin.site.urls),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
    # Usually answered by HealthCheckMiddleware before URL routing; here for reverse().
    path("healthz", health.healthz, name="healthz"),
    # The pages: English at the root, /es/… and /fr/… (icma_site/languages.py).
    *i18n_patterns(
        path("", include((page_urlpatterns, "partners"))),
        prefix_default_language=False,
    ),
]

# The friendly 500 page, or the 503 page when the database is the cause.
handler500 = "icma_site.health.server_error"
handler400 = "icma_site.health.bad_request"
# The 404 page in the visitor's language, without Django's developer text.
handler404 = "partners.views.page_not_found"
