"""The comparison of two versions marks exactly the value that changed, and nothing else.

A table of single-field edits: each changes one value of a two-goal, two-channel plan and
asserts that the comparison marks that value alone, with its label outside every diff, and
that the review page shows the same (unchanged sections folded away)."""

import copy
import re

import pytest
from django.template.loader import render_to_string

from plans.snapshot import compare, goal_labels, title_change

BASE = {
    "title": "Instagram for unge blodgivarar",
    "unit": "Blodbanken i Bergen",
    "leader": "Håkon Vik",
    "author": "Silje Dale",
    "goals": [
        {
            "goal": "Fleire nye blodgivarar",
            "effect": "Unge melder seg",
            "indicator": "Nye givarar",
            "target_value": "300 nye givere",
            "time_frame": "Innan 2027",
            "evaluation": "Teljing kvart kvartal",
        },
        {
            "goal": "Halde på givarane",
            "effect": "Dei kjem att",
            "indicator": "Givarar som gjev att",
            "target_value": "80 %",
            "time_frame": "Kvart år",
            "evaluation": "Tal frå Blodbanken",
        },
    ],
    "main_target_group": "Unge vaksne i Bergen",
    "secondary_target_groups": "Studentar",
    "channels": [
        {"platform": "Instagram", "justification": "Der er dei unge"},
        {"platform": "Facebook", "justification": "Givarane vi har"},
    ],
    "content_types": "Korte videoar",
    "content_themes": "Kvifor blod trengst",
    "content_frequency": "To gonger i veka",
    "editor": "Silje Dale",
    "deputies": ["Jonas Berg"],
    "hours_per_week": "4",
    "other_resources": "Hjelp frå Kommunikasjonsavdelinga",
    "result": "",
}


def goal(n, field, value):
    def change(snap):
        snap["goals"][n][field] = value

    return change


def top(field, value):
    def change(snap):
        snap[field] = value

    return change


def channel(n, value):
    def change(snap):
        snap["channels"][n]["justification"] = value

    return change


# (what is edited, the edit, the key that must be marked, its state)
EDITS = [
    ("goal 1: goal", goal(0, "goal", "Fleire blodgivarar under 30"), "goals.1.goal", "changed"),
    ("goal 1: effect", goal(0, "effect", "Unge melder seg og kjem att"), "goals.1.effect", "changed"),
    ("goal 1: indicator", goal(0, "indicator", "Nye givarar frå Instagram"), "goals.1.indicator", "changed"),
    # The case that started it: only the target value changes, not the time frame.
    ("goal 1: target", goal(0, "target_value", "300 nye givere under 30 år"), "goals.1.target_value", "changed"),
    ("goal 1: time frame", goal(0, "time_frame", "Innan 2028"), "goals.1.time_frame", "changed"),
    ("goal 1: method", goal(0, "evaluation", "Teljing kvar månad"), "goals.1.evaluation", "changed"),
    ("goal 2: target", goal(1, "target_value", "85 %"), "goals.2.target_value", "changed"),
    ("goal 2: time frame", goal(1, "time_frame", "Kvart halvår"), "goals.2.time_frame", "changed"),
    ("main target group", top("main_target_group", "Unge vaksne i Vestland"), "target_groups.main", "changed"),
    (
        "secondary groups",
        top("secondary_target_groups", "Studentar og lærlingar"),
        "target_groups.secondary",
        "changed",
    ),
    ("channel 1", channel(0, "Der er dei unge vaksne"), "channels.Instagram", "changed"),
    ("channel 2", channel(1, "Givarane vi har no"), "channels.Facebook", "changed"),
    ("kinds of content", top("content_types", "Korte videoar og bilete"), "content.types", "changed"),
    ("themes", top("content_themes", "Kven kan gje blod"), "content.themes", "changed"),
    ("how often", top("content_frequency", "Tre gonger i veka"), "content.frequency", "changed"),
    ("editor", top("editor", "Jonas Berg"), "resources.editor", "changed"),
    ("deputies", top("deputies", ["Jonas Berg", "Ane Brekke"]), "resources.deputies", "changed"),
    ("hours", top("hours_per_week", "6.5"), "resources.hours_per_week", "changed"),
    ("other resources", top("other_resources", "Ingen"), "resources.other", "changed"),
    ("result", top("result", "Vi nådde målet"), "result", "changed"),
    (
        "a channel added",
        lambda s: s["channels"].append({"platform": "TikTok", "justification": "Nye givarar"}),
        "channels.TikTok",
        "added",
    ),
    ("a channel removed", lambda s: s["channels"].pop(1), "channels.Facebook", "removed"),
]


def marked(changes):
    return [(row.key, row.state) for change in changes for row in change.rows if row.changed]


@pytest.mark.parametrize("what,edit,key,state", EDITS, ids=[e[0] for e in EDITS])
def test_a_single_edit_marks_that_value_alone(what, edit, key, state):
    new = copy.deepcopy(BASE)
    edit(new)
    changes = compare(BASE, new)
    assert marked(changes) == [(key, state)]
    assert [c.section.key for c in changes if c.changed] == [key.split(".")[0]]
    assert title_change(BASE, new) is None


@pytest.mark.parametrize("what,edit,key,state", EDITS, ids=[e[0] for e in EDITS])
def test_the_page_marks_that_value_alone_and_never_a_label(what, edit, key, state):
    new = copy.deepcopy(BASE)
    edit(new)
    html = render_to_string(
        "plans/_changes.html",
        {"changes": compare(BASE, new), "old": {"number": 1}, "new": {"number": 2}},
    )
    # Every <ins> and <del> sits in the value of the one row that changed.
    rows = re.findall(
        r'<dd class="portal-diff[^"]*" data-change="([^"]+)" data-state="(\w+)"[^>]*>(.*?)</dd>', html, re.S
    )
    with_marks = [k for k, _state, value in rows if "<ins>" in value or "<del>" in value]
    assert with_marks == [key]
    for label in re.findall(r"<dt[^>]*>(.*?)</dt>", html, re.S):
        assert "<ins>" not in label and "<del>" not in label
    # Five sections unchanged: folded away.
    assert html.count("<details") == 5


def test_the_target_value_case_from_the_issue():
    new = copy.deepcopy(BASE)
    new["goals"][0]["target_value"] = "300 nye givere under 30 år"
    [goals] = [c for c in compare(BASE, new) if c.changed]
    rows = {row.key: row for row in goals.rows}
    assert str(rows["goals.1.target_value"].html) == "300 nye givere <ins>under 30 år</ins>"
    assert rows["goals.1.target_value"].label == goal_labels()["target_value"]  # the label, not in the diff
    assert not rows["goals.1.time_frame"].changed and "<" not in str(rows["goals.1.time_frame"].html)


def test_removing_the_first_goal_does_not_mark_the_next_one_changed():
    new = copy.deepcopy(BASE)
    new["goals"].pop(0)
    rows = [row for change in compare(BASE, new) for row in change.rows if row.changed]
    assert {row.state for row in rows} == {"removed"}
    assert all(row.key.startswith("goals.removed1.") for row in rows)


def test_a_new_title_is_shown_and_versions_without_titles_compare_quietly():
    new = copy.deepcopy(BASE)
    new["title"] = "Instagram for unge givarar"
    change = title_change(BASE, new)
    assert change.changed and "<ins>givarar</ins>" in str(change.html)
    old = copy.deepcopy(BASE)
    del old["title"]  # a version sent before plans had titles
    assert title_change(old, BASE) is None


def test_markup_in_a_changed_value_stays_text():
    new = copy.deepcopy(BASE)
    new["main_target_group"] = "<script>alert(1)</script>"
    [row] = [row for change in compare(BASE, new) for row in change.rows if row.changed]
    assert "<script>" not in str(row.html) and "&lt;script&gt;" in str(row.html)
