"""The long tables of a session (up to hundreds of participants), built in Python.

The template language costs a few microseconds per tag, and a row of these tables has a
dozen: with 200 participants that was most of the page's time. The markup is what the
template gave (portal-table-cards rows with data-label). Every value is escaped with the
standard library's html.escape (quotes too) before the row is marked safe."""

from html import escape

from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import Attendance, EnrollmentStatus


def participant_rows(enrollments) -> str:
    name, status, signed, attendance = (escape(_(text)) for text in ("Name", "Status", "Signed up", "Attendance"))
    labels = {value: escape(str(label)) for value, label in EnrollmentStatus.choices}
    marks = {value: escape(str(label)) for value, label in Attendance.choices}
    by = _("by %(name)s")
    rows = []
    for e in enrollments:
        when = formats.date_format(timezone.localtime(e.signed_up_at), "SHORT_DATETIME_FORMAT")
        if e.signed_up_by_id:
            when = f"{when} ({by % {'name': e.signed_up_by.full_name}})"
        color = "success" if e.status == EnrollmentStatus.CONFIRMED else "warning"
        rows.append(
            f'<tr><td data-label="{name}">{escape(e.user.full_name)}</td>'
            f'<td data-label="{status}"><span class="ds-tag" data-color="{color}">{labels[e.status]}</span></td>'
            f'<td data-label="{signed}">{escape(when)}</td>'
            f'<td data-label="{attendance}">{marks.get(e.attendance, "–")}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 (every value above is escaped)


def attendance_rows(enrollments) -> str:
    name, attendance = escape(_("Name")), escape(_("Attendance"))
    choices = [(value, escape(str(label))) for value, label in Attendance.choices]
    rows = []
    for e in enrollments:
        person = escape(e.user.full_name)
        radios = "".join(
            f'<span class="ds-field portal-check"><input class="ds-input" type="radio" name="attendance-{e.pk}" '
            f'id="a-{e.pk}-{value}" value="{value}"{" checked" if e.attendance == value else ""}>'
            f'<label class="ds-label" data-weight="regular" for="a-{e.pk}-{value}">{label}</label></span>'
            for value, label in choices
        )
        rows.append(
            f'<tr><th scope="row" data-label="{name}">{person}</th><td data-label="{attendance}">'
            f'<fieldset class="ds-fieldset portal-inline-choices"><legend class="ds-sr-only">{person}</legend>'
            f"{radios}</fieldset></td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 (every value above is escaped)
