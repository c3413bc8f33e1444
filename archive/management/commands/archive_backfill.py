"""Make the archive's packages for what was sent and decided before the archive existed:
every plan version sent, every decision, every evaluation sent and answered, every account
closed. Each is made once (its key, `Package.source`): running it again makes nothing new.
`--dry-run` says how many it would make, and makes none."""

from django.core.management.base import BaseCommand
from django.db import transaction

from archive import sources
from evaluations.models import Evaluation
from plans.models import PlanComment, PlanVersion
from registry.models import Account, AccountStatus


class Command(BaseCommand):
    help = "Make the archive packages for plans, decisions, evaluations and closings from before the archive."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say how many packages it would make; make none.")

    def handle(self, *, dry_run, **options):
        made = {}
        with transaction.atomic():
            for kind, created in self._all():
                made[kind] = made.get(kind, 0) + created
            if dry_run:
                transaction.set_rollback(True)
        total = sum(made.values())
        detail = ", ".join(f"{kind}: {count}" for kind, count in made.items() if count)
        if dry_run:
            self.stdout.write(f"Would make {total} package(s) for the archive{f' ({detail})' if detail else ''}.")
        else:
            self.stdout.write(f"Made {total} package(s) for the archive{f' ({detail})' if detail else ''}.")

    def _all(self):
        versions = PlanVersion.objects.select_related("plan__unit", "submitted_by", "decided_by").order_by("pk")
        comments = {
            (c.plan_id, c.version_number, c.kind): c.body
            for c in PlanComment.objects.exclude(kind=PlanComment.Kind.COMMENT).order_by("created_at", "pk")
        }
        for version in versions:
            _package, created = sources.queue_plan_sent(version=version, actor=version.submitted_by)
            yield "plan_sent", created
            if version.decision:
                _package, created = sources.queue_plan_decided(
                    version=version,
                    decision=version.decision,
                    comment=comments.get((version.plan_id, version.number, version.decision), ""),
                    actor=version.decided_by,
                )
                yield "plan_decided", created
        evaluations = Evaluation.objects.filter(submitted_at__isnull=False).select_related(
            "account__platform", "account__plan", "platform", "unit", "plan", "submitted_by", "feedback_by"
        )
        for evaluation in evaluations.order_by("pk"):
            _package, created = sources.queue_evaluation_sent(evaluation=evaluation, actor=evaluation.submitted_by)
            yield "evaluation_sent", created
            if evaluation.feedback_at:
                _package, created = sources.queue_evaluation_answered(
                    evaluation=evaluation, actor=evaluation.feedback_by
                )
                yield "evaluation_answered", created
        for account in Account.objects.filter(status=AccountStatus.CLOSED).select_related("platform", "plan"):
            _package, created = sources.queue_account_closed(account=account, actor=None)
            yield "account_closed", created
