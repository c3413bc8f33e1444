from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("SoMe-portalen – administration")
admin.site.site_title = _("SoMe-portalen")

urlpatterns = [
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("plans.urls")),
    path("", include("handbook.urls")),
    path("", include("registry.urls")),
    path("", include("evaluations.urls")),
    path("api/v1/", include("registry.api_urls")),
    path("demo/", include("demo.urls")),
    path("admin/", admin.site.urls),
]
