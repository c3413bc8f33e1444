from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _facts_changed(sender, **kwargs):
    from core import caching
    from handbook.search import CACHE_NAME

    # The handbook's kept public pages show what is filled in: a number or a link saved now is
    # on them at once, not when they next expire.
    caching.renew(CACHE_NAME)


class FactsConfig(AppConfig):
    name = "facts"
    verbose_name = _("What only the hospital knows")

    def ready(self):
        from handbook.rendering import register_expander

        from .directives import expand, version

        register_expander(expand, version=version, help_template="facts/_editor_help.html")
        for model in (self.get_model("Placeholder"), self.get_model("PlatformTerms")):
            post_save.connect(_facts_changed, sender=model, dispatch_uid=f"facts.handbook.{model.__name__}")
            post_delete.connect(_facts_changed, sender=model, dispatch_uid=f"facts.handbook.{model.__name__}-")
