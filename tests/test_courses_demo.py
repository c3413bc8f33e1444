"""The demo's courses: sessions with people signed up (one nearly full, one with a
waiting list), a session waiting for its attendance, the demo accounts live with trained
editors, one editor whose training runs out soon, and accounts marked for lacking it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from core.worklist import worklist_for
from courses.models import Completion, Course, EditorStatus, Session
from registry.models import Account, AccountStatus


@pytest.fixture
def demo(catalogue):
    call_command("demo_load", verbosity=0)


def test_demo_courses_and_sessions(demo):
    assert set(Course.objects.values_list("format", flat=True)) == {"classroom", "online", "self_study"}
    assert Course.objects.required().get().equivalents.filter(format="self_study").exists()
    assert Course.objects.get(format="self_study").questions.filter(is_active=True).count() >= 8
    coming = list(Session.objects.upcoming().with_counts())
    assert len(coming) >= 4
    assert any(s.capacity - s.seats_taken == 1 for s in coming)  # nearly full
    assert any(s.waiting for s in coming)


def test_demo_accounts_stay_live_with_trained_editors(demo):
    blood = Account.objects.get(url="https://www.instagram.com/blodbanken_bergen/")
    assert blood.status == AccountStatus.ACTIVE and not blood.training_missing
    assert Account.objects.filter(training_missing=True, status=AccountStatus.ACTIVE).exists()
    soon = timezone.localdate() + timedelta(days=30)
    assert Completion.objects.filter(valid_until__lte=soon, valid_until__gte=timezone.localdate()).exists()
    assert EditorStatus.objects.filter(trained=False).exists() and EditorStatus.objects.filter(trained=True).exists()


def test_demo_people_have_course_tasks(demo):
    adviser = User.objects.get(email="radgivar@eksempel.no")
    kinds = {item.kind for item in worklist_for(adviser)}
    assert {"course.attendance", "course.account_untrained"} <= kinds
    jonas = User.objects.get(email="jonas.berg@eksempel.no")
    assert "course.own_expiring" in {item.kind for item in worklist_for(jonas)}
