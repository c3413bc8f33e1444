from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("SoMe-portalen – administration")
admin.site.site_title = _("SoMe-portalen")

urlpatterns = [
    # The open API and the public register first: their answers (verify above all) are the most
    # asked for, and are found without trying every other page's pattern before them.
    path("api/v1/", include("registry.api_urls")),
    path("", include("core.urls")),
    path("", include("registry.urls")),
    path("", include("accounts.urls")),
    path("", include("plans.urls")),
    path("", include("handbook.urls")),
    path("", include("facts.urls")),
    path("", include("organisation.urls")),
    path("", include("courses.urls")),
    path("", include("evaluations.urls")),
    path("", include("archive.urls")),
    path("", include("accessibility.urls")),
    path("demo/", include("demo.urls")),
    path("admin/", admin.site.urls),
]
