"""Notes about an account from the apps built on the register, shown on its page.

The register knows nothing of them; an app that has something to say about an account (the
evaluation: "the unit decided to close it") registers a source when it starts
(`notice_source`). Each source answers for one account: a list of `Notice`."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    text: str
    link: str = ""
    link_text: str = ""
    urgent: bool = False


_sources: list[Callable] = []


def notice_source(source: Callable) -> Callable:
    """Register `source(account) -> list[Notice]` (once; used as a decorator or a call)."""
    if source not in _sources:
        _sources.append(source)
    return source


def for_account(account) -> list[Notice]:
    return [notice for source in _sources for notice in source(account)]
