"""The language a person meets after logging in.

The interface reads its language from the language cookie (core/middleware.py), which the
language switch sets. At login the cookie is set to the person's saved language, so a person
who chose Nynorsk (or whose single sign-on token said English when they first came) meets the
portal in it on any computer, not only the one where they once chose it. Their e-mail already
follows the same saved language. A language chosen with the switch just before logging in (on
the login page) is the exception: it is the person's choice, so it stays and is saved as theirs.
"""

from django.conf import settings

from core.middleware import LANGUAGE_CHOSEN_COOKIE


def follow_saved_language(request, response, user):
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if request.COOKIES.get(LANGUAGE_CHOSEN_COOKIE) and chosen in dict(settings.LANGUAGES):
        if user.language != chosen:
            type(user).objects.filter(pk=user.pk).update(language=chosen)
            user.language = chosen
        response.delete_cookie(LANGUAGE_CHOSEN_COOKIE, path=settings.LANGUAGE_COOKIE_PATH, samesite="Lax")
    if user.language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
