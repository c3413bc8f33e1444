from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Register of official accounts")

    def ready(self):
        from core import pagecache

        from . import signals  # noqa: F401
        from .verification import CACHE_NAME

        # The public pages show the register: kept ones are dropped whenever it changes.
        pagecache.depends_on(CACHE_NAME)
