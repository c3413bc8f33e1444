"""An uploaded file held for a confirmation (core/held.py): only its owner finds it, an old one
says so, the periodic job deletes it once it has expired, and no file over the limit is held."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone, translation

from core import held as holding
from core.errors import DomainError
from core.models import HeldUpload
from core.periodic import delete_expired_uploads

CONTENT = "enhet_id;navn\n1;Blåbærsyltetøy\n".encode() * 100


@pytest.fixture
def kept(cast):
    return holding.hold(
        owner=cast["adviser"], purpose="test.import", filename="fil.csv", content=CONTENT, lifetime=timedelta(hours=1)
    )


def test_a_held_file_comes_back_whole_and_is_kept_compressed(cast, kept):
    found = holding.held_for(owner=cast["adviser"], purpose="test.import", pk=kept.pk)
    assert holding.content_of(found) == CONTENT
    assert found.size == len(CONTENT) and len(found.content) < len(CONTENT) / 10


@pytest.mark.parametrize(
    "who,purpose,pk",
    [
        ("member", "test.import", None),
        ("adviser", "other.flow", None),
        ("adviser", "test.import", "999999"),
        ("adviser", "test.import", "1 OR 1"),
    ],
)
def test_someone_elses_or_a_forged_id_is_not_found(cast, kept, who, purpose, pk):
    with pytest.raises(Http404):
        holding.held_for(owner=cast[who], purpose=purpose, pk=pk or kept.pk)


def test_an_expired_file_says_so_and_the_periodic_job_deletes_it(cast, kept):
    later = timezone.now() + timedelta(hours=2)
    with translation.override("en"), pytest.raises(holding.HeldUploadExpired) as expired:
        holding.held_for(owner=cast["adviser"], purpose="test.import", pk=kept.pk, now=later)
    assert "Upload it again" in str(expired.value.message)
    assert delete_expired_uploads(now=timezone.now()) == ""  # not yet
    assert "1 uploaded file" in delete_expired_uploads(now=later)
    assert not HeldUpload.objects.exists()


def test_a_file_over_the_limit_is_never_held(cast):
    with pytest.raises(DomainError):
        holding.hold(
            owner=cast["adviser"], purpose="t", filename="f", content=b"x" * 101, lifetime=timedelta(1), max_bytes=100
        )
    assert not HeldUpload.objects.exists()


def test_a_damaged_held_file_asks_for_the_file_again(cast, kept):
    HeldUpload.objects.filter(pk=kept.pk).update(content=b"not zlib")
    kept.refresh_from_db()
    with pytest.raises(holding.HeldUploadExpired):
        holding.content_of(kept)
