"""The catalogue: courses, what counts as what, and the self-study course sent to someone."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log
from core.locks import locked
from core.text import clean_name

from ..models import Course
from ..selectors import people_one_may_sign_up
from .base import CourseError, InvalidDetails, NotAllowed, _mail, _require_adviser, _require_keeper
from .training import training_changed_announce


@dataclass
class CourseDetails:
    title: str
    slug: str
    description: str
    audience: str
    duration_minutes: int
    format: str
    # Required by the gate of the organisation that runs it (a regional course: each organisation
    # says so itself, with course_requirement_set).
    required_for_editors: bool = False
    valid_months: int | None = None
    counts_as: Course | None = None
    chapters: list = field(default_factory=list)
    is_published: bool = True


@transaction.atomic
def course_save(*, actor, details: CourseDetails, course: Course | None = None, regional: bool = False) -> Course:
    """Make or change a course. A new one is the actor's organisation's, or with `regional` (a
    super-administrator only) a regional course offered to every organisation."""
    creating = course is None
    if creating:
        course = Course(organisation_id=None if regional else actor.organisation_id)
    _require_keeper(actor, course)
    if not creating:
        course = locked(course)
    required_before = _required_ids(course)
    before = (course.valid_months, course.counts_as_id, course.is_published)
    if details.counts_as is not None and not details.counts_as.is_offered_to(course.organisation_id):
        raise InvalidDetails({"counts_as": _("Choose a course of your organisation or a regional course.")})
    for name in (
        "title",
        "slug",
        "description",
        "audience",
        "duration_minutes",
        "format",
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
    if course.organisation_id is not None:
        if details.required_for_editors:
            course.required_by.add(course.organisation_id)
        else:
            course.required_by.remove(course.organisation_id)
    audit_log(course, "course.created" if creating else "course.updated", actor=actor, data={"title": course.title})
    after = (course.valid_months, course.counts_as_id, course.is_published)
    if before != after or required_before != _required_ids(course):
        # What counts as trained may have changed for everyone.
        training_changed_announce(user_ids=None)
    return course


def _required_ids(course: Course) -> set[int]:
    return set(course.required_by.values_list("pk", flat=True)) if course.pk else set()


@transaction.atomic
def course_requirement_set(*, actor, course: Course, organisation_id: int, required: bool) -> bool:
    """The advisers of an organisation say whether its gate requires `course`: one of its own,
    or a regional course it accepts. Returns whether anything changed."""
    _require_adviser(actor, organisation_id)
    if not course.is_offered_to(organisation_id):
        raise NotAllowed(_("Your organisation can require only its own courses and the regional ones."))
    if required and not course.is_published:
        raise CourseError(_("Publish the course before the gate requires it."))
    course = locked(course)
    if required == course.required_by.filter(pk=organisation_id).exists():
        return False
    if required:
        course.required_by.add(organisation_id)
    else:
        course.required_by.remove(organisation_id)
    audit_log(
        course,
        "course.required" if required else "course.not_required",
        actor=actor,
        data={"organisation": organisation_id},
    )
    training_changed_announce(user_ids=None)
    return True


@transaction.atomic
def self_study_send(*, actor, course: Course, person) -> None:
    """A leader or an adviser sends someone the self-study course that counts as the required
    one: an e-mail with the link, from them."""
    if not course.is_self_study or not course.is_published:
        raise CourseError(_("Only a published self-study course can be sent."))
    if not course.is_offered_to(person.organisation_id):
        raise NotAllowed(_("This course is not offered to this person's organisation."))
    if not person.is_active:
        raise NotAllowed(_("This person no longer works here."))
    if not people_one_may_sign_up(actor).filter(pk=person.pk).exists():
        raise NotAllowed(_("You can send courses only to the people in the units you lead."))
    audit_log(course, "course.self_study_sent", actor=actor, data={"person": person.pk})
    _mail(person, "self_study_sent", {"course": course, "sent_by": actor})
