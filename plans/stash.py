"""Text written while the session ran out, kept until the writer has logged in again.

The edit form carries a signed token of who opened it for which plan. A post that
arrives without a session is kept (in a new session) only with a valid token for this
plan, from a person who may still edit it, and only up to LIMIT characters; after the
login it is given back once, and only to that person. Anything else keeps nothing, so an
anonymous post cannot fill the database.
"""

from django.core import signing

from accounts.models import User

from .models import Plan
from .workflow import can_edit

KEY = "plan_form_stash"
SALT = "plans.edit.stash"
MAX_AGE = 60 * 60 * 24 * 2  # two days covers a long writing session
LIMIT = 600_000  # characters: above what the fullest valid plan form holds


def token(user, plan) -> str:
    """For the edit form: who opened it, for which plan."""
    return signing.dumps([plan.pk, user.pk], salt=SALT)


def keep(request, pk) -> None:
    """Keep what was posted to plan `pk` without a session, if the form's token allows."""
    try:
        plan_pk, user_pk = signing.loads(request.POST.get("stash_token", ""), salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return
    if plan_pk != pk:
        return
    data = {k: request.POST.getlist(k) for k in request.POST if k not in ("csrfmiddlewaretoken", "stash_token")}
    if sum(len(k) + sum(len(v) for v in values) for k, values in data.items()) > LIMIT:
        return
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    plan = Plan.objects.select_related("unit").filter(pk=pk).first()
    if user is None or plan is None or not can_edit(user, plan):
        return
    request.session[KEY] = {str(pk): {"user": user_pk, "data": data}}


def take(request, pk) -> dict | None:
    """What was kept for this person and plan when their session ran out (once)."""
    kept = request.session.get(KEY)
    if not kept:
        return None
    entry = kept.pop(str(pk), None)
    request.session.modified = True
    if not isinstance(entry, dict) or entry.get("user") != request.user.pk:
        return None
    return entry.get("data")
