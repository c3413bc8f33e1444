from django.urls import path

from . import views

app_name = "handbook"

urlpatterns = [
    path("strategi/", views.strategy, name="strategy"),
    path("handbok/", views.index, name="index"),
    path("handbok/sok/", views.search_view, name="search"),
    path("handbok/handbok.pdf", views.pdf, name="pdf"),
    path("handbok/forhandsvis/", views.preview, name="preview"),
    path("handbok/nytt-kapittel/", views.chapter_new, name="chapter_new"),
    path("handbok/<slug:slug>/", views.chapter, name="chapter"),
    path("handbok/<slug:slug>/rediger/", views.edit, name="edit"),
    path("handbok/<slug:slug>/versjonar/", views.versions, name="versions"),
    path("handbok/<slug:slug>/samanlikn/", views.compare, name="compare"),
    path("handbok/<slug:slug>/versjonar/<int:number>/gjenopprett/", views.restore, name="restore"),
    path("handbok/<slug:slug>/flytt/", views.chapter_move, name="move"),
]
