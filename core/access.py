"""Who may see what. Outsiders get 404 (they are not told the object exists);
people who may see an object but not act on it get 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def get_visible_or_404(queryset, user, **lookup):
    return get_object_or_404(queryset.visible_to(user), **lookup)


def adviser_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_adviser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def require_adviser(actor, error: type[Exception], message) -> None:
    """Refuse (raise `error(message)`) unless `actor` is a communications adviser: the one check
    behind every service only the department may use. Each app passes its own error and words."""
    if not (actor is not None and actor.is_authenticated and actor.is_adviser):
        raise error(message)
