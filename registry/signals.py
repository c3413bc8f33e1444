"""Keep the register in step with people leaving: when a user is deactivated, or taken
out of a unit, the accounts they run are marked as needing a new editor."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from accounts.models import Membership, User

from . import services


@receiver(pre_save, sender=User)
def _remember_active(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


@receiver(post_save, sender=User)
def _deactivated(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    if getattr(instance, "_was_active", False) and not instance.is_active:
        services.editor_left(user=instance)


@receiver(post_delete, sender=Membership)
def _left_unit(sender, instance, **kwargs):
    user = User.objects.filter(pk=instance.user_id).first()
    if user is None:
        return  # the person was deleted outright; PROTECT on the account stops that for editors
    if instance.unit.leader_id == user.pk:
        return  # still the unit's leader
    services.editor_left(user=user, unit=instance.unit)


@receiver(pre_delete, sender=User)
def _deleted(sender, instance, **kwargs):
    services.editor_left(user=instance)
