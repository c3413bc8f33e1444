from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.i18n import set_language

from .worklist import worklist_of


def home(request):
    """The front page: for a logged-in person, first what waits for them ("Mine oppgåver"),
    gathered from every app's worklist module (core/worklist.py); core knows no feature app."""
    context = {}
    if request.user.is_authenticated:
        context["tasks"] = worklist_of(request)
    return render(request, "core/home.html", context)


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def ping(request):
    """The portal is running: a constant answer through the same middleware as every page, with
    no database. For a load balancer's liveness check, and the load benchmark's floor (the
    fastest this stack can answer anything)."""
    return HttpResponse(b'{"status":"ok"}', content_type="application/json")


def language_switch(request):
    """Django's language switch, and for a logged-in person also the language of their e-mail."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response
