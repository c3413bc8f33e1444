"""The self-study course's quiz and its result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..models import (
    PASS_MARK,
    Completion,
    Question,
    QuizAttempt,
)
from .base import _course

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
