"""The evaluation reminders' days are settings (EVALUATION_REMIND_BEFORE_DAYS and
EVALUATION_CLOSURE_AFTER_DAYS): the reminders follow them, and the handbook states them."""

import re
from datetime import date

import pytest
from django.test import override_settings
from django.utils.html import strip_tags

from evaluations import services
from evaluations.models import Schedule
from handbook.models import Document
from handbook.rendering import expand

from .test_evaluation_schedule import account, at, due, sent  # noqa: F401
from .test_handbook import shipped  # noqa: F401


def evaluation_chapter() -> str:
    html = expand(Document.objects.get(slug="evaluering").published.body_html)
    return re.sub(r"\s+", " ", strip_tags(html))


@pytest.mark.parametrize("before, after", [(14, 60), (5, 10), (1, 1)])
def test_the_reminders_and_the_handbook_follow_the_settings(account, shipped, before, after):  # noqa: F811
    due(account, date(2026, 6, 30))
    with override_settings(EVALUATION_REMIND_BEFORE_DAYS=before, EVALUATION_CLOSURE_AFTER_DAYS=after):
        days = "dag" if before == 1 else "dagar"
        text = evaluation_chapter()
        assert f"minner redaktøren og leiaren på evalueringa {before} {days} før fristen" in text
        days = "dag" if after == 1 else "dagar"
        assert f"Har evalueringa venta i {after} {days} etter fristen" in text

        # The day before the first reminder nothing is sent; on the day, the editor and the leader hear.
        services.reminders_send(now=at(f"{date.fromordinal(date(2026, 6, 30).toordinal() - before - 1)}T08:00:00"))
        assert sent() == []
        services.reminders_send(now=at(f"{date.fromordinal(date(2026, 6, 30).toordinal() - before)}T08:00:00"))
        assert [t for t, _to in sent()] == ["evaluation_due_soon", "evaluation_due_soon"]

        # One day short of the closure setting the account is not a candidate; on the day it is.
        overdue = date(2026, 6, 30).toordinal() + after
        services.reminders_send(now=at(f"{date.fromordinal(overdue - 1)}T08:00:00"))
        assert not Schedule.objects.get(pk=account.pk).closure_candidate
        services.reminders_send(now=at(f"{date.fromordinal(overdue)}T08:00:00"))
        assert Schedule.objects.get(pk=account.pk).closure_candidate
        assert sent("evaluation_closure_candidate")


@pytest.mark.parametrize("before, after", [(14, 60), (9, 30)])
def test_the_pages_and_the_overdue_mail_state_the_settings(account, client, before, after):  # noqa: F811
    """The evaluation list's "due within" figure and the overdue e-mail say the days the settings give."""
    from core.models import OutboundEmail

    due(account, date(2026, 6, 30))
    with override_settings(EVALUATION_REMIND_BEFORE_DAYS=before, EVALUATION_CLOSURE_AFTER_DAYS=after):
        client.force_login(account.editor)
        page = re.sub(r"\s+", " ", client.get("/evaluering/").content.decode())
        assert f"frist innen {before} dager" in page
        services.reminders_send(now=at("2026-07-08T08:00:00"))
        overdue = OutboundEmail.objects.filter(template="evaluation_overdue")
        assert overdue.exists()
        assert all(f"innen {after} dager etter fristen" in " ".join(mail.body_text.split()) for mail in overdue)
