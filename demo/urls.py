from django.urls import path

from . import views

app_name = "demo"

urlpatterns = [
    path("e-post/", views.mail_list, name="mail_list"),
    path("e-post/<str:name>/", views.mail_detail, name="mail_detail"),
    path("e-post/<str:name>/vedlegg/<int:index>/", views.mail_attachment, name="mail_attachment"),
]
