from django.urls import path

from . import transfer_views

# Included by registry/urls.py, so the names are registry:<name>.
urlpatterns = [
    path("register/eksport/", transfer_views.register_export, name="export"),
    path("register/import/", transfer_views.register_import, name="import"),
    path("register/import/eksempel.csv", transfer_views.import_template, name="import_template"),
]
