"""What the portal itself does, as the handbook states it: `{{portal:key}}` in a chapter is filled
in from the portal's settings and data when the page is shown, never typed by anyone. So an
installation that changes a setting changes the text, and the handbook and the portal cannot drift.

The `portal:` prefix keeps them apart from the advisers' placeholders (`{{key}}`, typed values).
The words are Nynorsk, as the handbook, with the number's agreement ("1 arbeidsdag", "10 arbeidsdagar").
Settings change only at a restart (`settings_fingerprint`); the required courses change in the
database (facts.directives.version counts them)."""

import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.html import escape, format_html


def _count(n: int, one: str, other: str) -> str:
    return f"{n} {one if n == 1 else other}"


def _days(n: int) -> str:
    return _count(n, "dag", "dagar")


def _months(n: int) -> str:
    return _count(n, "månad", "månader")


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def _required_courses(organisation=None):
    from courses.models import Course

    courses = Course.objects.required(organisation)
    return list(courses.only("title", "valid_months").order_by("position", "title"))


def _courses(organisation=None) -> str:
    """The courses the gate of `organisation` requires (each organisation says which)."""
    courses = _required_courses(organisation)
    if not courses:
        return "ingen kurs"
    return _joined(
        [
            f"«{course.title}» ("
            + (f"gjeld i {_months(course.valid_months)})" if course.valid_months else "gjeld utan tidsavgrensing)")
            for course in courses
        ]
    )


def _statuses() -> str:
    from registry.models import AccountStatus

    with translation.override("nn"):
        return _joined([f"«{label}»" for label in AccountStatus.labels])


def _response_text() -> str:
    # The register's one standard text (the account form starts from its two parts), never a copy.
    from registry.models import standard_response_text

    return standard_response_text()


def _response_hours() -> str:
    # When the standard text says someone follows the account ("kvardagar 08–15"), inside a sentence.
    from registry.models import RESPONSE_HOURS_DEFAULT, in_sentence

    return in_sentence(RESPONSE_HOURS_DEFAULT)


def _response_within() -> str:
    # How fast the standard text says the account answers ("innan éin arbeidsdag"), inside a sentence.
    from registry.models import RESPONSE_WITHIN_DEFAULT, in_sentence

    return in_sentence(RESPONSE_WITHIN_DEFAULT)


def mailbox_of(organisation) -> str:
    """The Communications Department's mailbox of `organisation` (None: the default organisation's)."""
    from accounts import organisations

    return (organisation or organisations.default()).mailbox


def _mailbox(*, in_link: bool, organisation=None) -> str:
    address = mailbox_of(organisation)
    if in_link:
        return escape(address)
    return format_html('<a href="mailto:{}">{}</a>', address, address)


# key (after the prefix) → what it says; each a function of nothing but the portal's settings and data.
TEXT = {
    "svartid-plan": lambda: _count(settings.PLAN_ANSWER_WORKING_DAYS, "arbeidsdag", "arbeidsdagar"),
    "forste-evaluering": lambda: _months(settings.EVALUATION_FIRST_MONTHS),
    "evaluering-intervall": lambda: _months(settings.EVALUATION_INTERVAL_MONTHS),
    "evaluering-paminning": lambda: _days(settings.EVALUATION_REMIND_BEFORE_DAYS),
    "evaluering-nedlegging": lambda: _days(settings.EVALUATION_CLOSURE_AFTER_DAYS),
    "kurs-paminning": lambda: _days(settings.COURSE_EXPIRY_NOTICE_DAYS),
    "kurs-krav": _courses,
    "kontostatusar": _statuses,
    "svartekst": _response_text,
    "svartid-timar": _response_hours,
    "svartid-innan": _response_within,
}
# In the order the editors' help lists them.
KEYS = (*TEXT, "postkasse")


def value(name: str, *, in_link: bool = False, organisation=None) -> str | None:
    """The escaped HTML of `{{portal:<name>}}` on `organisation`'s page (None: the default
    organisation), or None when the portal has no such fact."""
    if name not in KEYS:
        return None
    if name == "postkasse":
        return _mailbox(in_link=in_link, organisation=organisation)
    if name == "kurs-krav":
        return escape(_courses(organisation))
    return escape(TEXT[name]())


def settings_fingerprint() -> str:
    """Of every setting behind these facts: they change only at a restart. (The mailbox is the
    organisation's, kept with it: `mailbox_of`.)"""
    state = (
        settings.PLAN_ANSWER_WORKING_DAYS,
        settings.EVALUATION_FIRST_MONTHS,
        settings.EVALUATION_INTERVAL_MONTHS,
        settings.EVALUATION_REMIND_BEFORE_DAYS,
        settings.EVALUATION_CLOSURE_AFTER_DAYS,
        settings.COURSE_EXPIRY_NOTICE_DAYS,
        _response_text(),  # a constant of the code, so it too changes only at a restart
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()[:16]
