"""Every change to courses, sessions, sign-ups, completions and quizzes goes through here:
one function per action, each atomic and audited. Views, the periodic jobs, the demo loader
and tests call these. Split by what they do:

- `courses`: the catalogue, and the self-study course sent to someone;
- `sessions`: sessions planned, changed and cancelled;
- `seats`: signing up, giving up a seat, and the waiting list;
- `completions`: attendance, and completions recorded by the department;
- `quiz`: the self-study quiz and its questions;
- `feeds`: the private calendar address;
- `reminders`: of sessions, and of training about to run out;
- `training`: the competence gate's marks and the competence overview's copy.

Read-only questions are in courses/selectors.py."""

from ..selectors import (
    feed_lookup,
    may_change_course,
    may_make_courses,
    may_mark_attendance,
    may_run_courses,
    people_one_may_sign_up,
    quiz_questions,
)
from .base import CourseError, InvalidDetails, NotAllowed, waitlist_cutoff
from .completions import attendance_mark, completion_record
from .courses import CourseDetails, course_requirement_set, course_save, self_study_send
from .feeds import feed_create, feed_revoke
from .quiz import QuestionDetails, question_save, quiz_start, quiz_submit
from .reminders import remind_expiring, send_session_reminders
from .seats import enroll, enrollment_cancel, promote_waiting, session_fill_from_waiting_list
from .sessions import SessionDetails, session_cancel, session_create, session_update
from .training import EXAMPLES, editor_status_refresh, training_changed_announce, training_expiry_check

__all__ = [
    "EXAMPLES",
    "CourseDetails",
    "CourseError",
    "InvalidDetails",
    "NotAllowed",
    "QuestionDetails",
    "SessionDetails",
    "attendance_mark",
    "completion_record",
    "course_requirement_set",
    "course_save",
    "editor_status_refresh",
    "enroll",
    "enrollment_cancel",
    "feed_create",
    "feed_lookup",
    "feed_revoke",
    "may_change_course",
    "may_mark_attendance",
    "may_make_courses",
    "may_run_courses",
    "people_one_may_sign_up",
    "promote_waiting",
    "question_save",
    "quiz_questions",
    "quiz_start",
    "quiz_submit",
    "remind_expiring",
    "self_study_send",
    "send_session_reminders",
    "session_cancel",
    "session_create",
    "session_fill_from_waiting_list",
    "session_update",
    "training_changed_announce",
    "training_expiry_check",
    "waitlist_cutoff",
]
