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
