from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _published_changed(sender, **kwargs):
    from core import caching

    from .search import CACHE_NAME

    caching.renew(CACHE_NAME)


class HandbookConfig(AppConfig):
    name = "handbook"
    verbose_name = _("Strategy and handbook")

    def ready(self):

        # What is published changes with a document (its published version) or a version:
        # remembered search answers are then forgotten on every node.
        for model in (self.get_model("Document"), self.get_model("DocumentVersion")):
            post_save.connect(_published_changed, sender=model, dispatch_uid=f"handbook.search.{model.__name__}")
            post_delete.connect(_published_changed, sender=model, dispatch_uid=f"handbook.search.{model.__name__}-")
