"""The catalogue: courses, what counts as what, and the self-study course sent to someone."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log
from core.locks import locked
from core.text import clean_name

from ..models import Course
from ..selectors import people_one_may_sign_up
from .base import CourseError, InvalidDetails, NotAllowed, _mail, _require_adviser
from .training import training_changed_announce


@dataclass
class CourseDetails:
    title: str
    slug: str
    description: str
    audience: str
    duration_minutes: int
    format: str
    required_for_editors: bool = False
    valid_months: int | None = None
    counts_as: Course | None = None
    chapters: list = field(default_factory=list)
    is_published: bool = True


@transaction.atomic
def course_save(*, actor, details: CourseDetails, course: Course | None = None) -> Course:
    _require_adviser(actor)
    creating = course is None
    course = Course() if creating else locked(course)
    before = (course.required_for_editors, course.valid_months, course.counts_as_id, course.is_published)
    for name in (
        "title",
        "slug",
        "description",
        "audience",
        "duration_minutes",
        "format",
        "required_for_editors",
        "valid_months",
        "counts_as",
        "is_published",
    ):
        setattr(course, name, getattr(details, name))
    course.title = clean_name(course.title)
    if course.counts_as_id and course.counts_as_id == course.pk:
        raise InvalidDetails({"counts_as": _("A course cannot count as itself.")})
    course.full_clean()
    course.save()
    course.chapters.set(details.chapters)
    audit_log(course, "course.created" if creating else "course.updated", actor=actor, data={"title": course.title})
    after = (course.required_for_editors, course.valid_months, course.counts_as_id, course.is_published)
    if before != after:
        # What counts as trained may have changed for everyone.
        training_changed_announce(user_ids=None)
    return course


@transaction.atomic
def self_study_send(*, actor, course: Course, person) -> None:
    """A leader or an adviser sends someone the self-study course that counts as the required
    one: an e-mail with the link, from them."""
    if not course.is_self_study or not course.is_published:
        raise CourseError(_("Only a published self-study course can be sent."))
    if not person.is_active:
        raise NotAllowed(_("This person no longer works here."))
    if not people_one_may_sign_up(actor).filter(pk=person.pk).exists():
        raise NotAllowed(_("You can send courses only to the people in the units you lead."))
    audit_log(course, "course.self_study_sent", actor=actor, data={"person": person.pk})
    _mail(person, "self_study_sent", {"course": course, "sent_by": actor})
