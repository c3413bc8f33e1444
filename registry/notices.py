"""Notes about an account from the apps built on the register, shown on its page.

The register knows nothing of them: it asks (`notices_asked`, core/events.py), and an app
that has something to say about an account (the evaluation: "the unit decided to close it")
answers in its subscribers with a list of `Notice`."""

from dataclasses import dataclass

from core.events import Event

notices_asked = Event(
    "account.notices_asked",
    "What the apps have to say on an account's page (account=Account): each subscriber answers a list of Notice.",
)


@dataclass(frozen=True)
class Notice:
    text: str
    link: str = ""
    link_text: str = ""
    urgent: bool = False


def for_account(account) -> list[Notice]:
    return [notice for answer in notices_asked.ask(account=account) for notice in answer]
