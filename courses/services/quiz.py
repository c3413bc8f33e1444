"""The self-study course's quiz: its questions, an attempt started and scored once."""

import random
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log

from ..models import MIN_QUESTIONS, PASS_MARK, Choice, Course, Question, QuizAttempt
from ..selectors import quiz_questions
from .base import CourseError, InvalidDetails, NotAllowed, _require_keeper
from .completions import _complete
from .training import training_changed_announce


@transaction.atomic
def quiz_start(*, user, course: Course) -> QuizAttempt:
    """The person's open attempt, or a new one with the questions and answers shuffled.
    A second tab gets the same attempt, so nothing is answered twice."""
    if not course.is_self_study or not course.is_published or not course.is_offered_to(user.organisation_id):
        raise CourseError(_("This course has no quiz."))
    open_attempt = QuizAttempt.objects.filter(user=user, course=course, submitted_at__isnull=True).first()
    if open_attempt:
        return open_attempt
    questions = list(quiz_questions(course))
    usable = [q for q in questions if sum(c.is_correct for c in q.choices.all()) == 1 and len(q.choices.all()) >= 2]
    if len(usable) < MIN_QUESTIONS:
        raise CourseError(_("The quiz is not ready yet. Try again later, or sign up for a session instead."))
    rng = random.SystemRandom()
    rng.shuffle(usable)
    layout = []
    for question in usable:
        choices = [c.pk for c in question.choices.all()]
        rng.shuffle(choices)
        layout.append([question.pk, choices])
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(user=user, course=course, layout=layout, total=len(layout))
    except IntegrityError:
        # Opened in two tabs at the same moment: both get the one attempt.
        return QuizAttempt.objects.get(user=user, course=course, submitted_at__isnull=True)
    audit_log(attempt, "quiz.started", actor=user, data={"course": course.pk})
    return attempt


@transaction.atomic
def quiz_submit(*, user, attempt: QuizAttempt, answers: dict[int, int], now=None) -> QuizAttempt:
    """Score an attempt once. A second submission (another tab, a double click) is
    refused and changes nothing."""
    now = now or timezone.now()
    if attempt.user_id != user.pk:
        raise NotAllowed(_("This is not your quiz."))
    layout = {qid: set(choice_ids) for qid, choice_ids in attempt.layout}
    if set(answers) != set(layout) or any(answers[q] not in layout[q] for q in answers):
        raise CourseError(_("Answer every question before you send the quiz. Your answers are still in the form."))
    right = set(Choice.objects.filter(question_id__in=layout, is_correct=True).values_list("pk", flat=True))
    score = sum(1 for choice in answers.values() if choice in right)
    passed = score >= PASS_MARK * len(layout)
    claimed = QuizAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        submitted_at=now, answers={str(q): c for q, c in answers.items()}, score=score, passed=passed
    )
    if not claimed:
        raise CourseError(_("This quiz was already sent, perhaps from another tab. See the result below."))
    attempt.refresh_from_db()
    audit_log(attempt, "quiz.submitted", actor=user, data={"score": score, "total": len(layout), "passed": passed})
    if passed:
        _complete(user=user, course=attempt.course, on=timezone.localdate(now), attempt=attempt)
        training_changed_announce(user_ids=[user.pk])
    return attempt


@dataclass
class QuestionDetails:
    text: str
    choices: list[tuple[str, bool]]  # (answer, is right)
    is_active: bool = True


@transaction.atomic
def question_save(*, actor, course: Course, details: QuestionDetails, question: Question | None = None) -> Question:
    _require_keeper(actor, course)
    choices = [(text.strip(), right) for text, right in details.choices if text.strip()]
    errors = {}
    if not details.text.strip():
        errors["text"] = _("Write the question.")
    if len(choices) < 2:
        errors["choices"] = _("Give at least two answers.")
    elif sum(right for _text, right in choices) != 1:
        errors["choices"] = _("Mark exactly one answer as the right one.")
    if errors:
        raise InvalidDetails(errors)
    creating = question is None
    if creating:
        question = Question(course=course, position=course.questions.count() + 1)
    question.text = details.text.strip()
    question.is_active = details.is_active
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(Choice(question=question, text=text, is_correct=right) for text, right in choices)
    audit_log(question, "question.created" if creating else "question.updated", actor=actor)
    return question
