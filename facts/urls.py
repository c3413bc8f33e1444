from django.urls import path

from . import views

app_name = "facts"

urlpatterns = [
    path("innhald/plattformar/", views.platform_list, name="platforms"),
    path("innhald/plattformar/<slug:slug>/", views.platform_edit, name="platform_edit"),
    path("innhald/felt/", views.placeholder_list, name="placeholders"),
    path("innhald/felt/<slug:key>/", views.placeholder_edit, name="placeholder_edit"),
]
