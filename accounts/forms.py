from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from core.widgets import FastSelect, NameChoices

from . import throttle
from .models import Unit


class ThrottleMessage:
    """Says "too many attempts" instead of "wrong password" when the login throttle
    (accounts/throttle.py) refused the attempt before any password was checked."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            refusal = throttle.refusal_for(self.request)
            if refusal is not None:
                raise forms.ValidationError(
                    self.error_messages["throttled"], code="throttled", params={"minutes": refusal.minutes}
                ) from None
            raise


class LoginForm(ThrottleMessage, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is wrong. Note that the password is case-sensitive."),
        "throttled": throttle.MESSAGE,
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
        return super().clean()


class AdminLoginForm(ThrottleMessage, AdminAuthenticationForm):
    error_messages = {**AdminAuthenticationForm.error_messages, "throttled": throttle.MESSAGE}


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Changing one's password checks the old one: through the login throttle too, so a
    session left open is no way round it."""

    error_messages = {**PasswordChangeForm.error_messages, "throttled": throttle.MESSAGE}

    def clean_old_password(self):
        try:
            with throttle.login_attempt(None, identity=self.user.get_username()) as attempt:
                old_password = super().clean_old_password()
                attempt.succeeded()
        except throttle.Throttled as refusal:
            raise forms.ValidationError(
                self.error_messages["throttled"], code="throttled", params={"minutes": refusal.minutes}
            ) from None
        return old_password


class UnitChoiceField(forms.ModelChoiceField):
    """One of the active units, offered as a list of names. The whole organisation is thousands
    of units: the list is read as (id, name) pairs, not as a model object per unit."""

    iterator = NameChoices

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", FastSelect)
        super().__init__(queryset=Unit.objects.filter(is_active=True).order_by("name", "pk"), **kwargs)
