from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """E-mail and password, as far as PASSWORD_LOGIN allows: everyone ("all"), administrators
    only ("admins", a way in when single sign-on is down) or nobody ("off")."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.PASSWORD_LOGIN == "off":
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and settings.PASSWORD_LOGIN == "admins" and not user.is_staff:
            return None
        return user


class SSOBackend(ModelBackend):
    """Keeps a person logged in after single sign-on (accounts/sso_views.py). It checks no
    password: `authenticate` always declines, so it never answers a login form."""

    def authenticate(self, request, **kwargs):
        return None
