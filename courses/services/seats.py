"""Seats: signing up and giving up a seat, and the waiting list.

A sign-up locks the session's row first, so people signing up at the same moment are counted
one after the other and nobody is overbooked; the rest go on the waiting list in the order
they signed up."""

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log

from .. import calendar
from ..models import Enrollment, Session
from ..selectors import people_one_may_sign_up
from .base import (
    CourseError,
    E,
    NotAllowed,
    _locked_session,
    _mail,
    _require_adviser,
    _send_calendar,
    _with_people,
    waitlist_cutoff,
)


@transaction.atomic
def enroll(*, actor, session: Session, person=None, now=None) -> Enrollment:
    """Sign `person` (by default the actor) up: a seat if one is free and nobody waits
    for it, otherwise a place on the waiting list."""
    person = person or actor
    if not person.is_active:
        raise NotAllowed(_("This person no longer works here."))
    if person.pk != actor.pk and not people_one_may_sign_up(actor).filter(pk=person.pk).exists():
        raise NotAllowed(_("You can sign up only yourself and the people in the units you lead."))
    if person.organisation_id != session.organisation_id:
        raise NotAllowed(_("This session is held for the staff of another organisation."))
    current = _locked_session(session)
    # The moment of sign-up is taken once the session is locked: the waiting list's order
    # is then the order in which seats were decided, however long each request waited.
    now = now or timezone.now()
    if current.is_cancelled:
        raise CourseError(_("This session is cancelled. Choose another session of the course."))
    if current.has_started(now):
        raise CourseError(_("This session has already started. Choose a later session."))
    enrollment = Enrollment.objects.filter(session=current, user=person).first()
    if enrollment and enrollment.status != E.CANCELLED:
        if enrollment.status == E.CONFIRMED:
            raise CourseError(_("%(name)s already has a seat on this session.") % {"name": person})
        raise CourseError(_("%(name)s is already on the waiting list for this session.") % {"name": person})
    confirmed = current.enrollments.confirmed().count()
    someone_waits = current.enrollments.waiting().exists()
    status = E.CONFIRMED if confirmed < current.capacity and not someone_waits else E.WAITING
    if enrollment is None:
        enrollment = Enrollment(session=current, user=person)
    enrollment.status = status
    enrollment.signed_up_at = now
    enrollment.signed_up_by = actor if actor.pk != person.pk else None
    enrollment.confirmed_at = now if status == E.CONFIRMED else None
    enrollment.reminded_at = enrollment.reminded_soon_at = None
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        # The same person signed up in another tab a moment ago.
        raise CourseError(_("%(name)s is already signed up for this session.") % {"name": person}) from None
    enrollment.session = current
    audit_log(enrollment, "enrollment.signed_up", actor=actor, data={"status": status, "person": person.pk})
    context = {"signed_up_by": enrollment.signed_up_by}
    if status == E.CONFIRMED:
        _send_calendar(enrollment, "enrollment_confirmed", calendar.REQUEST, context)
    else:
        context["position"] = current.enrollments.waiting().filter(signed_up_at__lte=now).count()
        _mail(person, "enrollment_waiting", {"enrollment": enrollment, **context})
    return enrollment


@transaction.atomic
def enrollment_cancel(*, actor, enrollment: Enrollment, now=None) -> Enrollment:
    """Give up a seat or leave the waiting list, up to the start: one's own place, or one of
    the people one may sign up (advisers anyone, a leader the people of the units they lead). A
    freed seat goes to the first on the waiting list, up to the cut-off before the start."""
    now = now or timezone.now()
    if (
        actor.pk != enrollment.user_id
        # The advisers of the session's organisation: anyone's, also of a person who has left.
        and not actor.advises(enrollment.session.organisation_id)
        and not people_one_may_sign_up(actor).filter(pk=enrollment.user_id).exists()
    ):
        raise NotAllowed(_("You can cancel only your own place and those of the people in the units you lead."))
    session = _locked_session(enrollment.session)
    current = Enrollment.objects.select_related("user").get(pk=enrollment.pk)
    if current.status == E.CANCELLED:
        raise CourseError(_("This place is already cancelled."))
    if session.has_started(now):
        raise CourseError(_("The session has started; a place can no longer be cancelled."))
    had_seat = current.status == E.CONFIRMED
    current.status = E.CANCELLED
    current.save(update_fields=["status", "updated_at"])
    current.session = session
    audit_log(current, "enrollment.cancelled", actor=actor, data={"had_seat": had_seat})
    by_someone_else = actor if actor.pk != current.user_id else None
    if had_seat:
        _send_calendar(current, "enrollment_cancelled", calendar.CANCEL, {"cancelled_by": by_someone_else})
        _promote(session, now=now)
    elif by_someone_else:
        _mail(current.user, "waiting_cancelled", {"session": session, "cancelled_by": by_someone_else})
    return current


def _promote(session: Session, *, now, force: bool = False) -> list[Enrollment]:
    """Give free seats to the waiting list in order, up to the cut-off (or now, `force`).
    Called with the session's row locked."""
    if session.is_cancelled or session.has_started(now):
        return []
    if not force and now > session.starts_at - waitlist_cutoff():
        return []  # too late to count on someone coming; the advisers see the free seat
    free = session.capacity - session.enrollments.confirmed().count()
    promoted = []
    for enrollment in _with_people(session.enrollments.waiting()[: max(free, 0)]):
        enrollment.status = E.CONFIRMED
        enrollment.confirmed_at = now
        enrollment.save(update_fields=["status", "confirmed_at", "updated_at"])
        enrollment.session = session
        audit_log(enrollment, "enrollment.promoted", data={"person": enrollment.user_id})
        _send_calendar(enrollment, "enrollment_promoted", calendar.REQUEST)
        promoted.append(enrollment)
    return promoted


@transaction.atomic
def session_fill_from_waiting_list(*, actor, session: Session, now=None) -> list[Enrollment]:
    """An adviser gives the free seats to the waiting list after the cut-off too."""
    _require_adviser(actor, session.organisation_id)
    current = _locked_session(session)
    promoted = _promote(current, now=now or timezone.now(), force=True)
    if not promoted:
        raise CourseError(_("There is no free seat, or nobody on the waiting list."))
    return promoted


def promote_waiting(*, now) -> int:
    """The periodic safety net: free seats before the cut-off go to the waiting list."""
    candidates = (
        Session.objects.upcoming(now)
        .filter(starts_at__gt=now + waitlist_cutoff())
        .filter(Exists(Enrollment.objects.waiting().filter(session_id=OuterRef("pk"))))
        .with_counts()
        .filter(seats_taken__lt=F("capacity"))
    )
    promoted = 0
    for session in candidates:
        with transaction.atomic():
            promoted += len(_promote(_locked_session(session), now=now))
    return promoted
