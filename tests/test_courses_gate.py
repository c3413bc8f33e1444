"""The competence gate: in the register's services, its pages and the account checklist;
the accounts' training marks, the e-mails they cause, and the periodic jobs that send
reminders and promotions once even when run twice."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.models import OutboundEmail
from core.scheduling import run_periodic_jobs
from courses import services
from courses.models import Enrollment, EnrollmentStatus
from platforms.profiles import read_profile
from registry import services as registry
from registry.models import CHECKLIST_KEYS, Account, AccountStatus, ChecklistCheck

from .courses_helpers import train
from .registry_helpers import details

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    # The messages are checked in English; the pages' languages are tested elsewhere.
    translation.activate("en")


def mails(template):
    return list(OutboundEmail.objects.filter(template=template))


@pytest.fixture
def account_ready(make_account, cast, basic_course):
    """An account being set up with every hand-ticked item done; its people untrained."""
    account = make_account()
    for item in CHECKLIST_KEYS:
        registry.account_check(account=account, actor=cast["adviser"], item=item, checked=True)
    return account


def test_an_account_goes_live_only_when_editor_and_deputy_are_trained(account_ready, cast, basic_course):
    with pytest.raises(registry.ChecklistIncomplete) as refused:
        registry.account_transition(account=account_ready, actor=cast["adviser"], action="activate")
    [missing] = [str(m) for m in refused.value.missing]
    assert cast["member"].full_name in missing and cast["deputy"].full_name in missing
    assert "Grunnkurs i sosiale media" in missing
    train(cast["member"], basic_course)
    with pytest.raises(registry.ChecklistIncomplete) as refused:
        registry.account_transition(account=account_ready, actor=cast["adviser"], action="activate")
    assert cast["member"].full_name not in str(refused.value.missing[0])
    train(cast["deputy"], basic_course)
    registry.account_transition(account=account_ready, actor=cast["adviser"], action="activate")
    account_ready.refresh_from_db()
    assert account_ready.status == AccountStatus.ACTIVE and not account_ready.training_missing


def test_expired_training_does_not_count(account_ready, cast, basic_course):
    train(cast["member"], basic_course, on=timezone.localdate() - timedelta(days=800))
    train(cast["deputy"], basic_course)
    with pytest.raises(registry.ChecklistIncomplete) as refused:
        registry.account_transition(account=account_ready, actor=cast["adviser"], action="activate")
    assert f"{cast['member'].full_name}: Grunnkurs i sosiale media (expired" in str(refused.value.missing[0])
    assert cast["deputy"].full_name not in str(refused.value.missing[0])


def test_the_self_study_course_counts_as_the_basic_course(account_ready, cast, basic_course):
    course = services.course_save(
        actor=cast["adviser"],
        details=services.CourseDetails(
            title="Sjølvstudium",
            slug="sjolvstudium",
            description="Les og svar.",
            audience="Alle",
            duration_minutes=60,
            format="self_study",
            counts_as=basic_course,
        ),
    )
    train(cast["member"], course)
    train(cast["deputy"], course)
    registry.account_transition(account=account_ready, actor=cast["adviser"], action="activate")
    assert Account.objects.get(pk=account_ready.pk).status == AccountStatus.ACTIVE


def test_the_course_item_cannot_be_ticked_by_hand(account_ready, cast):
    with pytest.raises(registry.AccountError, match="cannot be ticked by hand"):
        registry.account_check(account=account_ready, actor=cast["adviser"], item="course", checked=True)
    assert not ChecklistCheck.objects.filter(item="course").exists()


def test_nobody_untrained_joins_an_active_account(cast, basic_course, make_account):
    train(cast["member"], basic_course)
    train(cast["deputy"], basic_course)
    account = make_account(status="active")
    newcomer = cast["leader"]
    with pytest.raises(registry.InvalidDetails) as refused:
        registry.account_update(
            account=account,
            actor=cast["adviser"],
            profile=read_profile(account.url),
            details=details(cast, deputies=[newcomer]),
        )
    assert newcomer.full_name in str(refused.value.errors["deputies"])
    assert list(account.deputies.all()) == [cast["deputy"]]
    with pytest.raises(registry.InvalidDetails) as refused:
        registry.account_update(
            account=account,
            actor=cast["adviser"],
            profile=read_profile(account.url),
            details=details(cast, editor=newcomer),
        )
    assert "editor" in refused.value.errors
    train(newcomer, basic_course)
    registry.account_update(
        account=account,
        actor=cast["adviser"],
        profile=read_profile(account.url),
        details=details(cast, editor=newcomer),
    )
    assert Account.objects.get(pk=account.pk).editor == newcomer


def test_a_paused_account_resumes_only_with_trained_people(cast, basic_course, make_account):
    train(cast["member"], basic_course)
    train(cast["deputy"], basic_course)
    account = make_account(status="paused")
    cast["deputy"].completions.update(valid_until=date(2000, 1, 1))
    with pytest.raises(registry.TrainingMissing):
        registry.account_transition(account=account, actor=cast["adviser"], action="resume")
    assert Account.objects.get(pk=account.pk).status == AccountStatus.PAUSED


def test_an_account_imported_as_live_is_flagged_not_blocked_and_people_are_asked(cast, basic_course, catalogue):
    account = registry.account_register(
        actor=cast["adviser"],
        profile=read_profile("https://www.instagram.com/blodbanken_bergen/"),
        details=details(cast),
        live_since=date(2019, 3, 1),
    )
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE and account.training_missing
    asked = {m.to[0] for m in mails("courses/account_training_missing")}
    assert asked == {cast["member"].email, cast["deputy"].email}
    assert [m.to[0] for m in mails("courses/account_training_missing_leader")] == [cast["leader"].email]
    body = mails("courses/account_training_missing")[0].body_text
    assert "Grunnkurs i sosiale media" in body and reverse("courses:record") in body
    # Training done: the mark goes away by itself.
    train(cast["member"], basic_course)
    train(cast["deputy"], basic_course)
    account.refresh_from_db()
    assert not account.training_missing


def test_expiring_training_marks_the_account_once_and_tells_editor_and_leader(cast, basic_course, make_account):
    train(cast["member"], basic_course)
    train(cast["deputy"], basic_course)
    account = make_account(status="active")
    assert not Account.objects.get(pk=account.pk).training_missing
    later = timezone.now() + timedelta(days=365 * 2 + 2)
    run_periodic_jobs(later)
    run_periodic_jobs(later)
    account.refresh_from_db()
    assert account.training_missing
    told = sorted(m.to[0] for m in mails("courses/account_training_missing"))
    assert told == sorted([cast["member"].email, cast["deputy"].email])
    assert [m.to[0] for m in mails("courses/account_training_missing_leader")] == [cast["leader"].email]


def test_the_register_overview_counts_an_account_whose_training_ran_out_at_once(
    client, cast, basic_course, make_account
):
    """Training runs out by the calendar: the periodic check marks the account, and the
    department's overview of the register (remembered between changes) counts it at once."""
    train(cast["member"], basic_course)
    train(cast["deputy"], basic_course)
    account = make_account(status="active")
    client.force_login(cast["adviser"])

    def overview():
        return client.get(reverse("registry:register")).context["overview"]

    assert overview()["training_missing"] == 0
    run_periodic_jobs(timezone.now() + timedelta(days=365 * 2 + 2))
    assert Account.objects.get(pk=account.pk).training_missing
    assert overview()["training_missing"] == 1


def test_the_register_shows_and_filters_the_mark(client, cast, basic_course, catalogue):
    account = registry.account_register(
        actor=cast["adviser"],
        profile=read_profile("https://www.instagram.com/blodbanken_bergen/"),
        details=details(cast),
        live_since=date(2019, 3, 1),
    )
    client.force_login(cast["adviser"])
    page = client.get(reverse("registry:register")).content.decode()
    assert "?training_missing=on" in page
    filtered = client.get(reverse("registry:register"), {"training_missing": "on"}).content.decode()
    assert reverse("registry:detail", args=[account.pk]) in filtered
    detail = client.get(reverse("registry:detail", args=[account.pk])).content.decode()
    assert cast["member"].full_name + ": Grunnkurs i sosiale media" in detail
    assert 'value="course"' not in detail  # no tick box for the computed item


def test_the_activate_button_says_who_lacks_what(client, account_ready, cast):
    client.force_login(cast["adviser"])
    response = client.post(reverse("registry:action", args=[account_ready.pk, "activate"]), follow=True)
    text = response.content.decode()
    assert cast["member"].full_name in text and "Grunnkurs i sosiale media" in text
    assert Account.objects.get(pk=account_ready.pk).status == AccountStatus.SETUP


def test_the_edit_form_refuses_an_untrained_deputy_on_an_active_account(client, cast, basic_course, make_account):
    train(cast["member"], basic_course)
    train(cast["deputy"], basic_course)
    account = make_account(status="active")
    client.force_login(cast["adviser"])
    page = client.get(reverse("registry:edit", args=[account.pk])).content.decode()
    from .formdata import edit_form_data

    data = edit_form_data(page)
    data["deputies"] = [str(cast["leader"].pk)]
    response = client.post(reverse("registry:edit", args=[account.pk]), data)
    assert response.status_code == 400
    assert cast["leader"].full_name in response.content.decode()
    assert list(Account.objects.get(pk=account.pk).deputies.all()) == [cast["deputy"]]


def test_reminders_and_promotions_go_once_when_the_job_runs_twice(cast, make_session, settings):
    online = make_session(starts_in=timedelta(days=3), video_link="https://teams.example.no/kurs", place="")
    services.enroll(actor=cast["member"], session=online)
    # A seat freed while the cut-off was still ahead, but the promotion was never made
    # (as after a crash): the job hands it on.
    full = make_session(capacity=1, starts_in=timedelta(days=5))
    first = services.enroll(actor=cast["deputy"], session=full)
    services.enroll(actor=cast["other"], session=full)
    Enrollment.objects.filter(pk=first.pk).update(status=EnrollmentStatus.CANCELLED)

    run_periodic_jobs(timezone.now())
    run_periodic_jobs(timezone.now())
    assert len(mails("courses/enrollment_promoted")) == 1
    day_before = online.starts_at - timedelta(hours=20)
    run_periodic_jobs(day_before)
    run_periodic_jobs(day_before)
    hour_before = online.starts_at - timedelta(minutes=90)
    run_periodic_jobs(hour_before)
    run_periodic_jobs(hour_before)
    reminders = mails("courses/session_reminder")
    assert len(reminders) == 2
    assert "https://teams.example.no/kurs" in reminders[1].body_text
    assert all(m.to == [cast["member"].email] for m in reminders)


def test_a_session_moved_after_its_reminder_is_reminded_again_before_the_new_start(cast, make_session):
    session = make_session(starts_in=timedelta(days=3))
    services.enroll(actor=cast["member"], session=session)
    run_periodic_jobs(session.starts_at - timedelta(hours=20))
    assert len(mails("courses/session_reminder")) == 1
    later = session.starts_at + timedelta(days=7)
    moved = services.SessionDetails(
        starts_at=later, ends_at=later + timedelta(hours=3), capacity=session.capacity, place=session.place
    )
    services.session_update(actor=cast["adviser"], session=session, details=moved)
    run_periodic_jobs(session.starts_at - timedelta(hours=20))  # the old day: nothing more
    assert len(mails("courses/session_reminder")) == 1
    run_periodic_jobs(later - timedelta(hours=20))
    run_periodic_jobs(later - timedelta(hours=19))
    assert len(mails("courses/session_reminder")) == 2


def test_an_expiring_completion_is_reminded_once_with_the_next_sessions(cast, basic_course, make_session):
    completion = train(cast["member"], basic_course, on=timezone.localdate() - timedelta(days=720))
    session = make_session(starts_in=timedelta(days=20))
    run_periodic_jobs(timezone.now())
    run_periodic_jobs(timezone.now())
    [mail] = mails("courses/training_expiring")
    assert mail.to == [cast["member"].email]
    assert reverse("courses:session", args=[session.pk]) in mail.body_text
    # A new completion takes the old one's place: no reminder about the old one.
    completion.refresh_from_db()
    assert completion.expiry_reminded_at is not None


def test_the_competence_overview_follows_people_and_training(client, cast, basic_course, make_account):
    from courses.models import EditorStatus

    for person in (cast["member"], cast["deputy"], cast["leader"]):
        train(person, basic_course)
    account = make_account(status="active")
    assert dict(EditorStatus.objects.values_list("user_id", "trained")) == {
        cast["member"].pk: True,
        cast["deputy"].pk: True,
    }
    registry.account_update(
        account=account,
        actor=cast["adviser"],
        profile=read_profile(account.url),
        details=details(cast, deputies=[cast["leader"]]),
    )
    assert set(EditorStatus.objects.values_list("user_id", flat=True)) == {cast["member"].pk, cast["leader"].pk}
    run_periodic_jobs(timezone.now() + timedelta(days=800))
    assert not EditorStatus.objects.filter(trained=True).exists()
    client.force_login(cast["adviser"])
    page = client.get(reverse("courses:competence"), {"only_missing": "on"}).content.decode()
    assert cast["member"].full_name in page and cast["leader"].full_name in page
    assert cast["deputy"].full_name not in page
    registry.account_transition(account=account, actor=cast["adviser"], action="close")
    assert not EditorStatus.objects.exists()
