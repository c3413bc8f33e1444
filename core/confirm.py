"""Confirming a destructive action (closing an account, rejecting or withdrawing a plan,
deleting a draft).

The action's form carries a Designsystemet dialog (templates/components/_confirm_dialog.html)
that static/js/portal.js opens before the form is sent; its "yes" button sends the form with
confirmed=1. Without JavaScript the form is sent as it is, and the view answers with
`confirmation_page`: the same words and the same form, to be sent again with confirmed=1.
"""

from django.shortcuts import render


def is_confirmed(request) -> bool:
    return request.POST.get("confirmed") == "1"


def confirmation_page(
    request, *, what: dict, action_url: str, cancel_url: str = "", subject: str = "", cancel_post: bool = False
):
    """`what` holds the title, the consequences (a list of sentences) and the button's label.
    With `cancel_post`, "go back" sends the form back too (so typed text is not lost)."""
    fields = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "confirmed", "back")
        for value in request.POST.getlist(name)
    ]
    context = {
        **what,
        "action_url": action_url,
        "cancel_url": cancel_url,
        "cancel_post": cancel_post,
        "fields": fields,
        "subject": subject,
    }
    return render(request, "components/confirm.html", context)
