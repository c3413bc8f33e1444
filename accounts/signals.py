"""A bridge for writes that do not go through accounts' services yet.

People leave through `accounts.services` (person_deactivate, person_save, person_delete,
membership_remove …) and accounts/units.py (the organisation sync's batches), which announce
`person_left` themselves; units change through `unit_save` and accounts/units.py, which
announce `units_changed`. What still writes these rows directly is the demo loader (a person
deactivated with save(), units created) and tests. Until it calls the services, such a write
is announced here, with the same event and nothing else: what follows is decided by the
event's subscribers, never here. A write the services made is marked (`_left_announced`,
`_announced`) and not announced twice.

The login throttle's receiver (a successful login releases its slot) lives with the throttle
itself; importing it here connects it when the app is ready.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import throttle  # noqa: F401
from .events import person_left, units_changed
from .models import Membership, Unit, User


@receiver(pre_save, sender=User)
def _remember_active(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or getattr(instance, "_left_announced", False):
        return
    instance._was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


@receiver(post_save, sender=User)
def _deactivated_directly(sender, instance, created, raw=False, **kwargs):
    if raw or created or getattr(instance, "_left_announced", False):
        return
    if getattr(instance, "_was_active", False) and not instance.is_active:
        person_left.announce(user=instance, unit=None, actor=None)


@receiver(pre_delete, sender=User)
def _deleted_directly(sender, instance, **kwargs):
    if not getattr(instance, "_left_announced", False):
        person_left.announce(user=instance, unit=None, actor=None)


@receiver(post_delete, sender=Membership)
def _left_unit_directly(sender, instance, **kwargs):
    if getattr(instance, "_left_announced", False):
        return
    user = User.objects.filter(pk=instance.user_id).first()
    if user is None:
        return  # the person was deleted outright, and that was announced
    person_left.announce(user=user, unit=instance.unit, actor=None)


@receiver(post_save, sender=Unit)
@receiver(post_delete, sender=Unit)
def _unit_written_directly(sender, instance, raw=False, **kwargs):
    if not raw and not getattr(instance, "_announced", False):
        units_changed.announce(unit_ids=[instance.pk])
