"""The long tables of a session (up to hundreds of participants), built in Python.

The template language costs a few microseconds per tag, and a row of these tables has a
dozen: with 200 participants that was most of the page's time. The markup is the same
as a template would give (portal-table-cards rows with data-label), escaped by
format_html."""

from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .models import Attendance, EnrollmentStatus


def participant_rows(enrollments) -> str:
    name, status, signed, attendance = _("Name"), _("Status"), _("Signed up"), _("Attendance")
    labels = dict(EnrollmentStatus.choices)
    marks = dict(Attendance.choices)
    rows = []
    for e in enrollments:
        when = formats.date_format(timezone.localtime(e.signed_up_at), "SHORT_DATETIME_FORMAT")
        if e.signed_up_by_id:
            when = format_html("{} ({})", when, _("by %(name)s") % {"name": e.signed_up_by.full_name})
        rows.append(
            (
                name,
                e.user.full_name,
                status,
                "success" if e.status == EnrollmentStatus.CONFIRMED else "warning",
                labels[e.status],
                signed,
                when,
                attendance,
                marks.get(e.attendance, "–"),
            )
        )
    return format_html_join(
        "\n",
        '<tr><td data-label="{}">{}</td><td data-label="{}"><span class="ds-tag" data-color="{}">{}</span></td>'
        '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>',
        rows,
    )


def attendance_rows(enrollments) -> str:
    name, attendance = _("Name"), _("Attendance")
    choices = list(Attendance.choices)
    rows = []
    for e in enrollments:
        radios = format_html_join(
            "",
            '<span class="ds-field portal-check"><input class="ds-input" type="radio" name="attendance-{}" '
            'id="a-{}-{}" value="{}"{}><label class="ds-label" data-weight="regular" for="a-{}-{}">{}</label></span>',
            (
                (e.pk, e.pk, value, value, " checked" if e.attendance == value else "", e.pk, value, label)
                for value, label in choices
            ),
        )
        rows.append((name, e.user.full_name, attendance, e.user.full_name, radios))
    return format_html_join(
        "\n",
        '<tr><th scope="row" data-label="{}">{}</th><td data-label="{}"><fieldset class="ds-fieldset '
        'portal-inline-choices"><legend class="ds-sr-only">{}</legend>{}</fieldset></td></tr>',
        rows,
    )
