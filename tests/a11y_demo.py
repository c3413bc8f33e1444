"""The accessibility sweep's data (tests/test_a11y_sweep.py): the demo loaded into a database
of the sweep's own, and a few real objects of it for each address that takes arguments.

Run inside the sweep server's Django (`manage.py shell`), it prints one JSON object: for each
URL name, the paths to look at."""

import importlib
import json
from email.message import EmailMessage
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

# The people the sweep logs in as, and the language each reads the portal in: Bokmål for some,
# English for others, so that Norwegian content inside an English page is seen too.
ROLES = {
    "anonymous": (None, "en"),
    "member": ("medlem@eksempel.no", "nb"),
    "leader": ("leiar@eksempel.no", "en"),
    "adviser": ("radgivar@eksempel.no", "en"),
    "admin": ("admin@eksempel.no", "nb"),
}
# What the migrations ship (the catalogue, the handbook, the hospital's facts), loaded again
# after the database is emptied, in the migrations' order.
SHIPPED = [
    ("platforms.migrations.0002_catalogue", "load"),
    ("platforms.migrations.0003_profile_rules", "load"),
    ("facts.migrations.0002_shipped", "load"),
    ("handbook.migrations.0002_shipped_content", "load"),
    ("handbook.migrations.0003_shipped_2026", "publish"),
    ("handbook.migrations.0004_render_again", "render_again"),
    ("handbook.migrations.0005_shipped_glossary_forms", "publish"),
    ("handbook.migrations.0006_shipped_first_evaluation", "publish"),
]
# Pages of things the demo does not have (no run of the organisation sync, no finished quiz,
# no barrier report): looked at by their own tests, not by the sweep.
NOT_IN_DEMO = {
    "organisation:run",
    "organisation:confirm",
    "courses:quiz_result",
    "accessibility:barrier_detail",
}
MAIL_NAME = "20261126-100000-000000-sweep.eml"


def load(mail_dir: Path) -> None:
    """The demo, as `make run` loads it, into an empty database (and a caught e-mail)."""
    from accounts.models import User

    call_command("migrate", interactive=False, verbosity=0, run_syncdb=True)  # the copy has them, as a rule
    call_command("flush", interactive=False, verbosity=0)
    for migration, step in SHIPPED:
        getattr(importlib.import_module(migration), step)(apps, None)
    call_command("demo_load", verbosity=0)
    for email, language in ROLES.values():
        if email:
            User.objects.filter(email=email).update(language=language)
    mail_dir.mkdir(parents=True, exist_ok=True)
    message = EmailMessage()
    message["Subject"] = "Planen er motteken"
    message["From"] = "some@eksempel.no"
    message["To"] = "medlem@eksempel.no"
    message["Date"] = "Thu, 26 Nov 2026 10:00:00 +0100"
    message.set_content("Planen din er motteken. Kommunikasjonsavdelinga ser på han innan to veker.")
    (mail_dir / MAIL_NAME).write_bytes(message.as_bytes())


def _pks(queryset, count=2):
    return list(queryset.values_list("pk", flat=True)[:count])


def _samples() -> dict[str, list[dict]]:
    """Arguments of a few real objects for each URL name that takes them: different states
    where states differ, so that each role meets a page it may see."""
    from accounts.models import Organisation, User
    from courses.models import Course, Question, Session
    from evaluations.models import Evaluation, FigureImport
    from facts.models import Placeholder
    from handbook.models import Document
    from plans.models import Plan
    from platforms.models import Platform
    from registry.models import Account, Report

    def one_of_each(queryset, field, count=2):
        seen, pks = set(), []
        for pk, value in queryset.values_list("pk", field):
            if value not in seen:
                seen.add(value)
                pks.append(pk)
        return pks[:count]

    plans = [
        Plan.objects.filter(status="approved", current_version__gte=2).first().pk,
        Plan.objects.filter(status="draft").first().pk,
        Plan.objects.filter(status="in_review").first().pk,
    ]
    editable = _pks(Plan.objects.filter(status__in=["draft", "awaiting_leader", "changes_requested"]), 2)
    reviewable = _pks(Plan.objects.filter(status__in=["submitted", "in_review"]), 2)
    versioned = Plan.objects.get(pk=plans[0])
    accounts = one_of_each(Account.objects.order_by("pk"), "status")
    evaluations = one_of_each(Evaluation.objects.order_by("pk"), "status")
    courses = [c.slug for c in Course.objects.order_by("pk")[:2]]
    sessions = _pks(Session.objects.order_by("-starts_at"), 2)
    chapters = list(Document.objects.order_by("pk").values_list("slug", flat=True)[:2])
    member = User.objects.get(email="medlem@eksempel.no")
    organisations = list(Organisation.objects.trusts().order_by("pk").values_list("slug", flat=True)[:2])
    imports = list(FigureImport.objects.filter(evaluation__isnull=False).values_list("evaluation_id", "pk")[:2])
    return {
        # The form opens from an approved plan, or for a unit's existing account: its query says which.
        "registry:create": [{"?": f"plan={plans[0]}"}, {"?": f"unit={Account.objects.order_by('pk').first().unit_id}"}],
        "registry:public_account": [{"code": c} for c in Account.objects.public().values_list("code", flat=True)[:2]],
        "registry:detail": [{"pk": pk} for pk in accounts],
        "registry:edit": [{"pk": pk} for pk in accounts[:2]],
        "registry:check": [{"pk": pk} for pk in accounts[:2]],
        "registry:report_detail": [{"pk": pk} for pk in one_of_each(Report.objects.order_by("pk"), "status", 2)],
        **{f"plans:{name}": [{"pk": pk} for pk in plans] for name in ["detail", "compare", "sent"]},
        "plans:edit": [{"pk": pk} for pk in editable],
        "plans:readiness": [{"pk": pk} for pk in editable[:1]],
        "plans:delete": [{"pk": pk} for pk in editable[:1]],
        "plans:version": [{"pk": versioned.pk, "number": n} for n in (1, versioned.current_version)],
        "plans:review": [{"pk": pk} for pk in reviewable],
        "plans:decide": [{"pk": pk} for pk in reviewable[:1]],
        **{
            f"handbook:{name}": [{"slug": slug} for slug in chapters]
            for name in ["chapter", "edit", "versions", "compare", "move"]
        },
        "facts:platform_edit": [{"slug": s} for s in Platform.objects.values_list("slug", flat=True)[:2]],
        "facts:placeholder_edit": [{"key": k} for k in Placeholder.objects.values_list("key", flat=True)[:2]],
        "courses:person_record": [
            {"pk": pk}
            for pk in _pks(User.objects.exclude(pk=member.pk).filter(enrollments__isnull=False).distinct(), 1)
        ],
        **{
            f"courses:{name}": [{"pk": pk} for pk in sessions]
            for name in ["session", "session_edit", "session_cancel", "session_fill", "attendance"]
        },
        "courses:question_edit": [{"pk": pk} for pk in _pks(Question.objects.order_by("pk"), 1)],
        **{
            f"courses:{name}": [{"slug": slug} for slug in courses]
            for name in ["detail", "course_edit", "session_create", "quiz", "questions", "send_self_study"]
        },
        **{
            f"evaluations:{name}": [{"pk": pk} for pk in _pks(Account.objects.filter(status="active"), 2)]
            for name in ["account", "start", "schedule"]
        },
        **{
            f"evaluations:{name}": [{"pk": pk} for pk in evaluations]
            for name in ["detail", "edit", "feedback", "close_account", "import"]
        },
        "evaluations:import_check": [{"pk": e, "import_pk": i} for e, i in imports],
        "demo:mail_detail": [{"name": MAIL_NAME}],
        # Each organisation's own public pages, and a chapter's own-or-shared choice.
        **{
            name: [{"slug": slug} for slug in organisations]
            for name in ["registry:organisation", "handbook:org_index", "handbook:org_strategy"]
        },
        "handbook:org_chapter": [{"slug": slug, "chapter": chapters[0]} for slug in organisations],
        **{f"handbook:{name}": [{"slug": slug} for slug in chapters[:1]] for name in ["make_own", "use_shared"]},
        "courses:requirement": [{"slug": slug} for slug in courses[:1]],
    }


def _admin_samples(names) -> dict[str, list[dict]]:
    """The administration's object pages: one object of each model it lists."""
    from django.contrib import admin

    found = {}
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        for action in ("change", "history", "delete"):
            if prefix + action in names:
                # None: the demo has no such object (no group, no sync run), so the page is skipped.
                found[prefix + action] = [{"object_id": pk}] if pk is not None else None
        if model._meta.model_name == "user" and pk is not None:
            found["admin:auth_user_password_change"] = [{"id": pk}]
    found["admin:app_list"] = [{"app_label": "accounts"}]
    return found


def paths(names) -> dict[str, list[str]]:
    """For each URL name: the paths of its sample objects (an empty list for a name that takes
    arguments no sample gives; no entry for a page of something the demo does not have)."""
    samples = _samples() | _admin_samples(names)
    found = {}
    for name in names:
        if name in NOT_IN_DEMO or (name in samples and samples[name] is None):
            continue
        found[name] = []
        for kwargs in samples.get(name, [{}]):
            kwargs = dict(kwargs)
            query = kwargs.pop("?", "")
            try:
                found[name].append(reverse(name, kwargs=kwargs) + (f"?{query}" if query else ""))
            except NoReverseMatch:
                continue
    return found


def main(mail_dir: str, names: str) -> None:
    load(Path(mail_dir))
    print("SWEEP-PATHS " + json.dumps(paths(json.loads(names))))
