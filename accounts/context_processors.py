from django.utils.functional import SimpleLazyObject

from .organisations import of_request


def organisation(request):
    """The page's organisation (accounts/organisations.py) and its Communications Department's
    mailbox, for the header, the footer and every text that names them."""
    current = getattr(request, "organisation", None) or SimpleLazyObject(lambda: of_request(request))
    return {"organisation": current, "COMMS_MAILBOX": SimpleLazyObject(lambda: current.mailbox)}
