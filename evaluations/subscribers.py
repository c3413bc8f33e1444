"""What the evaluation cycle does when something happens elsewhere (core/events.py).

Each account's schedule holds a narrow copy of what the overview counts (see models.Schedule):
when the register or the plans say an account or a plan changed, the schedules of the accounts
concerned are brought in step at once, in the same transaction. The periodic job refreshes all
of them as well, which mends anything changed without a word (a bulk import)."""

from plans.events import plan_changed, plan_decided, plan_sent
from registry.events import account_changed, account_status_changed
from registry.models import Account

from . import notices  # noqa: F401  (what the evaluation says on an account's page)
from .services import schedules_refresh


@account_changed.subscribe
def _accounts_changed(*, accounts, **_payload) -> None:
    if accounts:
        schedules_refresh(account_ids=[account.pk for account in accounts])


@account_status_changed.subscribe
def _account_status_changed(*, account, **_payload) -> None:
    schedules_refresh(account_ids=[account.pk])


@plan_sent.subscribe
@plan_decided.subscribe
@plan_changed.subscribe
def _plan_changed(*, plan, **_payload) -> None:
    # A plan approved (or no longer), or its hours changed: its accounts' share of the hours
    # and their "plan in place" change with it. A deleted plan (a draft) had no accounts.
    if plan.pk is None:
        return
    ids = list(Account.objects.filter(plan_id=plan.pk).values_list("pk", flat=True)[:10_000])
    if ids:
        schedules_refresh(account_ids=ids)
