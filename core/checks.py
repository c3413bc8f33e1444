"""The portal's own checks for `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode(app_configs, **kwargs):
    """Demo mode signs with a SECRET_KEY everyone can read and opens the demo mailbox to all."""
    if not settings.DEMO:
        return []
    return [
        Error(
            "The portal runs in demo mode (DEMO=1): its SECRET_KEY is a public constant and the demo "
            "mailbox (/demo/e-post/) is open to anyone.",
            hint="Set DEMO=0 and a SECRET_KEY of your own for any installation people use.",
            id="some_portalen.E001",
        )
    ]
