from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from .worklist import SESSION_KEY

# Set for an hour when someone who is not logged in uses the language switch (on the login page,
# say): the language they log in with right after is their choice, kept as their own, where an
# older cookie on a shared computer gives way to the person's saved language (accounts/language.py).
LANGUAGE_CHOSEN_COOKIE = "some_language_chosen"
LANGUAGE_CHOSEN_SECONDS = 60 * 60


class LanguageMiddleware:
    """Bokmål unless the person has chosen another language with the language switch.

    The browser's Accept-Language is deliberately not used: staff on English-language
    computers should still meet the portal in Bokmål first, as the hospital wants.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if "Content-Language" not in response.headers:
            # The open API picks its own language from the request (not the cookie) and
            # says so; every other page depends on the language cookie.
            response.headers["Content-Language"] = language
            patch_vary_headers(response, ["Cookie"])
        return response


class PrivatePagesMiddleware:
    """What a logged-in person is shown is for them alone: no browser history, shared
    computer or proxy cache may keep it (Cache-Control: private, no-store)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class WorklistMiddleware:
    """A person's own change (any POST) drops the menu's remembered counts, so the page they
    land on next counts their tasks afresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if request.method == "POST" and session is not None and SESSION_KEY in session:
            del session[SESSION_KEY]
        return self.get_response(request)
