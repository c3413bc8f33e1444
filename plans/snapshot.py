"""A plan as plain data: what a version freezes, what the PDF and the e-mail show,
and what the field-by-field comparison of two versions reads."""

import difflib
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import template_text as tt


def plan_snapshot(plan) -> dict:
    """Everything the unit wrote, with names frozen as they were when it was sent."""
    leader = plan.unit.effective_leader()
    return {
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


def plan_sections(snap: dict) -> list[Section]:
    """The six fields of the template, each as labelled lines, in the template's order."""
    goal_lines = []
    for number, goal in enumerate(snap["goals"], start=1):
        goal_lines += [
            Line(_("Goal %(number)s") % {"number": number}, goal["goal"]),
            Line(_("Effect wanted"), goal["effect"]),
            Line(_("Indicator"), goal["indicator"]),
            Line(_("Target value"), goal["target_value"]),
            Line(_("Time frame"), goal["time_frame"]),
            Line(_("How it will be evaluated"), goal["evaluation"]),
        ]
    channel_lines = [Line(c["platform"], c["justification"]) for c in snap["channels"]]
    return [
        Section(tt.GOALS.key, tt.GOALS.name, tt.GOALS.guidance, goal_lines),
        Section(
            tt.TARGET_GROUPS.key,
            tt.TARGET_GROUPS.name,
            tt.TARGET_GROUPS.guidance,
            [
                Line(_("Main target group"), snap["main_target_group"]),
                Line(_("Secondary target groups"), snap["secondary_target_groups"]),
            ],
        ),
        Section(tt.CHANNELS.key, tt.CHANNELS.name, tt.CHANNELS.guidance, channel_lines),
        Section(
            tt.CONTENT.key,
            tt.CONTENT.name,
            tt.CONTENT.guidance,
            [
                Line(_("Kinds of content"), snap["content_types"]),
                Line(_("Themes"), snap["content_themes"]),
                Line(_("How often"), snap["content_frequency"]),
            ],
        ),
        Section(
            tt.RESOURCES.key,
            tt.RESOURCES.name,
            tt.RESOURCES.guidance,
            [
                Line(_("Responsible editor"), snap["editor"]),
                Line(_("Deputies"), ", ".join(snap["deputies"])),
                Line(_("Hours per week"), _hours(snap["hours_per_week"])),
                Line(_("Other resources"), snap["other_resources"]),
            ],
        ),
        Section(tt.RESULT.key, tt.RESULT.name, tt.RESULT.guidance, [Line(_("Result"), snap["result"])]),
    ]


@dataclass
class SectionChange:
    section: Section
    changed: bool
    diff_html: SafeString


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


def compare(old: dict, new: dict) -> list[SectionChange]:
    changes = []
    for before, after in zip(plan_sections(old), plan_sections(new), strict=True):
        changed = before.text != after.text
        diff = word_diff(before.text, after.text) if changed else mark_safe(escape(after.text))
        changes.append(SectionChange(after, changed, diff))
    return changes
