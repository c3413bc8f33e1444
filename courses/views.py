from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import Membership, User
from core.access import adviser_required
from core.confirm import confirmation_page, is_confirmed
from core.models import AuditEntry
from core.pagination import page_of
from registry.models import Account, AccountStatus

from . import calendar, services
from .certificate import certificate_filename, render_certificate
from .competence import missing_for
from .forms import CompetenceFilterForm, CourseForm, QuestionForm, SessionForm
from .models import (
    MIN_QUESTIONS,
    PASS_MARK,
    Completion,
    Course,
    CourseFormat,
    EditorStatus,
    Enrollment,
    EnrollmentStatus,
    Question,
    QuizAttempt,
    Session,
    required_courses,
)
from .remedies import may_see_record
from .tables import attendance_rows, participant_rows

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


# Courses.


@login_required
def course_list(request):
    now = timezone.now()
    courses = (Course.objects.all() if request.user.is_adviser else Course.objects.published()).prefetch_related(
        Prefetch("sessions", queryset=Session.objects.upcoming(now).with_counts(), to_attr="coming")
    )
    mine = dict(
        Completion.objects.filter(user=request.user)
        .valid_on(timezone.localdate())
        .values_list("course_id", "valid_until")
        .order_by("valid_until")
    )
    return render(request, "courses/course_list.html", {"courses": courses, "mine": mine})


@login_required
def course_detail(request, slug):
    course = _course(request, slug)
    now = timezone.now()
    sessions = list(Session.objects.upcoming(now).filter(course=course).with_counts())
    own = {
        e.session_id: e
        for e in Enrollment.objects.active().filter(user=request.user, session__in=[s.pk for s in sessions])
    }
    completion = (
        Completion.objects.filter(
            user=request.user, course__in=[course.pk, *course.equivalents.values_list("pk", flat=True)]
        )
        .order_by("-completed_on")
        .first()
    )
    context = {
        "course": course,
        "sessions": [(s, own.get(s.pk)) for s in sessions],
        "completion": completion,
        "today": timezone.localdate(),
        "chapters": course.chapters.published() if course.is_self_study else [],
        # The self-study versions that count as this course, for those who cannot come.
        "self_study": []
        if course.is_self_study
        else course.equivalents.published().filter(format=CourseFormat.SELF_STUDY),
        "quiz_ready": course.is_self_study and services.quiz_questions(course).count() >= MIN_QUESTIONS,
        "may_change": services.may_run_courses(request.user),
        "past_sessions": Session.objects.filter(course=course, starts_at__lte=now).with_counts().reverse()[:10]
        if request.user.is_adviser
        else [],
        "pass_percent": int(PASS_MARK * 100),
    }
    return render(request, "courses/course_detail.html", context)


@adviser_required
def course_create(request):
    return _course_form(request, None)


@adviser_required
def course_edit(request, slug):
    return _course_form(request, get_object_or_404(Course, slug=slug))


def _course_form(request, course):
    initial = CourseForm.initial_for(course) if course else {"is_published": True}
    form = CourseForm(request.POST or None, course=course, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_save(actor=request.user, details=form.details(), course=course)
        except services.InvalidDetails as error:
            _invalid(request, form, error)
        else:
            messages.success(request, _("The course was saved."))
            return redirect("courses:detail", slug=course.slug)
    if request.method == "POST":
        _form_failed(request)
    status = 400 if request.method == "POST" else 200
    return render(request, "courses/course_form.html", {"form": form, "course": course}, status=status)


# Sessions.


@adviser_required
def session_create(request, slug):
    course = get_object_or_404(Course, slug=slug)
    if course.is_self_study:
        messages.error(request, _("A self-study course has no sessions: staff take it on their own."))
        return redirect("courses:detail", slug=course.slug)
    form = SessionForm(request.POST or None, initial={"capacity": 20})
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
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    form = SessionForm(request.POST or None, session=session, initial=SessionForm.initial_for(session))
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
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
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
    session = get_object_or_404(Session, pk=pk)
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
    # anyone, by e-mail address (the hospital is too large for one list).
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
        "signup_by_email": open_for_signup and user.is_adviser,
        "unit_places": list(unit_places),
        "may_see_people": may_mark,
        "may_mark": may_mark and session.has_started(now) and not session.is_cancelled,
        "may_change": services.may_run_courses(user) and not session.is_cancelled,
        "confirm_cancel": confirm_cancel(counts["confirmed"] + counts["waiting"]),
        "enrollments": bool(enrollments) if may_mark else False,
        "participant_rows": participant_rows(enrollments) if may_mark else "",
        "late": open_for_signup and now > session.starts_at - services.waitlist_cutoff(),
        "timeline": AuditEntry.objects.for_object(session) if user.is_adviser else [],
    }
    return render(request, "courses/session_detail.html", context)


def _back(request, default: str) -> str:
    """Where an action started (the account whose gate offered it), if that is in the portal."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return default


@require_POST
@login_required
def signup(request, pk):
    """Sign up oneself, or someone else: a leader one of their people (chosen from a list),
    an adviser anyone (found by e-mail address, as the hospital is too large for one list)."""
    session = _session(request, pk)
    back = _back(request, reverse("courses:session", args=[session.pk]))
    person = None
    if request.POST.get("person"):
        try:
            person_pk = int(request.POST["person"])
        except ValueError:
            raise Http404 from None
        person = User.objects.filter(pk=person_pk).first()
        if person is None or not services.people_one_may_sign_up(request.user).filter(pk=person.pk).exists():
            raise PermissionDenied
    elif "email" in request.POST:
        if not request.user.is_adviser:
            raise PermissionDenied
        email = request.POST["email"].strip()
        person = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
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
    course = get_object_or_404(Course.objects.published(), slug=slug, format=CourseFormat.SELF_STUDY)
    person = get_object_or_404(User, pk=_int(request.POST.get("person")))
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


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


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


# A person's record, the overview and the certificate.


@login_required
def my_record(request):
    return _record(request, request.user)


@login_required
def person_record(request, pk):
    """Someone else's record: for the Communications Department, and a leader of their unit."""
    person = get_object_or_404(User, pk=pk)
    if person.pk == request.user.pk:
        return redirect("courses:record")
    if not may_see_record(request.user, person):
        raise Http404
    return _record(request, person)


def _record(request, user):
    today = timezone.localdate()
    completions = list(Completion.objects.filter(user=user).select_related("course"))
    current, history = {}, []
    for completion in completions:  # newest first
        if completion.course_id in current:
            history.append(completion)
        else:
            current[completion.course_id] = completion
    # Looked up from the person's side (each way has its index), a few of them named.
    open_accounts = Account.objects.exclude(status=AccountStatus.CLOSED)
    edited = list(open_accounts.filter(editor=user).order_by().values_list("pk", flat=True)[:ACCOUNTS_NAMED])
    deputy = Account.deputies.through.objects.filter(user=user).exclude(account__status=AccountStatus.CLOSED)
    edited += list(deputy.values_list("account_id", flat=True)[:ACCOUNTS_NAMED])
    accounts = list(
        Account.objects.filter(pk__in=edited[:ACCOUNTS_NAMED]).select_related("platform").order_by("display_name")
    )
    enrollments = (
        Enrollment.objects.active()
        .filter(user=user, session__ends_at__gte=timezone.now())
        .select_related("session__course")
        .order_by("session__starts_at")
    )
    context = {
        "current": list(current.values()),
        "history": history,
        "today": today,
        "accounts": accounts,
        "missing": missing_for([user]).get(user.pk, []) if accounts else [],
        "required": required_courses(),
        "enrollments": enrollments,
        "has_feed": user.calendar_feeds.usable().exists(),
        "person": user,
        "own": user.pk == request.user.pk,
    }
    return render(request, "courses/my_record.html", context)


@login_required
def certificate(request, pk):
    completion = get_object_or_404(Completion.objects.select_related("user", "course"), pk=pk)
    if completion.user_id != request.user.pk and not request.user.is_adviser:
        raise Http404
    response = HttpResponse(render_certificate(completion), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(completion)}"'
    return response


@login_required
def competence(request):
    """Who edits accounts, and whether each holds the required courses: a unit leader for
    the units they lead, the advisers for the whole hospital, with the accounts at risk.
    Read from EditorStatus, so the page costs the same with 200 editors or 20,000 staff."""
    user = request.user
    led = user.led_unit_ids()
    if not (user.is_adviser or led):
        raise PermissionDenied
    form = CompetenceFilterForm(request.GET or None)
    open_accounts = Account.objects.exclude(status=AccountStatus.CLOSED)
    people = EditorStatus.objects.all()
    if not user.is_adviser:
        open_accounts = open_accounts.filter(unit_id__in=led)
        people = people.filter(pk__in=Membership.objects.filter(unit_id__in=led).values("user_id"))
    totals = people.aggregate(total=Count("pk"), lacking=Count("pk", filter=Q(trained=False)))
    shown = people
    if form.is_valid():
        if form.cleaned_data["only_missing"]:
            shown = shown.filter(trained=False)
        if form.cleaned_data["q"]:
            shown = shown.filter(name__icontains=form.cleaned_data["q"])
    page = page_of(
        shown,
        request.GET.get("page"),
        PEOPLE_PAGE_SIZE,
        order_by=("name", "user_id"),
        fetch=lambda rows: rows.select_related("user").only(
            "user__full_name", "user__email", "user__language", "trained", "accounts", "examples"
        ),
    )
    missing = missing_for([status.user for status in page.object_list])
    at_risk = open_accounts.filter(training_missing=True)
    context = {
        "form": form,
        "page": page,
        "rows": [(s.user, missing.get(s.pk, []), s.examples, s.accounts) for s in page.object_list],
        "total": totals["total"],
        "lacking": totals["lacking"],
        "at_risk_count": at_risk.count(),
        # The most recently flagged first, from the (training_missing, updated_at) index: in
        # name order the database sorted every account at risk to show the first few.
        "at_risk": at_risk.select_related("platform", "unit").order_by("-updated_at", "-pk")[:AT_RISK_SHOWN],
        "required": required_courses(),
        "whole_hospital": user.is_adviser,
    }
    return render(request, "courses/competence.html", context)


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


# The self-study quiz.


@login_required
def quiz(request, slug):
    course = _course(request, slug)
    try:
        attempt = services.quiz_start(user=request.user, course=course)
    except services.CourseError as error:
        messages.error(request, error.message)
        return redirect("courses:detail", slug=course.slug)
    answers = {}
    status = 200
    if request.method == "POST":
        if request.POST.get("attempt") != str(attempt.pk):
            # This form belongs to an attempt already sent (another tab, or the back button).
            messages.error(request, _("This quiz was already sent, perhaps from another tab. Here is a fresh one."))
            return redirect("courses:quiz", slug=course.slug)
        for question_id, _choices in attempt.layout:
            value = request.POST.get(f"q{question_id}")
            if value and value.isdigit():
                answers[question_id] = int(value)
        try:
            attempt = services.quiz_submit(user=request.user, attempt=attempt, answers=answers)
        except services.CourseError as error:
            messages.error(request, error.message)
            status = 400
        else:
            return redirect("courses:quiz_result", pk=attempt.pk)
    questions = {q.pk: q for q in services.quiz_questions(course)}
    choices = {}
    for question in questions.values():
        for choice in question.choices.all():
            choices[choice.pk] = choice
    layout = [
        (questions[qid], [choices[c] for c in choice_ids if c in choices], answers.get(qid))
        for qid, choice_ids in attempt.layout
        if qid in questions
    ]
    context = {"course": course, "attempt": attempt, "layout": layout, "pass_percent": int(PASS_MARK * 100)}
    return render(request, "courses/quiz.html", context, status=status)


@login_required
def quiz_result(request, pk):
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("course").filter(submitted_at__isnull=False), pk=pk, user=request.user
    )
    wrong = []
    if not attempt.passed:
        right = set(
            Question.objects.filter(pk__in=[q for q, _c in attempt.layout], choices__is_correct=True).values_list(
                "pk", "choices__pk"
            )
        )
        wrong = [qid for qid, _c in attempt.layout if (qid, attempt.answers.get(str(qid))) not in right]
    completion = Completion.objects.filter(attempt=attempt).first()
    context = {
        "attempt": attempt,
        "course": attempt.course,
        "completion": completion,
        "wrong": Question.objects.filter(pk__in=wrong).order_by("position"),
        "chapters": attempt.course.chapters.published(),
    }
    return render(request, "courses/quiz_result.html", context)


@adviser_required
def questions(request, slug):
    course = get_object_or_404(Course, slug=slug)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(actor=request.user, course=course, details=form.details())
        except services.InvalidDetails as error:
            _invalid(request, form, error)
        else:
            messages.success(request, _("The question was added."))
            return redirect("courses:questions", slug=course.slug)
    if request.method == "POST":
        _form_failed(request)
    context = {
        "course": course,
        "form": form,
        "questions": course.questions.prefetch_related("choices"),
        "active_count": course.questions.filter(is_active=True).count(),
        "min_questions": MIN_QUESTIONS,
    }
    return render(request, "courses/questions.html", context, status=400 if request.method == "POST" else 200)


@adviser_required
def question_edit(request, pk):
    question = get_object_or_404(Question.objects.select_related("course"), pk=pk)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                actor=request.user, course=question.course, details=form.details(), question=question
            )
        except services.InvalidDetails as error:
            _invalid(request, form, error)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("courses:questions", slug=question.course.slug)
    if request.method == "POST":
        _form_failed(request)
    context = {"course": question.course, "question": question, "form": form}
    return render(request, "courses/question_form.html", context, status=400 if request.method == "POST" else 200)
