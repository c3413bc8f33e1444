"""What the courses answer when the register's competence gate asks (registry/competence.py),
and what they do when it has checked the accounts' marks (core/events.py)."""

from registry.competence import (
    trained_people_asked,
    training_gaps_asked,
    training_marks_checked,
    training_remedies_asked,
)

from .competence import missing_for
from .models import trained_people
from .remedies import remedies_for
from .services.training import editor_status_refresh, tell_training_missing


@training_gaps_asked.subscribe
def _gaps(*, people, day) -> dict[int, list[str]]:
    return missing_for(people, day)


@trained_people_asked.subscribe
def _trained(*, day):
    return trained_people(day).values("pk")


@training_remedies_asked.subscribe
def _remedies(*, people, viewer, back_to):
    return remedies_for(people, viewer=viewer, back_to=back_to)


@training_marks_checked.subscribe
def _marks_checked(*, people, newly_marked, day) -> None:
    # The competence overview's copy of who runs what and holds what follows the check, and the
    # people of each account newly marked (and its unit's leader) are told what they lack.
    editor_status_refresh(people=people, day=day)
    if newly_marked:
        tell_training_missing(newly_marked, day)
