"""Demo evaluations: one account evaluated with feedback from the department and now due
again (its plan is approved, so the evaluation scores the plan's goal, and the import
page offers the posts since then as a file to try), one long overdue (its reminders are
in the demo mail), two more due within a fortnight, and a year of key figures imported
from files shaped like the platforms' exports, so the overview's charts show something
real. Made through the evaluation services, like the portal does;
only the dates of what happened earlier are set back afterwards."""

import math
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from evaluations import examples, services
from evaluations.access import may_confirm
from evaluations.models import Decision, GovernanceMonth
from registry.models import Account, AccountStatus


def _account(units, unit: str, platform: str) -> Account:
    return Account.objects.get(unit=units[unit], platform__slug=platform)


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 4)))


def _followers_csv(start, end, first, last, *, dip=0) -> bytes:
    """A unit's own follower counts, one line a day, as a spreadsheet saves them."""
    days = (end - start).days or 1
    lines = ["Dato;Følgjarar"]
    for i in range(days + 1):
        day = start + timedelta(days=i)
        count = first + (last - first) * i / days - dip * math.sin(math.pi * i / days) ** 8
        lines.append(f"{day:%d.%m.%Y};{int(count):,}".replace(",", " "))
    return "\n".join(lines).encode("cp1252")


def _import(evaluation, actor, name, content, mapping=None):
    figure_import = services.figures_read(evaluation=evaluation, actor=actor, filename=name, content=content)
    if mapping:
        figure_import = services.figures_map(figure_import=figure_import, actor=actor, mapping=mapping)
    return services.figures_save(figure_import=figure_import, actor=actor)


def _send(evaluation, *, writer, decision, now):
    """Sent to the department as the pages send it: the writer sends it to the unit's leader,
    who confirms it (a leader who wrote it confirms it at once)."""
    if may_confirm(writer, evaluation.account):
        return services.evaluation_confirm(evaluation=evaluation, actor=writer, decision=decision, now=now)
    waiting = services.evaluation_send_to_leader(evaluation=evaluation, actor=writer, decision=decision, now=now)
    leader = evaluation.account.unit.effective_leader()
    return services.evaluation_confirm(evaluation=waiting, actor=leader, now=now)


def _content(evaluation, **values) -> services.EvaluationContent:
    fields = {name: getattr(evaluation, name) for name in services.CONTENT_FIELDS}
    fields.update(values)
    return services.EvaluationContent(**fields)


def load(units, people) -> None:
    p = people
    silje, lene, marte = p["Silje Dale"], p["Lene Aarskog"], p["Marte Solheim"]
    today = timezone.localdate()
    followers_mapping = {"date": "Dato", "followers": "Følgjarar", "day_first": True}
    services.schedules_refresh()

    # Blodbanken on Instagram: evaluated after its first months, with the department's feedback.
    blood = _account(units, "Blodbanken i Bergen", "instagram")
    start = blood.live_since
    end = start + timedelta(days=183)
    evaluation = services.evaluation_start(account=blood, actor=silje)
    evaluation = services.evaluation_save(
        evaluation=evaluation, actor=silje, content=_content(evaluation, period_start=start, period_end=end)
    )
    posts = examples.meta_export("instagram", start, end, username=blood.handle, name=blood.display_name)
    _import(evaluation, silje, examples.example_filename("instagram", start, end), posts)
    _import(evaluation, silje, "folgjarar.csv", _followers_csv(start, today, 800, 2450), followers_mapping)
    evaluation.refresh_from_db()
    goal = evaluation.goals.first()
    services.evaluation_save(
        evaluation=evaluation,
        actor=silje,
        content=_content(
            evaluation,
            hours_per_week=Decimal("6"),
            people_involved=3,
            money_spent=Decimal("4500"),
            money_note="Promotering av to reels før sommaren",
            messages_received=64,
            messages_answered=61,
            comments_answered=140,
            median_response_hours=Decimal("5.5"),
            impact="Fleire unge givarar melde seg før sommaren, då lageret er lågast.",
            result=(
                "Vi er på god veg mot målet: 212 nye givarar oppgav sosiale media som grunn i første halvår. "
                "Reels med tapparane når langt fleire enn bilete."
            ),
            worked_well="Korte videoar med folk frå tappinga, og å svare raskt på spørsmål.",
            did_not_work="Innlegg om opningstider nådde få. Helgane var vanskelege å dekkje.",
            goals=[
                services.GoalContent(
                    reached_value=Decimal("212"),
                    attainment="partly",
                    comment="Halvvegs mot 400 etter halve tida.",
                    outcome="212 nye givarar registrerte med «sosiale media» som kjelde",
                    outcome_source="Registreringsskjemaet i Blodbanken",
                )
            ]
            if goal
            else [],
        ),
    )
    sent = _at(end + timedelta(days=6))
    evaluation = _send(evaluation, writer=silje, decision=Decision.CONTINUE, now=sent)
    services.evaluation_feedback(
        evaluation=evaluation,
        actor=marte,
        text=(
            "Godt arbeid! Reelsa fungerer: lag fleire av dei, og bruk mindre tid på innlegg om opningstider. "
            "Vi hjelper gjerne med ein plan for helgane."
        ),
        now=sent + timedelta(days=3),
    )

    # Hjarteavdelinga on Facebook: evaluated last autumn, now so long overdue it is a candidate for closure.
    heart = _account(units, "Hjarteavdelinga", "facebook")
    year_ago = today - timedelta(days=435)  # sent a year and ten weeks ago: 65 days overdue now
    evaluation = services.evaluation_start(account=heart, actor=lene)
    evaluation = services.evaluation_save(
        evaluation=evaluation,
        actor=lene,
        content=_content(
            evaluation,
            period_start=year_ago - timedelta(days=365),
            period_end=year_ago,
            hours_per_week=Decimal("2"),
            people_involved=2,
            result="Sida blir mest brukt av pårørande som spør om besøkstider. Vi svarar innan ein arbeidsdag.",
        ),
    )
    _import(
        evaluation,
        lene,
        "hjarte-folgjarar.csv",
        _followers_csv(year_ago - timedelta(days=365), today, 5200, 5650, dip=180),
        followers_mapping,
    )
    evaluation.refresh_from_db()
    _send(evaluation, writer=lene, decision=Decision.CONTINUE, now=_at(year_ago + timedelta(days=5)))

    # Blodbanken on Instagram again, due next week: the department asked for a check half a
    # year on. The plan is approved, so the evaluation scores its goal; the posts since the
    # last evaluation are not imported yet: the import page offers them as a file to try.
    services.schedule_set_due(
        account=blood,
        actor=marte,
        due_on=today + timedelta(days=7),
        note="Ei kort evaluering av hausten før vårkampanjen: korleis går det med målet om nye givarar?",
    )

    # Fødeavdelinga and Lungeskulen: due within a fortnight (a date the department chose).
    for unit, platform, days, note in [
        ("Fødeavdelinga", "instagram", 10, "Før kampanjen om fødeplassar i januar"),
        ("Lungeavdelinga", "mastodon", 4, "Ny redaktør: evaluer saman med henne"),
    ]:
        account = _account(units, unit, platform)
        if account.status == AccountStatus.ACTIVE:
            services.schedule_set_due(account=account, actor=marte, due_on=today + timedelta(days=days), note=note)

    # The reminders the periodic job sends today (they are in the demo mail).
    services.reminders_send(now=timezone.now())
    services.governance_record(now=timezone.now())
    _governance_history(today)


def _governance_history(today) -> None:
    """How the governance score developed before the demo began, for the trend chart, as the
    periodic job would have kept it: Blodbanken's plan was approved in the spring, and
    Hjarteavdelinga's evaluation has been overdue since the autumn."""
    current = {row.unit_id: row for row in GovernanceMonth.objects.filter(month=today.replace(day=1))}
    for back in range(1, 12):
        month = services.add_months(today.replace(day=1), -back)
        for unit_id, now in current.items():
            GovernanceMonth.objects.update_or_create(
                month=month,
                unit_id=unit_id,
                defaults={
                    "active": now.active,
                    "plan_approved": now.plan_approved if back < 8 else 0,
                    "trained": now.trained,
                    "on_time": min(now.on_time + (1 if back >= 3 and now.on_time < now.active else 0), now.active),
                },
            )
