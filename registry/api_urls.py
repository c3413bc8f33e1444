"""The open, read-only API: /api/v1/…

The operations' addresses are django-ninja's, each view marked `read_only` (CORS preflight,
HEAD, a JSON 405) with the marks of `public_page` its operation carries."""

from django.urls import path, re_path

from .api.docs import docs
from .api.endpoints import account, accounts, api, openapi_document, platforms, units, verify
from .api.http import not_found, read_only

app_name = "api"

OPERATIONS = {
    "accounts": accounts,
    "verify": verify,
    "account": account,
    "platforms": platforms,
    "units": units,
    "openapi": openapi_document,
}


def _operations():
    generated, _app, _namespace = api.urls
    for pattern in generated:
        if pattern.name in OPERATIONS:
            view = read_only(pattern.callback)
            for mark in ("public_page", "public_query", "public_language"):
                if hasattr(OPERATIONS[pattern.name], mark):
                    setattr(view, mark, getattr(OPERATIONS[pattern.name], mark))
            yield path(str(pattern.pattern), view, name=pattern.name)


urlpatterns = [
    path("", docs, name="docs"),
    *_operations(),
    # Anything else under /api/v1/ is answered in JSON, not with the portal's HTML page.
    re_path(r"", not_found, name="not_found"),
]
