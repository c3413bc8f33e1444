from django.utils.functional import SimpleLazyObject

from .organisations import of_request


class OrganisationMiddleware:
    """`request.organisation`: whose portal this page is (accounts/organisations.py), worked out
    only if the page uses it. After the authentication middleware: a logged-in person's own
    organisation comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "organisation"):
            request.organisation = SimpleLazyObject(lambda: of_request(request))
        return self.get_response(request)
