"""The competence gate's seam: the register asks who lacks the training their organisation
requires of an account's editors, without knowing how training is kept. Each organisation
says which courses its gate requires (courses: `Course.required_by`); a person is measured
against the requirement of their own organisation.

The register asks (core/events.py), and the app that keeps people's training (courses)
answers in its subscribers:

- `training_gaps_asked(people, day)`: {person id: ["what is missing", …]} for those of
  `people` who lack something on `day` (None: today), in words for the reader;
- `trained_people_asked(day)`: the people who hold every course their organisation requires
  on `day`, as a query of user ids (so the register's check of a whole register stays a few queries);
- `training_remedies_asked(people, viewer, back_to)`: {person id: [Remedy, …]}: what the
  viewer may do about each one's gaps (sign them up, send them a course, see their record),
  coming back to `back_to`.

The register keeps the mark on accounts (`Account.training_missing`, registry/training.py)
and announces `training_marks_checked` once it has checked them, so the training app can
tell the people of the accounts newly marked. Without such an app nobody lacks anything,
and the register works as it did before the gate.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.events import Event

training_gaps_asked = Event(
    "training.gaps_asked",
    "Which of these people lack required training, in words (people=list of User, day=date "
    "or None): each subscriber answers {person id: [str, …]}.",
)
trained_people_asked = Event(
    "training.trained_asked",
    "Who holds every course their organisation requires on a day (day=date): each subscriber "
    "answers a query of user ids (values('pk')), or None when it requires nothing.",
)
training_remedies_asked = Event(
    "training.remedies_asked",
    "What the viewer may do about these people's missing training (people=list of User, "
    "viewer=User, back_to=str): each subscriber answers {person id: [Remedy, …]}.",
)
training_marks_checked = Event(
    "account.training_checked",
    "The register checked the training mark of the accounts run by these people "
    "(people=list of user ids, or None for every account; newly_marked=list of Account "
    "marked now, with unit, platform and editor; day=date).",
)


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


def gaps_with_remedies(people: Iterable, *, viewer, back_to: str = "") -> list[PersonGaps]:
    """Who lacks what, in the order given, each with what the viewer can do about it."""
    people = list({p.pk: p for p in people if p is not None}.values())
    missing = missing_training(people)
    lacking = [p for p in people if p.pk in missing]
    offers: dict[int, list[Remedy]] = {}
    if lacking:
        for answer in training_remedies_asked.ask(people=lacking, viewer=viewer, back_to=back_to):
            for pk, remedies in answer.items():
                offers.setdefault(pk, []).extend(remedies)
    return [PersonGaps(p, missing[p.pk], offers.get(p.pk, [])) for p in lacking]


def missing_training(people: Iterable, day=None) -> dict[int, list[str]]:
    people = [p for p in people if p is not None]
    missing: dict[int, list[str]] = {}
    if not people:
        return missing
    for answer in training_gaps_asked.ask(people=people, day=day):
        for pk, gaps in answer.items():
            missing.setdefault(pk, []).extend(gaps)
    return missing


def gaps_in_words(people: Iterable) -> list[str]:
    """ "Silje Dale: Grunnkurs …" for each person who lacks something, in the order given."""
    people = list({p.pk: p for p in people if p is not None}.values())
    missing = missing_training(people)
    return [f"{p}: {', '.join(missing[p.pk])}" for p in people if p.pk in missing]


def account_people(account) -> list:
    return [account.editor, *account.deputies.all()]


def accounts_changed(accounts: Iterable, *, former_people: Iterable[int] = ()) -> None:
    """The people or the status of these accounts changed (`former_people`: the ids of those who
    ran them before): their marks, and those of the other accounts of the same people, are
    checked again."""
    accounts = list(accounts)
    if not accounts:
        return
    people = set(former_people)
    for account in accounts:
        people.add(account.editor_id)
        people.update(account.deputies.values_list("pk", flat=True))
    training.training_marks_refresh(people=[pk for pk in people if pk is not None])


# Last: the marks' service module subscribes to the training app's announcements and uses the
# events above; importing it here registers it whenever the register is loaded.
from . import training  # noqa: E402
