from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactsConfig(AppConfig):
    name = "facts"
    verbose_name = _("What only the hospital knows")

    def ready(self):
        from handbook.rendering import register_expander

        from .directives import expand, version

        register_expander(expand, version=version, help_template="facts/_editor_help.html")
