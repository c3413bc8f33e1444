"""The overview's building blocks: the unit tree and the scope a person sees, the tables it
shows, and the small helpers every section uses (months, shares, figures in words)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import FloatField, Func, Sum
from django.db.models.functions import Cast
from django.utils.formats import date_format, get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.models import Unit
from registry.models import AccountStatus

from ..services import add_months

STATUSES = [AccountStatus.SETUP, AccountStatus.ACTIVE, AccountStatus.PAUSED, AccountStatus.CLOSED]
TOP_ACCOUNTS = 5
MAX_MONTHS = 36
# What the overview adds up from the accounts' tallies (named apart from the tallies' own fields).
TALLY_SUMS = {
    "accounts": Sum("n"),
    "plan_ok": Sum("plan_approved"),
    "trained": Sum("trained"),
    "lacking_training": Sum("training_missing"),
    "needs_editor": Sum("needs_new_editor"),
    "closure": Sum("closure_candidate"),
    # As floats: turning thousands of sums into Decimal objects was slow.
    "planned": Cast(Sum("hours_planned"), FloatField()),
    "reported": Cast(Sum("hours_reported"), FloatField()),
}


class DaysBetween(Func):
    """The days (with their fraction) from the second timestamp to the first, as a float."""

    arity = 2
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s))", arg_joiner=") - julianday(")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)", arg_joiner=" - "
        )


@dataclass
class Table:
    """One table of the overview: shown on the page, drawn as a chart, exported as CSV/XLSX."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    chart: dict | None = None
    description: str = ""

    @property
    def html(self) -> SafeString:
        """The table's markup, built here rather than cell by cell in a template (it is most
        of the overview's page). Each cell carries its column's heading, so a phone shows
        each row as a labelled card; numbers are written as the reader's language writes them."""
        number = figure_formatter()
        head = format_html_join("", '<th scope="col">{}</th>', ((c,) for c in self.columns))
        body = format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    format_html('<th scope="row" data-label="{}">{}</th>', self.columns[0], row[0])
                    + format_html_join(
                        "",
                        '<td data-label="{}" class="portal-number">{}</td>',
                        ((column, number(value)) for column, value in zip(self.columns[1:], row[1:], strict=False)),
                    ),
                )
                for row in self.rows
            ),
        )
        return format_html(
            '<table class="ds-table portal-table-cards" data-zebra="true" data-size="sm"><caption class="ds-sr-only">{}'
            "</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
            self.title,
            head,
            body,
        )

    @property
    def chart_id(self) -> str:
        return f"{self.key}-data"


@dataclass
class UnitTree:
    """The organisation, read once per page: names, parents and children."""

    names: dict[int, str]
    parents: dict[int, int | None]
    children: dict[int | None, list[int]]

    @classmethod
    def load(cls, organisation_ids) -> "UnitTree":
        """The units of these organisations (the organisation is the root of the unit tree)."""
        names, parents, children = {}, {}, defaultdict(list)
        units = Unit.objects.of_organisations(organisation_ids).order_by("name")
        for pk, name, parent in units.values_list("pk", "name", "parent_id"):
            names[pk], parents[pk] = name, parent
            children[parent].append(pk)
        return cls(names, parents, dict(children))

    def subtree(self, pk: int) -> set[int]:
        found, stack = set(), [pk]
        while stack:
            unit = stack.pop()
            if unit not in found:
                found.add(unit)
                stack.extend(self.children.get(unit, []))
        return found

    def tops(self, scope: set[int]) -> list[int]:
        """The units of `scope` whose parent is outside it, in name order."""
        return sorted((u for u in scope if self.parents.get(u) not in scope), key=lambda u: self.names[u])

    def options(self, scope: set[int] | None) -> list:
        """Units to choose from, as a tree (indented by level)."""
        out = []

        def walk(pk, depth):
            out.append(_Option(pk, "\u2003" * depth + self.names[pk]))
            for child in self.children.get(pk, []):
                walk(child, depth + 1)

        for top in self.tops(set(self.names) if scope is None else scope):
            walk(top, 0)
        return out


@dataclass
class _Option:
    pk: int
    label: str


@dataclass
class Scope:
    """What a person sees: every unit of `organisation_ids` (None) or a set; the unit chosen, and
    the rows "by unit". Every figure is counted within the organisations, never beyond them."""

    unit_ids: set[int] | None
    groups: list[tuple[str, set[int]]]  # (row name, units rolled up into the row)
    label: str
    organisation_ids: frozenset = frozenset()


def scope_for(
    tree: UnitTree, allowed: set[int] | None, chosen: int | None, *, organisations=frozenset(), whole_label: str = ""
) -> Scope:
    """The scope of the tree's organisations (`organisations`): the unit chosen, a leader's
    `allowed` units, or (None) all of them, called `whole_label`."""
    organisations = frozenset(organisations)
    if chosen is not None:
        units = tree.subtree(chosen)
        groups = [(_("%(unit)s (its own accounts)") % {"unit": tree.names[chosen]}, {chosen})]
        groups += [(tree.names[c], tree.subtree(c)) for c in tree.children.get(chosen, [])]
        return Scope(units, groups, tree.names[chosen], organisations)
    tops = tree.tops(set(tree.names) if allowed is None else allowed)
    if len(tops) == 1:
        if allowed is not None:
            return scope_for(tree, allowed, tops[0], organisations=organisations)
        top = scope_for(tree, None, tops[0], organisations=organisations)
        return Scope(None, top.groups, whole_label, organisations)
    groups = [(tree.names[t], tree.subtree(t)) for t in tops]
    return Scope(allowed, groups, whole_label if allowed is None else _("Your units"), organisations)


def figure_formatter():
    """A function that writes a number as the active language does ("1 234", "66,7"), with
    the language's separators looked up once rather than for every cell."""
    decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")

    def write(value) -> str:
        if value is None:
            return "–"
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return str(value)
        text = f"{value:,}" if isinstance(value, int) else f"{float(value):,.1f}"
        return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)

    return write


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _months(start: date, end: date) -> list[date]:
    month, last, out = start.replace(day=1), end.replace(day=1), []
    while month <= last and len(out) < MAX_MONTHS:
        out.append(month)
        month = add_months(month, 1)
    return out


def _month_label(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _in_units(queryset, scope: Scope, unit_field: str = "unit"):
    """The rows of the scope's units, or (for a whole organisation) of its organisations' units."""
    if scope.unit_ids is not None:
        return queryset.filter(**{f"{unit_field}_id__in": scope.unit_ids})
    return queryset.filter(**{f"{unit_field}__organisation_id__in": scope.organisation_ids})


@dataclass
class Overview:
    scope: Scope
    start: date
    end: date
    today: date
    tables: dict[str, Table] = field(default_factory=dict)
    governance: dict = field(default_factory=dict)
    headline: dict = field(default_factory=dict)
    due: dict = field(default_factory=dict)
