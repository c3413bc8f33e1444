from django.urls import path

from . import import_views, overview_views, views

app_name = "evaluations"

urlpatterns = [
    path("evaluering/", views.index, name="index"),
    path("evaluering/oversikt/", overview_views.overview, name="overview"),
    path("evaluering/oversikt/eksport/", overview_views.export, name="overview_export"),
    path("evaluering/konto/<int:pk>/", views.account_page, name="account"),
    path("evaluering/konto/<int:pk>/ny/", views.start, name="start"),
    path("evaluering/konto/<int:pk>/frist/", views.schedule_set, name="schedule"),
    path("evaluering/<int:pk>/", views.detail, name="detail"),
    path("evaluering/<int:pk>/skriv/", views.edit, name="edit"),
    path("evaluering/<int:pk>/stadfest/", views.confirm, name="confirm"),
    path("evaluering/<int:pk>/send-tilbake/", views.return_to_writer, name="return"),
    path("evaluering/<int:pk>/tilbakemelding/", views.feedback, name="feedback"),
    path("evaluering/<int:pk>/steng-kontoen/", views.close_account, name="close_account"),
    path("evaluering/<int:pk>/pdf/", views.pdf, name="pdf"),
    path("evaluering/<int:pk>/import/", import_views.upload, name="import"),
    path("evaluering/<int:pk>/import/eksempel/", import_views.example, name="import_example"),
    path("evaluering/<int:pk>/import/<int:import_pk>/", import_views.check, name="import_check"),
    path("evaluering/<int:pk>/import/<int:import_pk>/lagre/", import_views.save, name="import_save"),
]
