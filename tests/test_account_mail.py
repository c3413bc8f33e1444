"""When an account is registered and when it becomes active, the unit's leader and its
editors are told by e-mail, with the account's public page to put in the profile's bio:
delivered by the real worker to a real SMTP server."""

import pytest
from django.urls import reverse

from platforms.profiles import read_profile
from registry import services
from registry.models import CHECKLIST_KEYS, Account

from .registry_helpers import details

pytestmark = pytest.mark.django_db(transaction=True)


def bodies(smtp, address) -> list[tuple[str, str]]:
    return [(m["Subject"], m.get_body(preferencelist=("plain",)).get_content()) for m in smtp.to(address)]


def test_registering_tells_the_leader_and_the_editors_with_the_bio_address(cast, smtp, run_worker, settings):
    settings.SITE_URL = "https://some.helse-bergen.no"
    account = services.account_register(
        actor=cast["adviser"],
        profile=read_profile("https://www.instagram.com/blodbanken_bergen/"),
        details=details(cast),
    )
    run_worker()
    public = f"https://some.helse-bergen.no{reverse('registry:public_account', args=[account.code])}"
    for person in ("leader", "member", "deputy"):
        [(subject, body)] = [(s, b) for s, b in bodies(smtp, cast[person].email) if "@blodbanken_bergen" in s]
        assert subject == "I registeret over offisielle kontoer: Blodbanken i Bergen (Instagram @blodbanken_bergen)"
        assert public in body and "bio" in body
    assert not [s for s, _b in bodies(smtp, cast["other"].email)]  # nobody outside the unit


def test_becoming_active_tells_them_again(cast, smtp, run_worker, make_account):
    account = make_account()
    for item in CHECKLIST_KEYS:
        services.account_check(account=account, actor=cast["adviser"], item=item, checked=True)
    services.account_transition(account=account, actor=cast["adviser"], action="activate")
    run_worker()
    for person in ("leader", "member", "deputy"):
        active = [(s, b) for s, b in bodies(smtp, cast[person].email) if s.startswith("Nå aktiv og offisiell")]
        assert len(active) == 1
        assert account.public_url in active[0][1]
    # Pausing and resuming is not news to the unit.
    services.account_transition(account=account, actor=cast["adviser"], action="pause")
    services.account_transition(account=account, actor=cast["adviser"], action="resume")
    run_worker()
    assert len([s for s, _b in bodies(smtp, cast["leader"].email) if s.startswith("Nå aktiv")]) == 1


def test_each_person_gets_it_in_their_own_language(cast, smtp, run_worker, make_account):
    cast["deputy"].language = "en"
    cast["deputy"].save()
    cast["leader"].language = "nn"
    cast["leader"].save()
    make_account()
    run_worker()
    [deputy] = bodies(smtp, cast["deputy"].email)
    [leader] = [m for m in bodies(smtp, cast["leader"].email) if m[0].startswith("I registeret")]
    assert deputy[0].startswith("In the register of official accounts:")
    assert leader[0].startswith("I registeret over offisielle kontoar:")


def test_an_import_tells_each_person_once_for_all_their_accounts(cast, smtp, run_worker, catalogue):
    # As the import registers them: quietly one by one, then one message per person.
    for url in ["https://www.instagram.com/blodbanken/", "https://www.facebook.com/blodbanken"]:
        services.account_register(
            actor=cast["adviser"], profile=read_profile(url), details=details(cast), notify=False, ask_for_plan=False
        )
    services.tell_unit(list(Account.objects.select_related("unit", "platform", "editor")), "registered")
    run_worker()
    [(subject, body)] = [(s, b) for s, b in bodies(smtp, cast["leader"].email) if "register" in s]
    assert subject == "2 kontoer er i registeret over offisielle kontoer"
    assert body.count("/k/") == 2
