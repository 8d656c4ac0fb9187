"""The partners app's addresses, in two namespaces (icma_site/urls.py mounts them):

- `partners`: the pages people read, in every language (English at the root, /es/…,
  /fr/…);
- `data`: the open data (CSV, JSON, the OpenAPI description) and the Atom feed, at the
  root only: their content and addresses are the same in every language.
"""

from django.urls import path

from partners import views
from partners.opendata import views as data_views
from partners.opendata.feeds import PartnerFeed

page_urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "about/",
        views.AboutPageView.as_view(template_name="pages/about_international.html"),
        name="about",
    ),
    path(
        "about/icma/",
        views.AboutPageView.as_view(template_name="pages/about_icma.html"),
        name="about-icma",
    ),
    path("partners/", views.PartnerDirectoryView.as_view(), name="directory"),
    # Not under partners/, where it would hide a partner whose slug is "print".
    path("print/partners/", views.PartnerDirectoryPrintView.as_view(), name="directory-print"),
    path(
        "partners/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path(
        "partners/<slug:slug>/correction/",
        views.CorrectionView.as_view(),
        name="correction",
    ),
    path(
        "partners/<slug:slug>/correction/sent/",
        views.CorrectionSentView.as_view(),
        name="correction-sent",
    ),
    path("countries/", views.CountryListView.as_view(), name="country-list"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country-detail"),
]

# Matched before the pages: partners/feed/ would otherwise be a partner called "feed".
data_urlpatterns = [
    path("partners.csv", data_views.partners_csv, name="export-csv"),
    path("partners.json", data_views.partners_json, name="export-json"),
    path("partners/feed/", PartnerFeed(), name="feed"),
    path("partners/<str:slug>.json", data_views.partner_json, name="organization-json"),
    path("countries/<str:slug>.json", data_views.country_json, name="country-json"),
    path("api/openapi.json", data_views.openapi_description, name="openapi"),
]
