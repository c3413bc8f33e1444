"""The open API answers as it did before it was built on django-ninja, and its OpenAPI
document still describes everything the old one did.

tests/data holds what the API gave before: the answers to a fixed set of requests about a
fixed register (tests/api_answers.py), and the document in each of its languages."""

import json

import pytest

from . import api_answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def answers_made_afresh(settings):
    settings.PUBLIC_PAGE_CACHE = False


def test_every_answer_is_the_one_given_before(client, cast):
    api_answers.make_register(cast)
    before = json.loads(api_answers.ANSWERS.read_text(encoding="utf-8"))
    now = api_answers.answers(client, cast)
    assert len(now) == len(before) == len(api_answers.REQUESTS)
    for old, new in zip(before, now, strict=True):
        assert new == old, old["request"]
