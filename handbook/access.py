"""Who may open the pages that keep the strategy and the handbook (core/access.py's rules: an
outsider is sent to log in, a person who may not keep any text gets 403). Which text a person
keeps is each model's scoping helper's to say (`Document.objects.editable_by`)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .models import edits_base


def editor_required(view):
    """For the advisers of an organisation (its own versions and values) and those who keep the
    region's shared text (a region's advisers among them, who advise no organisation)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.advised_organisation_ids() or edits_base(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def base_editor_required(view):
    """For those who keep the region's shared text only (its list of chapters, its order)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not edits_base(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
