from django.urls import include, path

from . import views

app_name = "registry"

urlpatterns = [
    # Public, no login.
    path("kontoer/", views.public_list, name="public_list"),
    path("k/<str:code>/", views.public_account, name="public_account"),
    path("verifiser/", views.verify, name="verify"),
    path("o/<slug:slug>/", views.organisation_home, name="organisation"),
    # The Communications Department.
    path("register/", views.register, name="register"),
    path("register/ny/", views.account_create, name="create"),
    path("register/<int:pk>/", views.account_detail, name="detail"),
    path("register/<int:pk>/rediger/", views.account_edit, name="edit"),
    path("register/<int:pk>/sjekkliste/", views.account_check, name="check"),
    path("register/<int:pk>/handling/<slug:action>/", views.account_action, name="action"),
    path("", include("registry.report_urls")),
    path("", include("registry.transfer_urls")),
]
