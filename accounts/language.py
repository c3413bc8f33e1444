"""The language a person meets after logging in.

The interface reads its language from the language cookie (core/middleware.py), which the
language switch sets. At login the cookie is set to the person's saved language, so a person
who chose Nynorsk (or whose single sign-on token said English when they first came) meets the
portal in it on any computer, not only the one where they once chose it. Their e-mail already
follows the same saved language.
"""

from django.conf import settings


def follow_saved_language(response, user):
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
