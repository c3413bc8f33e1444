"""`{% archive_references plan=plan %}` (or evaluation=…, account=…): the archive's case and
record numbers on a plan's, an evaluation's or an account's history."""

from django import template

from ..selectors import references_for

register = template.Library()


@register.inclusion_tag("archive/_references.html")
def archive_references(plan=None, evaluation=None, account=None):
    packages = references_for(plan=plan, evaluation=evaluation, account=account)
    case = next((p.case_reference for p in packages if p.case_reference), "")
    return {"packages": packages, "case": case}
