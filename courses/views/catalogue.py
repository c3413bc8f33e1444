"""The catalogue's pages: the courses, one course, and the department's forms for a course and its quiz questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import adviser_required

from .. import services
from ..forms import CourseForm, QuestionForm
from ..models import (
    MIN_QUESTIONS,
    PASS_MARK,
    Completion,
    Course,
    CourseFormat,
    Enrollment,
    Question,
    Session,
    required_courses,
)
from .base import _course, _form_failed, _invalid, _managed_course

# Courses.


@login_required
def course_list(request):
    """The courses of the reader's organisation and the regional ones, each with its next session
    held for the reader's organisation."""
    now = timezone.now()
    sessions = Session.objects.visible_to(request.user).upcoming(now).with_counts()
    courses = Course.objects.visible_to(request.user).prefetch_related(
        Prefetch("sessions", queryset=sessions, to_attr="coming")
    )
    mine = dict(
        Completion.objects.filter(user=request.user)
        .valid_on(timezone.localdate())
        .values_list("course_id", "valid_until")
        .order_by("valid_until")
    )
    context = {
        "courses": courses,
        "mine": mine,
        "required_ids": {course.pk for course in required_courses(request.user.organisation_id)},
        "may_run": services.may_make_courses(request.user),
    }
    return render(request, "courses/course_list.html", context)


@login_required
def course_detail(request, slug):
    course = _course(request, slug)
    user = request.user
    now = timezone.now()
    held = Session.objects.visible_to(user).filter(course=course)
    sessions = list(held.upcoming(now).with_counts())
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
    advised = user.advised_organisation_ids()
    # The organisation whose gate the page speaks of: the adviser's own (which may require a
    # regional course or not), else the reader's.
    context = {
        "course": course,
        "required": course.required_by.filter(pk=user.organisation_id).exists(),
        "may_require": bool(advised) and course.is_published and course.is_offered_to(user.organisation_id),
        "sessions": [(s, own.get(s.pk)) for s in sessions],
        "completion": completion,
        "today": timezone.localdate(),
        "chapters": course.chapters.published() if course.is_self_study else [],
        # The self-study versions that count as this course, for those who cannot come.
        "self_study": []
        if course.is_self_study
        else course.equivalents.visible_to(user).published().filter(format=CourseFormat.SELF_STUDY),
        "quiz_ready": course.is_self_study and services.quiz_questions(course).count() >= MIN_QUESTIONS,
        "may_change": services.may_change_course(user, course),
        # A regional course's sessions are held by each organisation for its own staff.
        "may_hold_sessions": bool(advised) and not course.is_self_study,
        "past_sessions": Session.objects.managed_by(user)
        .filter(course=course, starts_at__lte=now)
        .with_counts()
        .reverse()[:10]
        if advised
        else [],
        "pass_percent": int(PASS_MARK * 100),
    }
    return render(request, "courses/course_detail.html", context)


@login_required
def course_create(request):
    """For advisers (their organisation's course) and super-administrators (a regional one)."""
    if not services.may_make_courses(request.user):
        raise PermissionDenied
    return _course_form(request, None)


@login_required
def course_edit(request, slug):
    """For the course's organisation's advisers (a regional course: the administrators); a
    course of another organisation is not found."""
    return _course_form(request, _managed_course(request, slug))


def _course_form(request, course):
    initial = CourseForm.initial_for(course) if course else {"is_published": True}
    organisation = request.organisation if course is None else course.organisation
    # A super-administrator may make a new course a regional one, offered to every organisation.
    offer_regional = course is None and request.user.is_superuser
    form = CourseForm(
        request.POST or None,
        course=course,
        organisation=organisation,
        initial=initial,
        offer_regional=offer_regional,
        # An administrator who advises no organisation makes regional courses only.
        only_regional=offer_regional and not services.may_run_courses(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_save(
                actor=request.user,
                details=form.details(),
                course=course,
                regional=bool(form.cleaned_data.get("regional")),
            )
        except services.InvalidDetails as error:
            _invalid(request, form, error)
        else:
            messages.success(request, _("The course was saved."))
            return redirect("courses:detail", slug=course.slug)
    if request.method == "POST":
        _form_failed(request)
    status = 400 if request.method == "POST" else 200
    return render(request, "courses/course_form.html", {"form": form, "course": course}, status=status)


@require_POST
@adviser_required
def course_requirement(request, slug):
    """The adviser says whether their organisation's gate requires this course (their own, or a
    regional course they accept)."""
    course = _course(request, slug)
    required = request.POST.get("required") == "1"
    try:
        services.course_requirement_set(
            actor=request.user, course=course, organisation_id=request.user.organisation_id, required=required
        )
    except services.CourseError as error:
        messages.error(request, error.message)
    else:
        name = request.organisation.name
        messages.success(
            request,
            _("%(name)s now requires this course of its account editors.") % {"name": name}
            if required
            else _("%(name)s no longer requires this course of its account editors.") % {"name": name},
        )
    return redirect("courses:detail", slug=course.slug)


@login_required
def questions(request, slug):
    course = _managed_course(request, slug)
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


@login_required
def question_edit(request, pk):
    question = get_object_or_404(Question.objects.select_related("course"), pk=pk)
    _managed_course(request, question.course.slug)
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
