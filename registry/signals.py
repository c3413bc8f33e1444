"""Keep the register in step with people leaving: when a user is deactivated, or taken
out of a unit, the accounts they run are marked as needing a new editor. And forget the
public's remembered verify answers whenever what they show changes."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from accounts.models import Membership, Unit, User
from core import caching
from plans.models import Plan
from platforms.models import Platform

from . import services
from .models import Account
from .services import OVERVIEW_CACHE
from .verification import CACHE_NAME


@receiver(post_save, sender=Account)
@receiver(post_delete, sender=Account)
@receiver(post_save, sender=Platform)
@receiver(post_delete, sender=Platform)
@receiver(post_save, sender=Unit)
@receiver(post_delete, sender=Unit)
def _register_changed(sender, **kwargs):
    # An account's address, name or status, a platform's name or address rules, a unit's name:
    # each is part of some public answer (verify, the count of the public list) and of the
    # department's overview.
    caching.renew(CACHE_NAME)
    caching.renew(OVERVIEW_CACHE)


@receiver(post_save, sender=Plan)
@receiver(post_delete, sender=Plan)
def _plan_changed(sender, **kwargs):
    # A plan approved (or no longer) changes how many accounts have a plan in place.
    caching.renew(OVERVIEW_CACHE)


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
