"""The catalogue's pages: the courses, one course, and the department's forms for a course and its quiz questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

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
)
from .base import _course, _form_failed, _invalid

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
