from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .worklist import menu_counts


def portal(request):
    return {"DEMO": settings.DEMO}


def worklist(request):
    """The counts of the person's tasks beside the menu entries (see core.worklist.menu_counts),
    worked out only if the page shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"worklist": SimpleLazyObject(lambda: menu_counts(request))}
