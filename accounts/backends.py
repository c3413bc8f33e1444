from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from .sessions import person_read_with_session


class PortalBackend(ModelBackend):
    """The person of a request is the one read with its session (accounts/sessions.py), if
    there is one, and read on their own otherwise; either way one who may not log in (not
    active) is refused."""

    def get_user(self, user_id):
        user = person_read_with_session(user_id)
        if user is None:
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None


class EmailBackend(PortalBackend):
    """E-mail and password, as far as PASSWORD_LOGIN allows: everyone ("all"), administrators
    only ("admins", a way in when single sign-on is down) or nobody ("off")."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.PASSWORD_LOGIN == "off":
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and settings.PASSWORD_LOGIN == "admins" and not user.is_staff:
            return None
        return user


class SSOBackend(PortalBackend):
    """Keeps a person logged in after single sign-on (accounts/sso_views.py). It checks no
    password: `authenticate` always declines, so it never answers a login form."""

    def authenticate(self, request, **kwargs):
        return None
