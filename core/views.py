from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.i18n import set_language

from .middleware import LANGUAGE_CHOSEN_COOKIE, LANGUAGE_CHOSEN_SECONDS
from .pagecache import public_page
from .worklist import worklist_of


@public_page
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


def _switch(request):
    response = set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            get_user_model().objects.filter(pk=request.user.pk).update(language=language)
        else:  # kept as theirs if they log in soon (accounts/language.py); nothing is stored
            response.set_cookie(
                LANGUAGE_CHOSEN_COOKIE,
                "1",
                max_age=LANGUAGE_CHOSEN_SECONDS,
                path=settings.LANGUAGE_COOKIE_PATH,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
    return response


_protected_switch = csrf_protect(_switch)


@csrf_exempt
def language_switch(request):
    """Django's language switch, and for a logged-in person also the language of their e-mail.

    A visitor who is not logged in switches without a CSRF token: the choice only sets their own
    language cookie (another site could at most change the language a visitor reads in), and
    without a token in the switch the public pages are the same for every visitor, so they can
    be kept whole in the shared cache (core/pagecache.py). A logged-in person's choice also
    changes their account, so theirs is checked as every form is."""
    if request.user.is_authenticated:
        return _protected_switch(request)
    return _switch(request)
