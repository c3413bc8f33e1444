"""What one can do about a person's missing training, offered where the competence gate
stops an account (registry/competence.py): sign them up for the next session, send them the
self-study course that counts as it, or see their record. Each is offered only to those who
may do it: the person themselves, a leader of their unit, and the Communications Department.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Membership
from registry.competence import Remedy

from .competence import gaps_for
from .models import Course, CourseFormat, Enrollment, Session
from .selectors import people_one_may_sign_up


def may_see_record(viewer, person) -> bool:
    """The person, the advisers of the person's organisation, and a leader of one of the
    person's units."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk or viewer.advises(person.organisation_id):
        return True
    led = viewer.led_unit_ids()
    return bool(led) and Membership.objects.filter(user_id=person.pk, unit_id__in=led).exists()


def remedies_for(people, *, viewer, back_to: str = "") -> dict[int, list[Remedy]]:
    now = timezone.now()
    gaps = gaps_for(people)
    if not gaps:
        return {}
    may_sign_up = set(people_one_may_sign_up(viewer).filter(pk__in=list(gaps)).values_list("pk", flat=True))
    courses = {gap.course.pk: gap.course for person_gaps in gaps.values() for gap in person_gaps}
    equivalents = list(Course.objects.published().filter(counts_as_id__in=list(courses)))
    by_pk = {p.pk: p for p in people}
    # Each person is offered the sessions their own organisation holds, and the self-study
    # versions offered to it: a few queries per organisation among the people (seldom more than one).
    self_study, next_session = {}, {}
    for organisation_id in {by_pk[pk].organisation_id for pk in gaps}:
        offered = [c for c in equivalents if c.is_offered_to(organisation_id)]
        for c in offered:
            if c.format == CourseFormat.SELF_STUDY:
                self_study[(organisation_id, c.counts_as_id)] = c
        for course in courses.values():
            ids = [course.pk, *(c.pk for c in offered if c.counts_as_id == course.pk and not c.is_self_study)]
            next_session[(organisation_id, course.pk)] = (
                Session.objects.upcoming(now).of_organisation(organisation_id).filter(course_id__in=ids).first()
            )
    places = dict(
        Enrollment.objects.active()
        .filter(user_id__in=list(gaps), session__in=Session.objects.upcoming(now).filter(course_id__in=list(courses)))
        .values_list("user_id", "session__starts_at")
    )
    found: dict[int, list[Remedy]] = {}
    for person_id, person_gaps in gaps.items():
        person = by_pk[person_id]
        itself = person_id == viewer.pk
        offers = found.setdefault(person_id, [])
        for gap in person_gaps:
            session = next_session[(person.organisation_id, gap.course.pk)]
            if person_id in places:
                when = formats.date_format(timezone.localtime(places[person_id]), "DATE_FORMAT")
                offers.append(Remedy(_("Signed up for a session on %(date)s.") % {"date": when}))
            elif session is not None and (itself or person_id in may_sign_up):
                when = formats.date_format(timezone.localtime(session.starts_at), "DATE_FORMAT")
                offers.append(
                    Remedy(
                        _("Sign me up for %(date)s") % {"date": when}
                        if itself
                        else _("Sign up for %(date)s") % {"date": when},
                        reverse("courses:signup", args=[session.pk]),
                        {"person": "" if itself else person_id, "next": back_to},
                    )
                )
            study = self_study.get((person.organisation_id, gap.course.pk))
            if study is not None and itself:
                offers.append(Remedy(_("Take the self-study course"), reverse("courses:detail", args=[study.slug])))
            elif study is not None and person_id in may_sign_up:
                offers.append(
                    Remedy(
                        _("Send the self-study course"),
                        reverse("courses:send_self_study", args=[study.slug]),
                        {"person": person_id, "next": back_to},
                    )
                )
        if itself:
            offers.append(Remedy(_("See my courses"), reverse("courses:record")))
        elif may_see_record(viewer, person):
            offers.append(Remedy(_("See their courses"), reverse("courses:person_record", args=[person_id])))
    return found
