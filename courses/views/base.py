"""What the courses' pages share: finding a course or a session the reader may see, and a form's errors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.access import get_visible_or_404

from .. import services
from ..models import (
    Course,
    Session,
)

PEOPLE_PAGE_SIZE = 50
AT_RISK_SHOWN = 50
ACCOUNTS_NAMED = 10  # account names on a person's own record
# What the long participant tables need of a sign-up (not its reminders and history).
ROW_FIELDS = ("session_id", "user__full_name", "status", "signed_up_at", "signed_up_by_id", "attendance")


def _course(request, slug) -> Course:
    """A course the reader sees: their organisation's or a regional one (404 otherwise)."""
    return get_visible_or_404(Course.objects.all(), request.user, slug=slug)


def _managed_course(request, slug) -> Course:
    """A course the reader may change. One they see but may not change (a regional course, or
    for staff who are not advisers) is refused; another organisation's is not found."""
    course = Course.objects.managed_by(request.user).filter(slug=slug).first()
    if course is None:
        _course(request, slug)
        raise PermissionDenied
    return course


def _session(request, pk) -> Session:
    """A session held for the reader's organisation (404 for another organisation's)."""
    return get_visible_or_404(Session.objects.select_related("course"), request.user, pk=pk)


def _managed_session(request, pk) -> Session:
    return get_object_or_404(Session.objects.managed_by(request.user).select_related("course"), pk=pk)


def _invalid(request, form, error: services.InvalidDetails):
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)


def _form_failed(request):
    messages.error(request, _("Some fields need attention. Nothing you wrote has been lost: see the messages below."))


def _back(request, default: str) -> str:
    """Where an action started (the account whose gate offered it), if that is in the portal."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return default


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
