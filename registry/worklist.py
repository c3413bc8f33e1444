"""What waits for a person in the register: new reports and accounts being set up or
without an editor for the advisers; accounts that need a new editor or a plan for the
unit's leader; accounts being set up or without a plan for their editors. See
core/worklist.py."""

from datetime import timedelta
from urllib.parse import unquote

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.worklist import WorkItem, capped, work_asked

from .models import CHECKLIST, Account, AccountQuerySet, AccountStatus, Report, ReportStatus

LIMIT = 5
# A report nobody has looked at for this long is marked urgent: a fake account does harm daily.
REPORT_URGENT_AFTER = timedelta(days=3)


@work_asked.subscribe
def register_tasks(user) -> list[WorkItem]:
    items = []
    led = user.led_unit_ids()
    # An adviser's tasks are their organisation's register and reports (a region's advisers
    # decide nothing, and get the tasks of their own units like anyone else).
    advises = bool(user.advised_organisation_ids())
    if advises:
        register = Account.objects.visible_to(user)
        items += _new_reports(Report.objects.visible_to(user)) + _being_set_up(register, adviser=True)
        items += _needs_editor(register, adviser=True)
    elif led:
        items += _needs_editor(Account.objects.filter(unit_id__in=led), adviser=False)
    if not advises:
        items += _being_set_up(Account.objects.run_by(user), adviser=False)
    # The accounts one edits and those of the units one leads, as a union of index lookups (as
    # in AccountQuerySet.run_by).
    edited = Account.objects.filter(editor=user).values("pk")
    mine = edited.union(Account.objects.filter(unit_id__in=led).values("pk")) if led else edited
    items += _plan_missing(Account.objects.filter(pk__in=mine))
    return items


def _account_name(account) -> str:
    return f"{account.display_name} ({account.platform.name} @{account.handle})"


def _register(query: str) -> str:
    return reverse("registry:register") + query


def _new_reports(reports) -> list[WorkItem]:
    rows = (
        reports.filter(status=ReportStatus.NEW)
        .select_related("account")
        .only("pk", "url", "created_at", "account__display_name")
        .order_by("created_at", "pk")
    )
    now = timezone.now()

    def item(report):
        detail = ""
        if report.account_id:
            detail = _("The address is in the register as “%(name)s”") % {"name": report.account.display_name}
        return WorkItem(
            kind="report.new",
            text=_("Look at the report of %(address)s") % {"address": unquote(report.url)},
            url=reverse("registry:report_detail", args=[report.pk]),
            since=report.created_at,
            urgent=now - report.created_at > REPORT_URGENT_AFTER,
            detail=detail,
        )

    return capped(
        rows,
        LIMIT,
        item,
        lambda count, first: WorkItem(
            kind="report.new",
            text=ngettext(
                "%(count)s more new report of a fake account", "%(count)s more new reports of fake accounts", count
            )
            % {"count": count},
            url=reverse("registry:reports"),
            urgent=now - first.created_at > REPORT_URGENT_AFTER,
            count=count,
        ),
    )


def _being_set_up(accounts, *, adviser: bool) -> list[WorkItem]:
    rows = accounts.filter(status=AccountStatus.SETUP).order_by("created_at", "pk")

    def item(account):
        left = len(CHECKLIST) - account.ticked
        if adviser:
            text = _("Finish setting up %(account)s") % {"account": _account_name(account)}
        else:
            text = _("Help set up %(account)s with the Communications Department") % {"account": _account_name(account)}
        return WorkItem(
            kind="account.setup",
            text=text,
            url=reverse("registry:detail", args=[account.pk]) + "#checklist",
            since=account.created_at,
            detail=f"{account.unit.name} · "
            + ngettext("%(count)s item left on the checklist", "%(count)s items left on the checklist", left)
            % {"count": left},
        )

    return capped(
        rows,
        LIMIT,
        item,
        lambda count, first: WorkItem(
            kind="account.setup",
            text=ngettext("%(count)s more account being set up", "%(count)s more accounts being set up", count)
            % {"count": count},
            url=_register(f"?status={AccountStatus.SETUP}"),
            count=count,
        ),
        read=AccountQuerySet.for_tasks,
    )


def _needs_editor(accounts, *, adviser: bool) -> list[WorkItem]:
    rows = accounts.filter(needs_new_editor=True).exclude(status=AccountStatus.CLOSED).order_by("updated_at", "pk")

    def item(account):
        if adviser:
            text = _("Choose a new editor for %(account)s")
        else:
            text = _("Name a new editor for %(account)s and tell the Communications Department")
        return WorkItem(
            kind="account.editor",
            text=text % {"account": _account_name(account)},
            url=reverse("registry:detail", args=[account.pk]),
            since=account.updated_at,
            urgent=True,
            detail=account.unit.name,
        )

    return capped(
        rows,
        LIMIT,
        item,
        lambda count, first: WorkItem(
            kind="account.editor",
            text=ngettext(
                "%(count)s more account needs a new editor", "%(count)s more accounts need a new editor", count
            )
            % {"count": count},
            url=_register("?needs_new_editor=on"),
            urgent=True,
            count=count,
        ),
        read=AccountQuerySet.for_tasks,
    )


def _plan_missing(accounts) -> list[WorkItem]:
    rows = accounts.exclude(status=AccountStatus.CLOSED).plan_missing().order_by("created_at", "pk")
    return capped(
        rows,
        LIMIT,
        lambda account: WorkItem(
            kind="account.plan",
            text=_("Write a plan for %(account)s") % {"account": _account_name(account)},
            url=reverse("plans:create") + f"?unit={account.unit_id}",
            since=account.created_at,
            detail=_("%(unit)s · the account has no approved plan") % {"unit": account.unit.name},
        ),
        lambda count, first: WorkItem(
            kind="account.plan",
            text=ngettext(
                "%(count)s more account has no approved plan", "%(count)s more accounts have no approved plan", count
            )
            % {"count": count},
            url=_register("?plan_missing=on"),
            count=count,
        ),
        read=AccountQuerySet.for_tasks,
    )
