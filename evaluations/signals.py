"""Keep each account's evaluation schedule in step with the register and the plans.

The schedule holds a narrow copy of what the overview counts (see models.Schedule). Every
save of an account or a plan refreshes the copy for the accounts concerned at once; the
periodic job refreshes all of them, which also catches changes made with bulk updates
(an editor leaving, training expiring)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from plans.models import Plan
from registry.models import Account

from .services import schedules_refresh


@receiver(post_save, sender=Account)
def _account_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedules_refresh(account_ids=[instance.pk])


@receiver(post_save, sender=Plan)
def _plan_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    ids = list(Account.objects.filter(plan_id=instance.pk).values_list("pk", flat=True)[:10_000])
    if ids:
        schedules_refresh(account_ids=ids)
