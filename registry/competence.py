"""The competence gate's seam: the register asks who lacks the training the hospital
requires of an account's editors, without knowing how training is kept.

The app that keeps people's training (courses) registers its answers here when it
starts (`training_source`): which of some people lack what, in words for the reader, and
what to do when an account's people or status changed (keep `Account.training_missing`
and tell the people). Without such an app nobody lacks anything, and the register works
as it did before the gate.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_missing: Callable[[list], dict[int, list[str]]] | None = None
_changed: Callable[..., None] | None = None
_remedies: Callable[..., dict[int, list["Remedy"]]] | None = None


@dataclass(frozen=True)
class Remedy:
    """Something the reader can do about a person's missing training: a link, a button that
    posts `fields` to `url`, or (no `url`) a plain sentence such as "signed up for 12 January"."""

    label: str
    url: str = ""
    fields: dict | None = None

    @property
    def is_action(self) -> bool:
        return self.fields is not None


@dataclass
class PersonGaps:
    person: object
    missing: list[str]
    remedies: list[Remedy] = field(default_factory=list)


def training_source(
    *,
    missing: Callable[[list], dict[int, list[str]]],
    changed: Callable[..., None],
    remedies: Callable[..., dict[int, list[Remedy]]] | None = None,
) -> None:
    """`missing(people)` answers {person id: ["what is missing", …]} for those who lack
    something; `changed(accounts, former_people=…)` is called after accounts' people or
    status changed, with the ids of the people who ran them before; `remedies(people,
    viewer=…, back_to=…)` answers {person id: [Remedy, …]}: what the viewer may do about each
    one's gaps (sign them up, send them a course, see their record), coming back to `back_to`."""
    global _missing, _changed, _remedies
    _missing, _changed, _remedies = missing, changed, remedies


def gaps_with_remedies(people: Iterable, *, viewer, back_to: str = "") -> list[PersonGaps]:
    """Who lacks what, in the order given, each with what the viewer can do about it."""
    people = list({p.pk: p for p in people if p is not None}.values())
    missing = missing_training(people)
    lacking = [p for p in people if p.pk in missing]
    offers = _remedies(lacking, viewer=viewer, back_to=back_to) if _remedies is not None and lacking else {}
    return [PersonGaps(p, missing[p.pk], offers.get(p.pk, [])) for p in lacking]


def missing_training(people: Iterable) -> dict[int, list[str]]:
    people = [p for p in people if p is not None]
    if _missing is None or not people:
        return {}
    return _missing(people)


def gaps_in_words(people: Iterable) -> list[str]:
    """ "Silje Dale: Grunnkurs …" for each person who lacks something, in the order given."""
    people = list({p.pk: p for p in people if p is not None}.values())
    missing = missing_training(people)
    return [f"{p}: {', '.join(missing[p.pk])}" for p in people if p.pk in missing]


def account_people(account) -> list:
    return [account.editor, *account.deputies.all()]


def accounts_changed(accounts: Iterable, *, former_people: Iterable[int] = ()) -> None:
    accounts = list(accounts)
    if _changed is not None and accounts:
        _changed(accounts, former_people=set(former_people))
