from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("organisasjon/", views.sync_upload, name="sync"),
    path("organisasjon/<int:pk>/", views.sync_run, name="run"),
    path("organisasjon/<int:pk>/bruk/", views.sync_confirm, name="confirm"),
    path("organisasjon/nedlagde/", views.closed_units, name="closed"),
]
