"""Courses, sessions, signing up, the waiting list, attendance, the quiz and the calendar
address: what works, and the bad input and misuse the issue names."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from core.models import OutboundEmail
from courses import services
from courses.models import Choice, Completion, Enrollment, EnrollmentStatus, QuizAttempt, Session

from .conftest import make_user
from .courses_helpers import right_answers, train

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    # The messages are checked in English; the pages' languages are tested elsewhere.
    translation.activate("en")


def mails(template):
    return list(OutboundEmail.objects.filter(template=f"courses/{template}"))


def test_signing_up_gives_a_seat_and_an_invitation(cast, make_session):
    session = make_session()
    enrollment = services.enroll(actor=cast["member"], session=session)
    assert enrollment.status == EnrollmentStatus.CONFIRMED and enrollment.sequence == 0
    [mail] = mails("enrollment_confirmed")
    assert mail.to == [cast["member"].email]
    [attachment] = mail.attachments.all()
    assert attachment.mimetype == "text/calendar; method=REQUEST"
    assert b"METHOD:REQUEST" in bytes(attachment.content)


def test_signing_up_twice_is_refused(cast, make_session):
    session = make_session()
    services.enroll(actor=cast["member"], session=session)
    with pytest.raises(services.CourseError, match="already has a seat"):
        services.enroll(actor=cast["member"], session=session)
    assert Enrollment.objects.filter(session=session).count() == 1
    assert len(mails("enrollment_confirmed")) == 1


def test_a_full_session_puts_people_on_the_waiting_list_in_order(cast, make_session):
    session = make_session(capacity=1)
    first = services.enroll(actor=cast["member"], session=session)
    second = services.enroll(actor=cast["deputy"], session=session)
    third = services.enroll(actor=cast["other"], session=session)
    assert [first.status, second.status, third.status] == ["confirmed", "waiting", "waiting"]
    assert [m.to for m in mails("enrollment_waiting")] == [[cast["deputy"].email], [cast["other"].email]]
    assert "2" in mails("enrollment_waiting")[1].body_text  # number two on the list
    with pytest.raises(services.CourseError, match="already on the waiting list"):
        services.enroll(actor=cast["deputy"], session=session)


def test_a_cancelled_or_started_session_takes_no_sign_ups(cast, make_session):
    cancelled = make_session()
    services.session_cancel(actor=cast["adviser"], session=cancelled, reason="For få påmelde.")
    with pytest.raises(services.CourseError, match="cancelled"):
        services.enroll(actor=cast["member"], session=cancelled)
    started = make_session(starts_in=timedelta(minutes=-5))
    with pytest.raises(services.CourseError, match="already started"):
        services.enroll(actor=cast["member"], session=started)
    assert not Enrollment.objects.exists()


def test_a_leader_signs_up_people_of_their_unit_but_nobody_else(cast, make_session):
    session = make_session()
    enrollment = services.enroll(actor=cast["leader"], session=session, person=cast["member"])
    assert enrollment.user == cast["member"] and enrollment.signed_up_by == cast["leader"]
    [mail] = mails("enrollment_confirmed")
    assert cast["leader"].full_name in mail.body_text
    with pytest.raises(services.NotAllowed):
        services.enroll(actor=cast["leader"], session=session, person=cast["other"])
    with pytest.raises(services.NotAllowed):
        services.enroll(actor=cast["member"], session=session, person=cast["deputy"])
    assert not Enrollment.objects.filter(user__in=[cast["other"], cast["deputy"]]).exists()


def test_a_leader_can_undo_a_sign_up_of_their_people_but_nobody_elses(cast, make_session):
    session = make_session(capacity=1)
    place = services.enroll(actor=cast["leader"], session=session, person=cast["member"])
    waiting = services.enroll(actor=cast["other"], session=session)
    with pytest.raises(services.NotAllowed):
        services.enrollment_cancel(actor=cast["leader"], enrollment=waiting)  # another unit's person
    with pytest.raises(services.NotAllowed):
        services.enrollment_cancel(actor=cast["deputy"], enrollment=place)  # a colleague, not the leader
    services.enrollment_cancel(actor=cast["leader"], enrollment=place)
    statuses = dict(Enrollment.objects.values_list("user__email", "status"))
    assert statuses == {cast["member"].email: "cancelled", cast["other"].email: "confirmed"}
    [cancel] = mails("enrollment_cancelled")
    assert cancel.to == [cast["member"].email]
    assert f"{cast['leader'].full_name} har meldt deg av" in cancel.body_text  # who did it
    # A place on the waiting list taken away by the leader: the person is told too.
    waiting = services.enroll(actor=cast["leader"], session=session, person=cast["deputy"])
    assert waiting.status == "waiting"
    services.enrollment_cancel(actor=cast["leader"], enrollment=waiting)
    [told] = mails("waiting_cancelled")
    assert told.to == [cast["deputy"].email] and cast["leader"].full_name in told.body_text
    assert "venteliste" in told.subject


def test_an_adviser_cancels_the_place_of_someone_who_has_left(cast, make_session):
    session = make_session()
    place = services.enroll(actor=cast["member"], session=session)
    cast["member"].is_active = False
    cast["member"].save()
    services.enrollment_cancel(actor=cast["adviser"], enrollment=place)
    assert Enrollment.objects.get(pk=place.pk).status == "cancelled"


def test_a_freed_seat_goes_to_the_first_on_the_list_with_an_invitation(cast, make_session):
    session = make_session(capacity=1)
    first = services.enroll(actor=cast["member"], session=session)
    services.enroll(actor=cast["deputy"], session=session)
    services.enroll(actor=cast["other"], session=session)
    services.enrollment_cancel(actor=cast["member"], enrollment=first)
    statuses = dict(Enrollment.objects.values_list("user__email", "status"))
    assert statuses == {
        cast["member"].email: "cancelled",
        cast["deputy"].email: "confirmed",
        cast["other"].email: "waiting",
    }
    [cancel] = mails("enrollment_cancelled")
    assert cancel.attachments.get().mimetype == "text/calendar; method=CANCEL"
    [promoted] = mails("enrollment_promoted")
    assert promoted.to == [cast["deputy"].email]
    assert promoted.attachments.get().mimetype == "text/calendar; method=REQUEST"


def test_leaving_the_waiting_list_frees_no_seat_and_keeps_the_order_of_the_rest(cast, make_session):
    session = make_session(capacity=1)
    services.enroll(actor=cast["member"], session=session)
    second = services.enroll(actor=cast["deputy"], session=session)
    third = services.enroll(actor=cast["other"], session=session)
    services.enrollment_cancel(actor=cast["deputy"], enrollment=second)
    statuses = dict(Enrollment.objects.values_list("user__email", "status"))
    assert statuses == {
        cast["member"].email: "confirmed",
        cast["deputy"].email: "cancelled",
        cast["other"].email: "waiting",
    }
    assert not mails("enrollment_cancelled") and not mails("enrollment_promoted")  # no seat, no calendar to cancel
    with pytest.raises(services.NotAllowed):
        services.enrollment_cancel(actor=cast["member"], enrollment=third)
    # When the seat frees, the one still waiting gets it.
    services.enrollment_cancel(actor=cast["member"], enrollment=Enrollment.objects.get(user=cast["member"]))
    third.refresh_from_db()
    assert third.status == EnrollmentStatus.CONFIRMED


def test_a_seat_freed_within_the_cut_off_stays_free_for_the_advisers(cast, make_session, settings):
    session = make_session(capacity=1, starts_in=timedelta(hours=10))
    first = services.enroll(actor=cast["member"], session=session)
    waiting = services.enroll(actor=cast["deputy"], session=session)
    services.enrollment_cancel(actor=cast["member"], enrollment=first)
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.WAITING and not mails("enrollment_promoted")
    # A newcomer does not jump the queue either.
    assert services.enroll(actor=cast["other"], session=session).status == EnrollmentStatus.WAITING
    # The advisers see it, and can hand the seat on.
    services.session_fill_from_waiting_list(actor=cast["adviser"], session=session)
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.CONFIRMED
    with pytest.raises(services.NotAllowed):
        services.session_fill_from_waiting_list(actor=cast["member"], session=session)


def test_cancelling_ones_place_after_the_start_is_refused(cast, make_session):
    session = make_session()
    enrollment = services.enroll(actor=cast["member"], session=session)
    later = session.starts_at + timedelta(minutes=1)
    with pytest.raises(services.CourseError, match="started"):
        services.enrollment_cancel(actor=cast["member"], enrollment=enrollment, now=later)
    with pytest.raises(services.NotAllowed):
        services.enrollment_cancel(actor=cast["deputy"], enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.CONFIRMED


def test_capacity_below_those_with_a_seat_is_refused_with_a_clear_message(cast, make_session):
    session = make_session(capacity=3)
    for role in ("member", "deputy"):
        services.enroll(actor=cast[role], session=session)
    details = services.SessionDetails(
        starts_at=session.starts_at, ends_at=session.ends_at, capacity=1, place=session.place
    )
    with pytest.raises(services.InvalidDetails) as refused:
        services.session_update(actor=cast["adviser"], session=session, details=details)
    assert "2 people already have a seat" in str(refused.value.errors["capacity"])
    session.refresh_from_db()
    assert session.capacity == 3


def test_end_before_start_is_refused(cast, basic_course):
    start = timezone.now() + timedelta(days=3)
    details = services.SessionDetails(starts_at=start, ends_at=start - timedelta(hours=1), capacity=5, place="Rom 1")
    with pytest.raises(services.InvalidDetails) as refused:
        services.session_create(actor=cast["adviser"], course=basic_course, details=details)
    assert "ends_at" in refused.value.errors
    assert not Session.objects.exists()


def test_only_advisers_create_sessions(cast, basic_course):
    start = timezone.now() + timedelta(days=3)
    details = services.SessionDetails(starts_at=start, ends_at=start + timedelta(hours=1), capacity=5, place="Rom 1")
    for role in ("member", "leader", "admin"):
        with pytest.raises(services.NotAllowed):
            services.session_create(actor=cast[role], course=basic_course, details=details)


def test_a_change_of_time_sends_an_updated_invitation_with_a_higher_sequence(cast, make_session):
    session = make_session(capacity=2)
    services.enroll(actor=cast["member"], session=session)
    services.enroll(actor=cast["deputy"], session=session)
    services.enroll(actor=cast["other"], session=session)  # waiting: gets no calendar change
    start = session.starts_at + timedelta(hours=1)
    details = services.SessionDetails(
        starts_at=start, ends_at=start + timedelta(hours=3), capacity=3, place=session.place
    )
    services.session_update(actor=cast["adviser"], session=session, details=details)
    changed = mails("session_changed")
    assert sorted(m.to[0] for m in changed) == sorted([cast["member"].email, cast["deputy"].email])
    assert b"SEQUENCE:1" in bytes(changed[0].attachments.get().content)
    # The extra seat went to the waiting list at once.
    assert Enrollment.objects.get(user=cast["other"]).status == EnrollmentStatus.CONFIRMED


def test_cancelling_a_session_tells_everyone_and_cancels_the_calendar_entries(cast, make_session):
    session = make_session(capacity=1)
    services.enroll(actor=cast["member"], session=session)
    services.enroll(actor=cast["deputy"], session=session)
    services.session_cancel(actor=cast["adviser"], session=session, reason="Kursleiaren er sjuk.")
    sent = {m.to[0]: m for m in mails("session_cancelled")}
    assert set(sent) == {cast["member"].email, cast["deputy"].email}
    assert sent[cast["member"].email].attachments.get().mimetype == "text/calendar; method=CANCEL"
    assert not sent[cast["deputy"].email].attachments.exists()  # on the waiting list: no calendar entry
    assert "Kursleiaren er sjuk." in sent[cast["deputy"].email].body_text
    with pytest.raises(services.CourseError, match="already cancelled"):
        services.session_cancel(actor=cast["adviser"], session=session, reason="Igjen.")


def test_attendance_records_completions_and_only_after_the_start(cast, make_session):
    session = make_session()
    present = services.enroll(actor=cast["member"], session=session)
    absent = services.enroll(actor=cast["deputy"], session=session)
    marks = {present.pk: "attended", absent.pk: "absent"}
    with pytest.raises(services.CourseError, match="once the session has started"):
        services.attendance_mark(actor=cast["adviser"], session=session, marks=marks)
    assert not Completion.objects.exists()
    after = session.starts_at + timedelta(hours=4)
    with pytest.raises(services.NotAllowed):
        services.attendance_mark(actor=cast["member"], session=session, marks=marks, now=after)
    [completion] = services.attendance_mark(actor=cast["adviser"], session=session, marks=marks, now=after)
    assert completion.user == cast["member"] and completion.completed_on == timezone.localdate(session.starts_at)
    assert completion.valid_until.year == completion.completed_on.year + 2
    # Marking the same again records nothing twice; correcting to absent takes it away.
    assert services.attendance_mark(actor=cast["adviser"], session=session, marks=marks, now=after) == []
    services.attendance_mark(actor=cast["adviser"], session=session, marks={present.pk: "absent"}, now=after)
    assert not Completion.objects.exists()


def test_an_instructor_marks_attendance_of_their_own_session(cast, make_session):
    session = make_session(instructors=[cast["other"]])
    enrollment = services.enroll(actor=cast["member"], session=session)
    after = session.starts_at + timedelta(minutes=30)
    services.attendance_mark(actor=cast["other"], session=session, marks={enrollment.pk: "attended"}, now=after)
    assert Completion.objects.filter(user=cast["member"]).exists()


def test_a_new_completion_takes_the_place_of_the_old_and_keeps_history(cast, basic_course):
    old = train(cast["member"], basic_course, on=timezone.localdate() - timedelta(days=800))
    new = train(cast["member"], basic_course)
    assert list(Completion.objects.filter(user=cast["member"])) == [new, old]
    assert not old.is_valid_on(timezone.localdate()) and new.is_valid_on(timezone.localdate())
    assert new.number != old.number


def test_the_quiz_passes_at_eighty_percent_and_records_a_completion(cast, self_study):
    attempt = services.quiz_start(user=cast["member"], course=self_study)
    assert attempt.total == 10
    answers = right_answers(attempt)
    wrong_ids = dict(
        Choice.objects.filter(question__course=self_study, is_correct=False).values_list("question_id", "pk")
    )
    for qid in list(answers)[:2]:  # 8 of 10 right
        answers[qid] = wrong_ids[qid]
    attempt = services.quiz_submit(user=cast["member"], attempt=attempt, answers=answers)
    assert attempt.passed and attempt.score == 8
    completion = Completion.objects.get(user=cast["member"])
    assert completion.course == self_study and completion.attempt == attempt


def test_a_failed_quiz_can_be_taken_again(cast, self_study):
    attempt = services.quiz_start(user=cast["member"], course=self_study)
    answers = right_answers(attempt)
    wrong_ids = dict(
        Choice.objects.filter(question__course=self_study, is_correct=False).values_list("question_id", "pk")
    )
    for qid in list(answers)[:3]:  # 7 of 10
        answers[qid] = wrong_ids[qid]
    failed = services.quiz_submit(user=cast["member"], attempt=attempt, answers=answers)
    assert failed.passed is False and not Completion.objects.exists()
    again = services.quiz_start(user=cast["member"], course=self_study)
    assert again.pk != failed.pk
    assert services.quiz_submit(user=cast["member"], attempt=again, answers=right_answers(again)).passed


def test_the_quiz_is_shuffled(cast, self_study):
    orders = set()
    for person in [cast["member"], cast["deputy"], cast["leader"], cast["other"], cast["other_leader"]]:
        attempt = services.quiz_start(user=person, course=self_study)
        orders.add(tuple(q for q, _c in attempt.layout))
        orders.add(tuple(c for _q, choices in attempt.layout for c in choices))
    assert len(orders) > 2


def test_a_second_tab_gets_the_same_attempt_and_a_second_submission_changes_nothing(cast, self_study):
    first_tab = services.quiz_start(user=cast["member"], course=self_study)
    second_tab = services.quiz_start(user=cast["member"], course=self_study)
    assert first_tab.pk == second_tab.pk
    services.quiz_submit(user=cast["member"], attempt=first_tab, answers=right_answers(first_tab))
    with pytest.raises(services.CourseError, match="already sent"):
        services.quiz_submit(user=cast["member"], attempt=second_tab, answers=right_answers(second_tab))
    assert Completion.objects.filter(user=cast["member"]).count() == 1
    assert QuizAttempt.objects.filter(user=cast["member"]).count() == 1


def test_a_quiz_with_unanswered_questions_or_foreign_answers_is_refused(cast, self_study):
    attempt = services.quiz_start(user=cast["member"], course=self_study)
    answers = right_answers(attempt)
    qid = next(iter(answers))
    with pytest.raises(services.CourseError, match="Answer every question"):
        services.quiz_submit(
            user=cast["member"], attempt=attempt, answers={k: v for k, v in answers.items() if k != qid}
        )
    with pytest.raises(services.CourseError):
        services.quiz_submit(user=cast["member"], attempt=attempt, answers={**answers, qid: 999999})
    with pytest.raises(services.NotAllowed):
        services.quiz_submit(user=cast["deputy"], attempt=attempt, answers=answers)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_a_quiz_needs_eight_usable_questions(cast, self_study):
    self_study.questions.filter(position__gt=7).update(is_active=False)
    with pytest.raises(services.CourseError, match="not ready"):
        services.quiz_start(user=cast["member"], course=self_study)


def test_a_question_needs_two_answers_and_exactly_one_right(cast, self_study):
    for choices in ([("Berre eitt", True)], [("A", True), ("B", True)], [("A", False), ("B", False)]):
        with pytest.raises(services.InvalidDetails):
            services.question_save(
                actor=cast["adviser"], course=self_study, details=services.QuestionDetails(text="Kva?", choices=choices)
            )


def test_the_calendar_address_works_until_revoked_or_expired(cast, make_session):
    _feed, token = services.feed_create(user=cast["member"])
    assert services.feed_lookup(token).user == cast["member"]
    assert services.feed_lookup(token, now=timezone.now() + timedelta(days=400)) is None
    _newer, newer_token = services.feed_create(user=cast["member"])
    assert services.feed_lookup(token) is None  # a new address retires the old one
    services.feed_revoke(user=cast["member"])
    assert services.feed_lookup(newer_token) is None
    assert not _feed.token_hash.startswith(token[:8])  # only a hash is kept


def test_a_person_who_has_left_cannot_be_signed_up(cast, make_session):
    session = make_session()
    leaver = make_user("borte@example.no", "Borte Vekk", is_active=False)
    with pytest.raises(services.NotAllowed):
        services.enroll(actor=cast["adviser"], session=session, person=leaver)


def test_the_video_link_goes_only_to_those_with_a_seat(cast, make_session):
    session = make_session(capacity=1, place="", video_link="https://teams.example.no/grunnkurs")
    services.enroll(actor=cast["member"], session=session)
    services.enroll(actor=cast["deputy"], session=session)
    assert "https://teams.example.no/grunnkurs" in mails("enrollment_confirmed")[0].body_text
    [waiting] = mails("enrollment_waiting")
    assert "teams.example.no" not in waiting.body_text and "teams.example.no" not in waiting.body_html


def test_a_session_is_named_with_the_time_as_the_language_writes_it(make_session):
    session = make_session()
    local = timezone.localtime(session.starts_at)
    with translation.override("nn"):
        assert str(session) == f"{session.course} {local:%d.%m.%Y} kl. {local:%H.%M}"
    with translation.override("en"):
        assert str(session) == f"{session.course} {local:%d.%m.%Y %H:%M}"
