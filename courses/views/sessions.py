"""A session's pages: planned, changed, cancelled, its people; signing up, giving up a seat, and attendance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import Membership, User
from core.access import adviser_required
from core.confirm import confirmation_page, is_confirmed
from core.models import AuditEntry

from .. import services
from ..forms import SessionForm
from ..models import (
    Enrollment,
    EnrollmentStatus,
)
from ..tables import attendance_rows, participant_rows
from .base import ROW_FIELDS, _back, _course, _form_failed, _int, _invalid, _managed_session, _session

# Sessions.


@adviser_required
def session_create(request, slug):
    """A session of the organisation's own course, or of a regional course, held for its staff."""
    course = _course(request, slug)
    if course.is_self_study:
        messages.error(request, _("A self-study course has no sessions: staff take it on their own."))
        return redirect("courses:detail", slug=course.slug)
    organisation_id = course.organisation_id or request.user.organisation_id
    form = SessionForm(request.POST or None, organisation_id=organisation_id, initial={"capacity": 20})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, course=course, details=form.details())
        except services.InvalidDetails as error:
            _invalid(request, form, error)
        else:
            messages.success(request, _("The session was created. Staff can sign up now."))
            return redirect("courses:session", pk=session.pk)
    if request.method == "POST":
        _form_failed(request)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "courses/session_form.html", {"form": form, "course": course, "session": None}, status=status
    )


@adviser_required
def session_edit(request, pk):
    session = _managed_session(request, pk)
    form = SessionForm(
        request.POST or None,
        organisation_id=session.organisation_id,
        session=session,
        initial=SessionForm.initial_for(session),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, details=form.details())
        except services.InvalidDetails as error:
            _invalid(request, form, error)
        except services.CourseError as error:
            messages.error(request, error.message)
            return redirect("courses:session", pk=session.pk)
        else:
            messages.success(request, _("The session was saved. Those with a seat got the change by e-mail."))
            return redirect("courses:session", pk=session.pk)
    if request.method == "POST":
        _form_failed(request)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "course": session.course, "session": session}
    return render(request, "courses/session_form.html", context, status=status)


def confirm_cancel(signed_up: int) -> dict:
    """The words of the question before a session is cancelled: in the session page's dialog,
    and on the page of its own that asks without JavaScript."""
    if signed_up:
        told = ngettext(
            "The %(count)s person signed up gets an e-mail with your reason at once.",
            "The %(count)s people signed up get an e-mail with your reason at once.",
            signed_up,
        ) % {"count": signed_up}
    else:
        told = _("Nobody has signed up yet, so nobody gets an e-mail.")
    return {
        "title": _("Cancel the session?"),
        "consequences": [
            told,
            _("The session cannot be opened again; to run it after all, create a new session."),
        ],
        "button": _("Yes, cancel the session"),
    }


@require_POST
@adviser_required
def session_cancel(request, pk):
    """Asks first (one click used to e-mail everyone at once), and needs a reason, which goes
    into the e-mail."""
    session = _managed_session(request, pk)
    reason = request.POST.get("reason", "").strip()
    if not reason or len(reason) > 1000:
        messages.error(
            request,
            _(
                "Write why the session is cancelled (at most 1000 characters): it goes to everyone signed up. "
                "The session is not cancelled."
            )
            if reason
            else _("Write why the session is cancelled: it goes to everyone signed up. The session is not cancelled."),
        )
        return redirect(reverse("courses:session", args=[session.pk]) + "#cancel")
    if not session.is_cancelled and not is_confirmed(request):
        signed_up = Enrollment.objects.filter(session=session).active().count()
        return confirmation_page(
            request,
            what=confirm_cancel(signed_up),
            action_url=reverse("courses:session_cancel", args=[session.pk]),
            cancel_url=reverse("courses:session", args=[session.pk]),
            subject=str(session),
        )
    try:
        services.session_cancel(actor=request.user, session=session, reason=reason)
    except services.CourseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The session is cancelled. Everyone signed up has been told, with your reason."))
    return redirect("courses:session", pk=session.pk)


@require_POST
@adviser_required
def session_fill(request, pk):
    session = _managed_session(request, pk)
    try:
        promoted = services.session_fill_from_waiting_list(actor=request.user, session=session)
    except services.CourseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s from the waiting list got a seat.") % {"count": len(promoted)})
    return redirect("courses:session", pk=session.pk)


@login_required
def session_detail(request, pk):
    session = _session(request, pk)
    user = request.user
    may_mark = services.may_mark_attendance(user, session)
    enrollments = (
        Enrollment.objects.filter(session=session)
        .active()
        .select_related("user", "signed_up_by")
        .only(*ROW_FIELDS, "signed_up_by__full_name")
    )
    counts = Enrollment.objects.filter(session=session).aggregate(
        confirmed=Count("pk", filter=Q(status=EnrollmentStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=EnrollmentStatus.WAITING)),
    )
    own = Enrollment.objects.filter(session=session, user=user).active().first()
    position = None
    if own and own.status == EnrollmentStatus.WAITING:
        position = (
            Enrollment.objects.waiting()
            .filter(session=session)
            .filter(Q(signed_up_at__lt=own.signed_up_at) | Q(signed_up_at=own.signed_up_at, pk__lte=own.pk))
            .count()
        )
    now = timezone.now()
    open_for_signup = not session.is_cancelled and not session.has_started(now)
    # A unit leader may sign up the people of the units they lead, from a list; an adviser
    # anyone of the session's organisation, by e-mail address (too many for one list).
    led = user.led_unit_ids() if open_for_signup else set()
    signup_people = unit_places = []
    if led:
        taken = Enrollment.objects.filter(session=session).active().values("user_id")
        members = Membership.objects.filter(unit_id__in=led).values("user_id")
        signup_people = (
            User.objects.filter(is_active=True, pk__in=members)
            .exclude(pk=user.pk)
            .exclude(pk__in=taken)
            .only("pk", "full_name")
            .order_by("full_name")
        )
        # The places of the leader's people, so that a sign-up made by mistake can be undone.
        unit_places = (
            Enrollment.objects.active()
            .filter(session=session, user__in=members)
            .exclude(user=user)
            .select_related("user")
            .only("pk", "status", "user_id", "user__full_name")
            .order_by("user__full_name")
        )
    context = {
        "session": session,
        "course": session.course,
        "instructors": list(session.instructors.all()),
        "counts": counts,
        "free": max(session.capacity - counts["confirmed"], 0),
        "own": own,
        "position": position,
        "open_for_signup": open_for_signup,
        "signup_people": list(signup_people),
        "signup_by_email": open_for_signup and user.advises(session.organisation_id),
        "unit_places": list(unit_places),
        "may_see_people": may_mark,
        "may_mark": may_mark and session.has_started(now) and not session.is_cancelled,
        "may_change": user.advises(session.organisation_id) and not session.is_cancelled,
        "confirm_cancel": confirm_cancel(counts["confirmed"] + counts["waiting"]),
        "enrollments": bool(enrollments) if may_mark else False,
        "participant_rows": participant_rows(enrollments) if may_mark else "",
        "late": open_for_signup and now > session.starts_at - services.waitlist_cutoff(),
        "timeline": AuditEntry.objects.for_object(session) if user.advises(session.organisation_id) else [],
    }
    return render(request, "courses/session_detail.html", context)


@require_POST
@login_required
def signup(request, pk):
    """Sign up oneself, or someone else: a leader one of their people (chosen from a list),
    an adviser anyone of the session's organisation (found by e-mail address: too many for one list)."""
    session = _session(request, pk)
    back = _back(request, reverse("courses:session", args=[session.pk]))
    person = None
    if request.POST.get("person"):
        try:
            person_pk = int(request.POST["person"])
        except ValueError:
            raise Http404 from None
        person = get_object_or_404(User, pk=person_pk, organisation_id=session.organisation_id)
        if not services.people_one_may_sign_up(request.user).filter(pk=person.pk).exists():
            raise PermissionDenied
    elif "email" in request.POST:
        if not request.user.advises(session.organisation_id):
            raise PermissionDenied
        email = request.POST["email"].strip()
        people = services.people_one_may_sign_up(request.user).filter(organisation_id=session.organisation_id)
        person = people.filter(email__iexact=email).first() if email else None
        if person is None:
            messages.error(
                request,
                _("Nobody working here has the e-mail address “%(email)s” in the portal. Check it and try again.")
                % {"email": email[:200]}
                if email
                else _("Write the e-mail address of the person to sign up."),
            )
            return redirect(reverse("courses:session", args=[session.pk]) + "#signup-someone")
    try:
        enrollment = services.enroll(actor=request.user, session=session, person=person)
    except services.CourseError as error:
        messages.error(request, error.message)
    else:
        name = enrollment.user.full_name
        if enrollment.status == EnrollmentStatus.CONFIRMED:
            messages.success(
                request,
                _("%(name)s has a seat. The invitation is on its way by e-mail.") % {"name": name}
                if person
                else _("You have a seat. The invitation for your calendar is on its way by e-mail."),
            )
        else:
            messages.warning(
                request,
                _("The session is full: %(name)s is on the waiting list and will be told by e-mail if a seat frees.")
                % {"name": name}
                if person
                else _("The session is full: you are on the waiting list, and will be told by e-mail if a seat frees."),
            )
    return redirect(back)


@require_POST
@login_required
def send_self_study(request, slug):
    course = _course(request, slug)
    if not course.is_self_study or not course.is_published:
        raise Http404
    # Somebody of another organisation is not found; of one's own, one may not send to: refused.
    colleagues = User.objects.filter(organisation_id=request.user.organisation_id)
    person = get_object_or_404(colleagues, pk=_int(request.POST.get("person")))
    if not services.people_one_may_sign_up(request.user).filter(pk=person.pk).exists():
        raise PermissionDenied
    try:
        services.self_study_send(actor=request.user, course=course, person=person)
    except services.CourseError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s got the self-study course “%(course)s” by e-mail.")
            % {"name": person.full_name, "course": course.title},
        )
    return redirect(_back(request, reverse("courses:detail", args=[course.slug])))


@require_POST
@login_required
def withdraw(request, pk):
    session = _session(request, pk)
    who = request.user
    if request.POST.get("person"):  # someone else's place: the service checks that one may
        who = get_object_or_404(User, pk=_int(request.POST["person"]))
    enrollment = get_object_or_404(Enrollment.objects.active(), session=session, user=who)
    try:
        services.enrollment_cancel(actor=request.user, enrollment=enrollment)
    except services.CourseError as error:
        messages.error(request, error.message)
    else:
        if who == request.user:
            messages.success(request, _("The place is cancelled."))
        else:
            messages.success(
                request, _("The place of %(name)s is cancelled. They are told by e-mail.") % {"name": who.full_name}
            )
    return redirect("courses:session", pk=session.pk)


@login_required
def attendance(request, pk):
    session = _session(request, pk)
    if not services.may_mark_attendance(request.user, session):
        raise PermissionDenied
    enrollments = list(Enrollment.objects.filter(session=session).confirmed().select_related("user").only(*ROW_FIELDS))
    if request.method == "POST":
        marks = {}
        for enrollment in enrollments:
            mark = request.POST.get(f"attendance-{enrollment.pk}", "")
            if mark:
                marks[enrollment.pk] = mark
        try:
            completions = services.attendance_mark(actor=request.user, session=session, marks=marks)
        except services.CourseError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Attendance saved. %(count)s completion(s) recorded.") % {"count": len(completions)},
            )
            return redirect("courses:session", pk=session.pk)
    context = {
        "session": session,
        "course": session.course,
        "enrollments": enrollments,
        "rows": attendance_rows(enrollments),
        "started": session.has_started(),
    }
    return render(request, "courses/attendance.html", context, status=400 if request.method == "POST" else 200)
