from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "ICMA partner directory"
admin.site.site_title = "ICMA partner directory admin"
admin.site.index_title = "Directory administration"

urlpatterns = [
    path("", include("partners.urls")),
    path("admin/", admin.site.urls),
]
