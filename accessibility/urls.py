from django.urls import path

from . import views

app_name = "accessibility"

urlpatterns = [
    # Public, no login.
    path("tilgjengelighet/", views.statement, name="statement"),
    path("tilgjengelighet/meld-fra/", views.barrier_report, name="barrier_report"),
    path("tilgjengelighet/meld-fra/takk/", views.barrier_thanks, name="barrier_thanks"),
    # The Communications Department.
    path("tilgjengelighet/meldinger/", views.barrier_list, name="barrier_list"),
    path("tilgjengelighet/meldinger/<int:pk>/", views.barrier_detail, name="barrier_detail"),
]
