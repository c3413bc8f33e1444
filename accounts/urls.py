from django.urls import path

from . import sso_views, views

app_name = "accounts"

urlpatterns = [
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("logg-inn/sso/", sso_views.start, name="sso_start"),
    path("logg-inn/sso/svar/", sso_views.callback, name="sso_callback"),
    path("logg-ut/", views.LogoutView.as_view(), name="logout"),
]
