from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .worklist import worklist_of


def portal(request):
    return {"DEMO": settings.DEMO, "COMMS_MAILBOX": settings.COMMS_MAILBOX}


def worklist(request):
    """The person's tasks, for the counts in the menu; worked out only if a page shows them,
    and once per request (the front page lists the same ones)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"worklist": SimpleLazyObject(lambda: worklist_of(request))}
