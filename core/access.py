"""Who may see what. Outsiders get 404 (they are not told the object exists);
people who may see an object but not act on it get 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def get_visible_or_404(queryset, user, **lookup):
    return get_object_or_404(queryset.visible_to(user), **lookup)


def advised_rows(queryset, user, path: str = "organisation_id"):
    """The rows of `queryset` that belong to the organisations `user` advises (`path` leads from a
    row to its organisation's id); none for anybody else, and none for someone not logged in. The
    scoping helpers of things only the department sees (reports, barrier reports, own versions)
    are this."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    advised = user.advised_organisation_ids()
    return queryset.filter(**{f"{path}__in": advised}) if advised else queryset.none()


def adviser_required(view):
    """Pages of the Communications Department: for advisers of an organisation (a region's
    advisers, who decide nothing, are not let in; their overview says so itself). What the page
    lists is kept to the adviser's organisations by each model's scoping helper."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.advised_organisation_ids():
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def require_adviser(actor, error: type[Exception], message, *, organisation_id=None) -> None:
    """Refuse (raise `error(message)`) unless `actor` is a communications adviser, of the
    organisation `organisation_id` when it is given (the organisation of what is decided on):
    the one check behind every service only the department may use. Each app passes its own
    error and words."""
    if actor is None or not actor.is_authenticated:
        raise error(message)
    advised = actor.advised_organisation_ids()
    if not advised or (organisation_id is not None and organisation_id not in advised):
        raise error(message)
