"""The open, read-only API: /api/v1/…"""

from django.urls import path, re_path

from . import api

app_name = "api"

urlpatterns = [
    path("", api.docs, name="docs"),
    path("openapi.json", api.openapi_document, name="openapi"),
    path("accounts", api.accounts, name="accounts"),
    path("accounts/verify", api.verify, name="verify"),
    path("accounts/<str:code>", api.account, name="account"),
    path("platforms", api.platforms, name="platforms"),
    path("units", api.units, name="units"),
    # Anything else under /api/v1/ is answered in JSON, not with the portal's HTML page.
    re_path(r"", api.not_found, name="not_found"),
]
