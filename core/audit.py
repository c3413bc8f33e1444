from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def audit_log(obj, action: str, *, actor=None, data: dict | None = None) -> AuditEntry:
    """Record a state change. Every service that changes state calls this once."""
    return AuditEntry.objects.create(
        target_type=ContentType.objects.get_for_model(obj),
        target_id=obj.pk,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        data=data or {},
    )
