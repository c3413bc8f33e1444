from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("arkiv/", views.index, name="index"),
    path("arkiv/innstillinger/", views.settings_edit, name="settings"),
    path("arkiv/<int:pk>/send-igjen/", views.send_again, name="send_again"),
]
