from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(sender, using="default", verbosity=1, **kwargs):
    # The shared cache lives in the database (settings.CACHES): `migrate` makes its table too, so
    # every web node, the tests and a fresh install have it without a separate step. An upgrade
    # runs `migrate`, and may change what the remembered answers look like: they are dropped.
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
    cache.clear()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks  # noqa: F401  (registers the portal's checks)
        from .events import discover

        discover()

        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="core.create_cache_table")
