from django import template
from django.utils import formats
from django.utils.translation import gettext_lazy as _

register = template.Library()

AUDIT_TEXT = {
    "session.created": _("The session was created"),
    "session.updated": _("The session was changed"),
    "session.cancelled": _("The session was cancelled"),
}


@register.filter
def course_audit_text(entry) -> str:
    return str(AUDIT_TEXT.get(entry.action, entry.action))


@register.filter(expects_localtime=True)
def end_time(value) -> str:
    """The end of a span whose start is written with its date and time: "09.00–12.00", not
    "kl. 09.00–kl. 12.00". The Norwegian time format puts "kl." before every time; after the
    dash it is said once already."""
    if not value:
        return ""
    return formats.time_format(value, formats.get_format("TIME_FORMAT").replace(r"\k\l. ", ""))


@register.filter
def gaps_text(gaps) -> str:
    """A person's missing courses in words, in the language the page or e-mail is written in:
    "Grunnkurs i sosiale media (expired 3 March 2026); …"."""
    return "; ".join(str(gap) for gap in gaps)
