from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import FastSelect, NameChoices

from .models import LoginFailure, Unit

# Many people share the hospital's outward address, so one address gets more room than one account.
IP_FACTOR = 10


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is wrong. Note that the password is case-sensitive."),
        "throttled": _("Too many failed attempts. For your security, wait %(minutes)s minutes and try again."),
        "invalid_login_admins": _(
            "The e-mail address or the password is wrong, or you are not an administrator: here only "
            "administrators log in with a password. Everyone else logs in with the hospital account."
        ),
        "password_off": _("Log in with the hospital account; logging in with a password is turned off."),
    }

    def get_invalid_login_error(self):
        if settings.PASSWORD_LOGIN == "admins":
            return forms.ValidationError(self.error_messages["invalid_login_admins"], code="invalid_login")
        return super().get_invalid_login_error()

    def clean(self):
        if settings.PASSWORD_LOGIN == "off":
            raise forms.ValidationError(self.error_messages["password_off"], code="password_off")
        email = (self.cleaned_data.get("username") or "").lower()
        ip = client_ip(self.request) if self.request else None
        since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
        recent = LoginFailure.objects.filter(created_at__gte=since)
        limit = settings.LOGIN_FAILURE_LIMIT
        if email and (
            recent.filter(email=email).count() >= limit or (ip and recent.filter(ip=ip).count() >= limit * IP_FACTOR)
        ):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_MINUTES},
            )
        try:
            return super().clean()
        except forms.ValidationError as error:
            if email and error.code == "invalid_login":
                LoginFailure.objects.create(email=email, ip=ip)
            raise

    @staticmethod
    def prune():
        cutoff = timezone.now() - timedelta(days=1)
        LoginFailure.objects.filter(Q(created_at__lt=cutoff)).delete()


class UnitChoiceField(forms.ModelChoiceField):
    """One of the active units, offered as a list of names. The whole organisation is thousands
    of units: the list is read as (id, name) pairs, not as a model object per unit."""

    iterator = NameChoices

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", FastSelect)
        super().__init__(queryset=Unit.objects.filter(is_active=True).order_by("name", "pk"), **kwargs)
