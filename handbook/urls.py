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
    # An organisation's own version of a shared text: start one, or go back to the shared text.
    path("handbok/<slug:slug>/eigen-versjon/", views.make_own, name="make_own"),
    path("handbok/<slug:slug>/felles-tekst/", views.use_shared, name="use_shared"),
    # Each organisation's own public pages (/o/<slug>/ is its start page, in registry/).
    path("o/<slug:slug>/strategi/", views.org_strategy, name="org_strategy"),
    path("o/<slug:slug>/handbok/", views.org_index, name="org_index"),
    path("o/<slug:slug>/handbok/handbok.pdf", views.org_pdf, name="org_pdf"),
    path("o/<slug:slug>/handbok/<slug:chapter>/", views.org_chapter, name="org_chapter"),
]
