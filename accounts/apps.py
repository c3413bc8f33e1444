from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and units")

    def ready(self):
        # The login throttle's receiver (a successful login releases its slot) is connected when
        # the throttle is imported: an auth signal, not a model one.
        from . import throttle  # noqa: F401
