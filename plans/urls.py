from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("planer/", views.plan_list, name="list"),
    path("planer/ny/", views.plan_create, name="create"),
    path("planer/mal.docx", views.template_docx, name="template_docx"),
    path("planer/<int:pk>/", views.plan_detail, name="detail"),
    path("planer/<int:pk>/rediger/", views.plan_edit, name="edit"),
    path("planer/<int:pk>/handling/<slug:action>/", views.plan_action, name="action"),
    path("planer/<int:pk>/slett/", views.plan_delete, name="delete"),
    path("planer/<int:pk>/klar/", views.plan_readiness, name="readiness"),
    path("planer/<int:pk>/sendt/", views.plan_sent, name="sent"),
    path("planer/<int:pk>/kommentar/", views.plan_comment, name="comment"),
    path("planer/<int:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("planer/<int:pk>/versjoner/<int:number>/", views.plan_version, name="version"),
    path("planer/<int:pk>/versjoner/<int:number>/pdf/", views.plan_pdf, name="version_pdf"),
    path("planer/<int:pk>/sammenlign/", views.plan_compare, name="compare"),
    path("behandling/", views.review_queue, name="queue"),
    path("behandling/<int:pk>/", views.plan_review, name="review"),
    path("behandling/<int:pk>/avgjerd/", views.plan_decide, name="decide"),
]
