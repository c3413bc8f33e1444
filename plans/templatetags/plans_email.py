from django import template

from plans.snapshot import plan_sections

register = template.Library()


@register.simple_tag
def version_sections(version):
    return plan_sections(version.snapshot)
