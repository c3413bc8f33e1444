"""A bridge for writes to the catalogue that do not go through platforms/services.py yet
(tests, scripts): such a save or delete is announced as `platform_changed`, and nothing else
is done here. A write the services made is marked (`_announced`) and not announced twice."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .events import platform_changed
from .models import Platform


@receiver(post_save, sender=Platform)
@receiver(post_delete, sender=Platform)
def _written_directly(sender, instance, raw=False, **kwargs):
    if not raw and not getattr(instance, "_announced", False):
        platform_changed.announce(platform=instance, actor=None)
