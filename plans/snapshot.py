"""A plan as plain data: what a version freezes, what the PDF and the e-mail show,
and what the field-by-field comparison of two versions reads."""

import difflib
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import template_text as tt


def plan_snapshot(plan) -> dict:
    """Everything the unit wrote, with names frozen as they were when it was sent."""
    leader = plan.unit.effective_leader()
    return {
        "title": plan.title,
        "unit": plan.unit.name,
        "leader": leader.full_name if leader else "",
        "author": plan.author.full_name,
        "goals": [g.as_dict() for g in plan.goals.all()],
        "main_target_group": plan.main_target_group,
        "secondary_target_groups": plan.secondary_target_groups,
        "channels": [{"platform": c.platform.name, "justification": c.justification} for c in plan.channels.all()],
        "content_types": plan.content_types,
        "content_themes": plan.content_themes,
        "content_frequency": plan.content_frequency,
        "editor": plan.editor.full_name if plan.editor else "",
        "deputies": [d.full_name for d in plan.deputies.all()],
        "hours_per_week": str(plan.hours_per_week) if plan.hours_per_week is not None else "",
        "other_resources": plan.other_resources,
        "result": plan.result,
    }


@dataclass
class Line:
    label: str
    value: str
    # Where the value comes from ("goals.1.target_value", "channels.Instagram",
    # "resources.editor"): what the comparison of two versions matches on.
    key: str = ""


@dataclass
class Section:
    key: str
    name: str
    guidance: str
    lines: list[Line]

    @property
    def text(self) -> str:
        return "\n".join(f"{line.label}: {line.value}" for line in self.lines)

    @property
    def is_empty(self) -> bool:
        return not any(line.value for line in self.lines)


def _hours(value: str) -> str:
    if not value:
        return ""
    return number_format(value, decimal_pos=1)


def goal_labels() -> dict[str, str]:
    """The label of each of a goal's fields, in the form's order."""
    return {
        "goal": _("Goal"),
        "effect": _("Effect wanted"),
        "indicator": _("Indicator"),
        "target_value": _("Target value"),
        "time_frame": _("Time frame"),
        "evaluation": _("How it will be evaluated"),
    }


def _goal_lines(number: int, goal: dict) -> list[Line]:
    labels = goal_labels()
    lines = []
    for name, label in labels.items():
        if name == "goal":
            label = _("Goal %(number)s") % {"number": number}
        lines.append(Line(label, goal.get(name, ""), f"goals.{number}.{name}"))
    return lines


def plan_sections(snap: dict) -> list[Section]:
    """The six fields of the template, each as labelled lines, in the template's order."""
    goal_lines = []
    for number, goal in enumerate(snap["goals"], start=1):
        goal_lines += _goal_lines(number, goal)
    channel_lines = [Line(c["platform"], c["justification"], f"channels.{c['platform']}") for c in snap["channels"]]
    return [
        Section(tt.GOALS.key, tt.GOALS.name, tt.GOALS.guidance, goal_lines),
        Section(
            tt.TARGET_GROUPS.key,
            tt.TARGET_GROUPS.name,
            tt.TARGET_GROUPS.guidance,
            [
                Line(_("Main target group"), snap["main_target_group"], "target_groups.main"),
                Line(_("Secondary target groups"), snap["secondary_target_groups"], "target_groups.secondary"),
            ],
        ),
        Section(tt.CHANNELS.key, tt.CHANNELS.name, tt.CHANNELS.guidance, channel_lines),
        Section(
            tt.CONTENT.key,
            tt.CONTENT.name,
            tt.CONTENT.guidance,
            [
                Line(_("Kinds of content"), snap["content_types"], "content.types"),
                Line(_("Themes"), snap["content_themes"], "content.themes"),
                Line(_("How often"), snap["content_frequency"], "content.frequency"),
            ],
        ),
        Section(
            tt.RESOURCES.key,
            tt.RESOURCES.name,
            tt.RESOURCES.guidance,
            [
                Line(_("Responsible editor"), snap["editor"], "resources.editor"),
                Line(_("Deputies"), ", ".join(snap["deputies"]), "resources.deputies"),
                Line(_("Hours per week"), _hours(snap["hours_per_week"]), "resources.hours_per_week"),
                Line(_("Other resources"), snap["other_resources"], "resources.other"),
            ],
        ),
        Section(tt.RESULT.key, tt.RESULT.name, tt.RESULT.guidance, [Line(_("Result"), snap["result"], "result")]),
    ]


# The comparison of two versions, one value at a time: a label is never part of a
# diff, so a changed target value is marked under "Target value" and nowhere else.

SAME, CHANGED, ADDED, REMOVED = "same", "changed", "added", "removed"


@dataclass
class RowChange:
    key: str
    label: str
    state: str
    html: SafeString
    group: str = ""  # a goal's heading ("Goal 2"), so its fields stay together

    @property
    def changed(self) -> bool:
        return self.state != SAME


@dataclass
class SectionChange:
    section: Section
    rows: list[RowChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(row.changed for row in self.rows)


def word_diff(old: str, new: str) -> SafeString:
    """Old and new text as escaped HTML with <del> and <ins> around what changed."""
    a, b = old.split(" "), new.split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))


def _row(key: str, label: str, old: str | None, new: str | None, group: str = "") -> RowChange:
    if old is None:
        return RowChange(key, label, ADDED, mark_safe(f"<ins>{escape(new)}</ins>") if new else mark_safe(""), group)
    if new is None:
        return RowChange(key, label, REMOVED, mark_safe(f"<del>{escape(old)}</del>") if old else mark_safe(""), group)
    if old == new:
        return RowChange(key, label, SAME, mark_safe(escape(new)), group)
    return RowChange(key, label, CHANGED, word_diff(old, new), group)


def _pairs(old: list, new: list, signature) -> list[tuple]:
    """Old and new items matched up: unchanged items by content (so removing the first
    goal does not mark every goal after it), edited ones by their place in between."""
    matcher = difflib.SequenceMatcher(a=[signature(x) for x in old], b=[signature(x) for x in new], autojunk=False)
    pairs = []
    for _op, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        for n in range(max(len(olds), len(news))):
            pairs.append((olds[n] if n < len(olds) else None, news[n] if n < len(news) else None))
    return pairs


def _goal_rows(old_goals: list[dict], new_goals: list[dict]) -> list[RowChange]:
    rows = []
    labels = goal_labels()
    for i, j in _pairs(old_goals, new_goals, lambda g: tuple(sorted(g.items()))):
        number = (j if j is not None else i) + 1
        group = _("Goal %(number)s") % {"number": number}
        if j is None:
            group = _("Goal %(number)s (removed)") % {"number": i + 1}
        elif i is None:
            group = _("Goal %(number)s (new)") % {"number": number}
        for name, label in labels.items():
            old = old_goals[i].get(name, "") if i is not None else None
            new = new_goals[j].get(name, "") if j is not None else None
            if (old is None and not new) or (new is None and not old):
                continue  # an empty field of a goal added or removed is no change worth showing
            where = f"{j + 1}" if j is not None else f"removed{i + 1}"
            rows.append(_row(f"goals.{where}.{name}", label, old, new, group))
    return rows


def _channel_rows(old_channels: list[dict], new_channels: list[dict]) -> list[RowChange]:
    old = {c["platform"]: c["justification"] for c in old_channels}
    new = {c["platform"]: c["justification"] for c in new_channels}
    names = [c["platform"] for c in new_channels] + [c["platform"] for c in old_channels if c["platform"] not in new]
    return [_row(f"channels.{name}", name, old.get(name), new.get(name)) for name in names]


def compare(old: dict, new: dict) -> list[SectionChange]:
    changes = []
    before = {section.key: section for section in plan_sections(old)}
    for section in plan_sections(new):
        if section.key == tt.GOALS.key:
            rows = _goal_rows(old["goals"], new["goals"])
        elif section.key == tt.CHANNELS.key:
            rows = _channel_rows(old["channels"], new["channels"])
        else:
            rows = [
                _row(after.key, after.label, earlier.value, after.value)
                for earlier, after in zip(before[section.key].lines, section.lines, strict=True)
            ]
        changes.append(SectionChange(section, rows))
    return changes


def title_change(old: dict, new: dict) -> RowChange | None:
    """The plan's title, when it changed (versions from before titles had none to compare)."""
    if "title" not in old or old["title"] == new.get("title", ""):
        return None
    return _row("title", _("Title"), old["title"], new.get("title", ""))
