from django import template

from accessibility.selectors import statement_url as _statement_url

register = template.Library()


@register.simple_tag(takes_context=True)
def statement_url(context) -> str:
    """The accessibility statement's address for the footer (accessibility.selectors.statement_url)."""
    return _statement_url(context.get("request"))
