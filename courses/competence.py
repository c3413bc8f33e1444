"""Who lacks which course their organisation requires: the courses' answer to the register's competence gate
(registry/competence.py), given in subscribers.py with what one can do about a gap
(remedies.py)."""

from dataclasses import dataclass
from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Completion, Course, requirements_by_organisation


@dataclass(frozen=True)
class Gap:
    """A required course a person lacks, and the last day their latest completion of it (or of
    a course that counts as it) was valid, if they ever had one."""

    course: Course
    expired: date | None = None

    def __str__(self):
        if self.expired is None:
            return self.course.title
        expired = formats.date_format(self.expired, "DATE_FORMAT")
        return _("%(course)s (expired %(date)s)") % {"course": self.course.title, "date": expired}


def missing_for(people, day=None, completions=None) -> dict[int, list[str]]:
    """{person id: ["Grunnkurs i sosiale media (expired 3 March 2026)", …]} for each of
    `people` lacking a valid completion of a required course."""
    return {pk: [str(gap) for gap in gaps] for pk, gaps in gaps_for(people, day, completions).items()}


def gaps_for(people, day=None, completions=None) -> dict[int, list[Gap]]:
    """{person id: [Gap, …]} for each of `people` lacking a valid completion of a course their
    organisation requires. Three queries, or two when the caller has already read the people's
    `completions` (every one of theirs, or at least those of the required courses and their
    equivalents)."""
    day = day or timezone.localdate()
    people = list({p.pk: p for p in people}.values())
    requirements = requirements_by_organisation({p.organisation_id for p in people})
    if not requirements:
        return {}
    courses = {c.pk: c for required in requirements.values() for c in required}.values()
    ids = {p.pk for p in people if p.organisation_id in requirements}
    wanted = {c.pk: {c.pk, *c.equivalent_ids} for c in courses}
    every = set().union(*wanted.values())
    # For each person and course: the latest date a completion is valid to (None: for ever).
    best: dict[tuple[int, int], object] = {}
    if completions is None:
        rows = Completion.objects.filter(user_id__in=ids, course_id__in=every).values_list(
            "user_id", "course_id", "valid_until"
        )
    else:
        rows = [(c.user_id, c.course_id, c.valid_until) for c in completions if c.course_id in every]
    for user_id, course_id, valid_until in rows:
        key = (user_id, course_id)
        if key not in best or best[key] is not None and (valid_until is None or valid_until > best[key]):
            best[key] = valid_until
    missing: dict[int, list[Gap]] = {}
    for person in people:
        person_id = person.pk
        for course in requirements.get(person.organisation_id, []):
            untils = [best[(person_id, c)] for c in wanted[course.pk] if (person_id, c) in best]
            if any(u is None or u >= day for u in untils):
                continue
            missing.setdefault(person_id, []).append(Gap(course, max(untils) if untils else None))
    return missing
