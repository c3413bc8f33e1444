from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect

from . import oidc
from .forms import LoginForm
from .language import follow_saved_language
from .sso_views import ID_TOKEN_KEY


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        return follow_saved_language(self.request, super().form_valid(form), form.get_user())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sso_enabled=oidc.sso_enabled(),
            sso_label=settings.SSO_BUTTON_LABEL,
            password_login=settings.PASSWORD_LOGIN,
            **kwargs,
        )


class LogoutView(auth_views.LogoutView):
    """Ends the portal session and, after single sign-on, the provider's too where it offers
    that: the browser goes on to the provider's logout page and comes back to the front page."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(ID_TOKEN_KEY)
        response = super().post(request, *args, **kwargs)
        if id_token and oidc.sso_enabled():
            url = oidc.logout_url(id_token=id_token, return_to=request.build_absolute_uri("/"))
            if url:
                return redirect(url)
        return response
