from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("helse/", views.health, name="health"),
    path("helse/ping/", views.ping, name="ping"),
    path("i18n/setlang/", views.language_switch, name="set_language"),
]
