"""The passage a handbook search shows under each hit (handbook.search, the plain search used
where PostgreSQL's own is not): cut between words, never in the middle of one."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.search import START, STOP, _passage

WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=1, max_size=14), min_size=1, max_size=120)


def shown(passage: str) -> str:
    """The passage's text, without its highlights and the ellipses that say it was cut."""
    text = passage.replace("<mark>", "").replace("</mark>", "")
    return text.removeprefix("… ").removesuffix(" …")


def test_a_long_paragraph_is_cut_between_words():
    paragraph = (
        "Innlegg om pasientar krev samtykke. " * 6
        + "Del gjerne sjukehuset sine eigne pasienthistorier og meistringshistorier. "
        + "Unngå sjukdomsforteljingar utan samtykke frå pasienten sjølv. " * 6
    )
    passage = _passage(paragraph, re.compile("meistring", re.IGNORECASE))
    assert passage.startswith("… ") and passage.endswith(" …")
    text = shown(passage)
    assert f" {text} " in f" {paragraph} "  # whole words only, at both ends
    assert "<mark>meistring</mark>shistorier" in passage


@settings(max_examples=200, deadline=None)
@given(words=WORDS, hit=st.integers(0, 119))
def test_every_passage_starts_and_ends_with_a_whole_word(words, hit):
    target = words[hit % len(words)]
    paragraph = " ".join(words)
    passage = _passage(paragraph, re.compile(re.escape(target), re.IGNORECASE))
    assert START not in passage and STOP not in passage
    text = shown(passage)
    assert text and f" {text} " in f" {paragraph} "
    assert "<mark>" in passage
