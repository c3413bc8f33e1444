from django.urls import path

from . import report_views

urlpatterns = [
    # Public, no login.
    path("meld-fra/", report_views.report_create, name="report"),
    path("meld-fra/takk/", report_views.report_thanks, name="report_thanks"),
    # The Communications Department.
    path("register/meldinger/", report_views.report_list, name="reports"),
    path("register/meldinger/<int:pk>/", report_views.report_detail, name="report_detail"),
]
