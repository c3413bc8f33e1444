"""Accounts for the register's tests, made through the services as the department makes them."""

import pytest

from platforms.profiles import read_profile
from registry import services
from registry.models import CHECKLIST_KEYS


def details(cast, **changes) -> services.AccountDetails:
    values = {
        "display_name": "Blodbanken i Bergen",
        "purpose": "Vi rekrutterer nye blodgivarar og takkar dei vi har.",
        "unit": cast["unit"],
        "editor": cast["member"],
        "deputies": [cast["deputy"]],
        "login_email": "blodbanken.some@example.no",
        "response_hours": "Kvardagar 08–15",
        "response_time": "Innan éin arbeidsdag",
        "languages": ["nn", "nb"],
        "plan": None,
    }
    values.update(changes)
    return services.AccountDetails(**values)


@pytest.fixture
def make_account(cast, catalogue):
    """An account of the cast's unit in the given status, through the services."""

    def make(url="https://www.instagram.com/blodbanken_bergen/", status="setup", **changes):
        adviser = cast["adviser"]
        account = services.account_register(actor=adviser, profile=read_profile(url), details=details(cast, **changes))
        if status in ("active", "paused", "closed"):
            for item in CHECKLIST_KEYS:
                services.account_check(account=account, actor=adviser, item=item, checked=True)
            services.account_transition(account=account, actor=adviser, action="activate")
        if status == "paused":
            services.account_transition(account=account, actor=adviser, action="pause")
        if status == "closed":
            services.account_transition(account=account, actor=adviser, action="close")
        account.refresh_from_db()
        return account

    return make
