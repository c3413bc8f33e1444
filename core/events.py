"""Events: the one way a part of the portal tells the others what happened, or asks what they know.

An `Event` has a name and subscribers. It is used in one of two ways:

- **Announced** (`plan_decided.announce(plan=…, actor=…)`): a service says what it has just
  done. Every subscriber is called with the same keyword arguments, inside the service's
  transaction, so what a subscriber writes (a schedule, a tally, an e-mail in the outbox, a
  package for the archive) commits or rolls back with the change itself and is never out of
  step with it. Nothing leaves the database before the commit: a cache generation is drawn
  (core/caching.py), an e-mail is sent (core/emails.py) and a background task is queued only
  once the transaction has committed. A subscriber that must itself run only after the
  commit says so with `after_commit=True`.
- **Asked** (`work_asked.ask(user=…)`): a part gathers the answers of every subscriber now:
  the tasks waiting for a person, the periodic jobs, the data behind the public pages, the
  reasons a person lacks training, the notices on an account, the handbook's placeholders.

Subscribers are called in the order of `order` (lower first), then by name. Each app declares
its subscribers in its own modules, named for what they subscribe to: `subscribers.py` for
what happened, `worklist.py` for tasks, `periodic.py` for periodic jobs. Core imports these
modules of every app once it is ready (`discover`), so no app has to. An event belongs to
the app whose service announces it (`plans/events.py` …) or, for the plug-in points, to core;
a subscriber imports the event, so the arrows point from the one who reacts to the one who acts.

Every event of the portal is listed by `all_events()`, which docs/architecture.md describes.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

_events: dict[str, "Event"] = {}


@dataclass(frozen=True)
class Subscriber:
    name: str
    function: Callable
    order: int
    after_commit: bool


class Event:
    def __init__(self, name: str, doc: str):
        if name in _events:
            raise ValueError(f"There is already an event named {name!r}.")
        self.name = name
        self.doc = doc
        self._subscribers: dict[str, Subscriber] = {}
        _events[name] = self

    def __repr__(self) -> str:
        return f"<Event {self.name}>"

    def subscribe(self, function: Callable | None = None, *, order: int = 100, after_commit: bool = False):
        """Subscribe `function(**payload)`; usable bare (`@event.subscribe`) or with arguments."""

        def add(function: Callable) -> Callable:
            name = f"{function.__module__}.{function.__qualname__}"
            self._subscribers[name] = Subscriber(name, function, order, after_commit)
            return function

        return add(function) if function is not None else add

    def subscribers(self) -> list[Subscriber]:
        return sorted(self._subscribers.values(), key=lambda s: (s.order, s.name))

    def announce(self, **payload) -> None:
        """Tell every subscriber that this happened (see the module). A subscriber that fails
        fails the change that announced it, as if its work were part of the service: nothing
        is left half done."""
        for subscriber in self.subscribers():
            if subscriber.after_commit:
                transaction.on_commit(partial(_after_commit, self, subscriber, payload))
            else:
                subscriber.function(**payload)

    def ask(self, **question) -> list:
        """Every subscriber's answer to `question`, in order."""
        return [subscriber.function(**question) for subscriber in self.subscribers()]


def _after_commit(event: Event, subscriber: Subscriber, payload: dict) -> None:
    # The change is committed and cannot be undone here: a failure is logged, and the
    # subscribers after it still run.
    try:
        subscriber.function(**payload)
    except Exception:
        logger.exception("The subscriber %s of %s failed after the commit.", subscriber.name, event.name)


SUBSCRIBER_MODULES = ("subscribers", "worklist", "periodic")


def discover() -> None:
    """Import every app's subscriber modules (from core's AppConfig.ready, once all models are loaded)."""
    autodiscover_modules(*SUBSCRIBER_MODULES)


def all_events() -> list[Event]:
    return sorted(_events.values(), key=lambda event: event.name)
