"""The courses' pages, split by what they show (courses/urls.py names each view)."""

from .catalogue import (
    course_create,
    course_detail,
    course_edit,
    course_list,
    course_requirement,
    question_edit,
    questions,
)
from .feeds import feed, feed_manage
from .quiz import quiz, quiz_result
from .records import certificate, competence, my_record, person_record
from .sessions import (
    attendance,
    send_self_study,
    session_cancel,
    session_create,
    session_detail,
    session_edit,
    session_fill,
    signup,
    withdraw,
)

__all__ = [
    "attendance",
    "certificate",
    "competence",
    "course_create",
    "course_detail",
    "course_edit",
    "course_list",
    "course_requirement",
    "feed",
    "feed_manage",
    "my_record",
    "person_record",
    "question_edit",
    "questions",
    "quiz",
    "quiz_result",
    "send_self_study",
    "session_cancel",
    "session_create",
    "session_detail",
    "session_edit",
    "session_fill",
    "signup",
    "withdraw",
]
