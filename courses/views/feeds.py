"""The private calendar address: made, revoked, and read by a calendar program."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import calendar, services
from ..models import (
    Enrollment,
)

# The private calendar feed.


@login_required
def feed_manage(request):
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_revoke(user=request.user)
            messages.success(request, _("The calendar address no longer works."))
            return redirect("courses:feed_manage")
        _feed, token = services.feed_create(user=request.user)
    feed = request.user.calendar_feeds.usable().first()
    context = {
        "feed": feed,
        "address": settings.SITE_URL + reverse("courses:feed", args=[token]) if token else None,
    }
    return render(request, "courses/feed.html", context)


def feed(request, token):
    """A person's sessions for their calendar. A wrong, expired or revoked address is an
    ordinary 404 that says nothing about why."""
    subscription = services.feed_lookup(token)
    if subscription is None:
        raise Http404
    enrollments = (
        Enrollment.objects.filter(user=subscription.user, sequence__isnull=False)
        .filter(session__ends_at__gte=timezone.now() - timedelta(days=90))
        .select_related("session__course", "user")
    )
    response = HttpResponse(calendar.feed(subscription.user, enrollments), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
