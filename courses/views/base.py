"""What the courses' pages share: finding a course or a session the reader may see, and a form's errors."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

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
    courses = Course.objects.all() if request.user.is_adviser else Course.objects.published()
    return get_object_or_404(courses, slug=slug)


def _session(request, pk) -> Session:
    sessions = Session.objects.select_related("course")
    if not request.user.is_adviser:
        sessions = sessions.filter(course__is_published=True)
    return get_object_or_404(sessions, pk=pk)


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
