"""Remembered answers in the shared cache: every change to what they show is seen at once.

The cache lives in the database (core.cache), or in Redis (CACHE_URL), so every web node reads
the same entries; a change renews the answers' generation (core.caching), so the next answer is
made afresh. Each test asks first (the answer is remembered), changes the data as the department
does, and asks again: with the database's cache, and with a real Redis server started for the
test. The load benchmark (bench/load.py) checks the same across two running web nodes.
"""

import shutil
import socket
import subprocess

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from accounts.services import unit_save
from config.settings import cache_from_url
from core import caching
from core.cache import SharedDatabaseCache
from handbook import services as handbook_services
from handbook.models import Document
from platforms.models import Platform
from platforms.profiles import read_profile
from platforms.services import platform_save
from registry import services
from registry.models import AccountStatus

from .mailserver import free_port
from .processes import wait_for
from .registry_helpers import details

URL = "https://www.instagram.com/blodbanken_bergen/"


def api_verify(client, text=URL):
    return client.get(reverse("api:verify"), {"url": text}).json()


def page_verify(client, text=URL):
    context = client.get(reverse("registry:verify"), {"q": text}).context
    return context["verdict"], context["account"].display_name if context["account"] else None


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The test runs once with the database's cache table, and once with a Redis server of its
    own (`redis-server`, installed by `make system-packages`)."""
    if request.param == "database":
        yield request.param
        return
    port = free_port()
    server = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _answers(port), timeout=10, what=f"redis-server on port {port}")
        settings.CACHES = {"default": cache_from_url(f"redis://127.0.0.1:{port}/0")}
        assert type(caches["default"]).__name__ == "RedisCache"
        yield request.param
    finally:
        server.terminate()
        server.wait(10)


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
        return True
    except OSError:
        return False


def test_the_cache_is_shared_by_every_node_never_one_process_memory():
    assert isinstance(caches["default"], SharedDatabaseCache)
    assert cache_from_url("")["BACKEND"] == "core.cache.SharedDatabaseCache"
    assert cache_from_url("redis://127.0.0.1:6379/0")["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.django_db
def test_the_database_cache_writes_reads_overwrites_and_forgets():
    cache.set("svar", {"a": 1}, 60)
    cache.set("svar", {"a": 2}, 60)  # one upsert, not a second row
    assert cache.get("svar") == {"a": 2}
    assert cache.get_many(["svar", "ukjend"]) == {"svar": {"a": 2}}
    cache.set("gammalt", "x", -1)  # already expired
    assert cache.get("gammalt") is None
    cache.delete("svar")
    assert cache.get("svar") is None


@pytest.mark.django_db
def test_the_periodic_job_trims_the_table_and_may_run_twice(monkeypatch):
    from core.periodic import trim_shared_cache

    cache.set("levande", 1, 60)
    cache.set("utgått", 2, -1)
    trim_shared_cache()
    trim_shared_cache()
    assert cache.get("levande") == 1
    assert cache.trim() == 1  # the expired entry is gone from the table, not only hidden
    monkeypatch.setattr(caches["default"], "_max_entries", 10)  # over the limit: a share of the entries goes
    for n in range(30):
        cache.set(f"svar{n}", n, 60)
    assert cache.trim() < 31


@pytest.mark.django_db
@pytest.mark.usefixtures("shared_cache")
def test_remembered_answers_are_made_once_per_generation():
    made = []

    def compute():
        made.append(1)
        return len(made)

    assert caching.remembered("prøve", ("a",), compute) == 1
    assert caching.remembered("prøve", ("a",), compute) == 1
    assert caching.remembered("prøve", ("b",), compute) == 2  # other parts, other answer
    caching.renew("prøve")
    assert caching.remembered("prøve", ("a",), compute) == 3
    cache.clear()  # the cache emptied (or the generation dropped): answers are made afresh
    assert caching.remembered("prøve", ("a",), compute) == 4


@pytest.mark.usefixtures("shared_cache")
def test_verify_is_right_after_register_rename_and_close(client, make_account, cast):
    assert api_verify(client)["result"] == "unknown"
    assert page_verify(client) == ("unknown", None)
    account = make_account(status=AccountStatus.ACTIVE)
    answer = api_verify(client)
    assert answer["result"] == "official" and answer["account"]["display_name"] == "Blodbanken i Bergen"
    assert page_verify(client) == ("official", "Blodbanken i Bergen")

    services.account_update(
        account=account,
        actor=cast["adviser"],
        profile=read_profile(URL),
        details=details(cast, display_name="Blodbanken – Haukeland"),
    )
    assert api_verify(client)["account"]["display_name"] == "Blodbanken – Haukeland"
    assert page_verify(client) == ("official", "Blodbanken – Haukeland")

    services.account_transition(account=account, actor=cast["adviser"], action="close")
    assert api_verify(client)["result"] == "closed"
    assert page_verify(client) == ("closed", "Blodbanken – Haukeland")


@pytest.mark.usefixtures("shared_cache")
def test_a_new_address_for_an_account_moves_its_answer(client, make_account, cast):
    account = make_account(status=AccountStatus.ACTIVE)
    assert api_verify(client)["result"] == "official"
    moved = "https://www.instagram.com/blodbanken_haukeland/"
    services.account_update(account=account, actor=cast["adviser"], profile=read_profile(moved), details=details(cast))
    assert api_verify(client)["result"] == "unknown"
    assert api_verify(client, moved)["result"] == "official"


@pytest.mark.usefixtures("shared_cache")
def test_a_renamed_platform_or_unit_is_in_the_next_answer(client, make_account, cast):
    make_account(status=AccountStatus.ACTIVE)
    assert api_verify(client)["profile"]["platform"]["name"] == "Instagram"
    platform = Platform.objects.get(slug="instagram")
    platform.name = "Instagram (Meta)"
    platform_save(platform=platform, actor=cast["admin"], changed=["name"])
    assert api_verify(client)["profile"]["platform"]["name"] == "Instagram (Meta)"
    unit = cast["unit"]
    unit.name = "Blodbanken i Bergen og Voss"
    unit_save(unit=unit, actor=cast["admin"], changed=["name"])
    assert api_verify(client)["account"]["unit"]["name"] == "Blodbanken i Bergen og Voss"


def test_refused_addresses_are_remembered_in_each_language(client, catalogue):
    post = "https://www.instagram.com/p/C0ffee123/"
    first = client.get(reverse("api:verify"), {"url": post, "lang": "en"}).json()
    again = client.get(reverse("api:verify"), {"url": post, "lang": "en"}).json()
    norwegian = client.get(reverse("api:verify"), {"url": post, "lang": "nn"}).json()
    assert first == again and first["error"]["code"] == "not_a_profile"
    assert norwegian["error"]["message"] != first["error"]["message"]


@pytest.mark.usefixtures("shared_cache")
def test_the_public_list_counts_a_new_official_account_at_once(client, make_account):
    make_account(status=AccountStatus.ACTIVE)
    assert client.get(reverse("registry:public_list")).context["page"].paginator.count == 1
    make_account("https://www.facebook.com/blodbankenbergen", status=AccountStatus.ACTIVE)
    assert client.get(reverse("registry:public_list")).context["page"].paginator.count == 2


@pytest.mark.usefixtures("shared_cache")
def test_the_register_overview_follows_accounts_plans_and_people_leaving(client, make_account, make_plan, cast):
    client.force_login(cast["adviser"])
    account = make_account(status=AccountStatus.ACTIVE)

    def overview():
        return client.get(reverse("registry:register")).context["overview"]

    assert overview()["by_status"]["active"] == 1 and overview()["plan_missing"] == 1
    plan = make_plan("approved")
    services.account_update(
        account=account, actor=cast["adviser"], profile=read_profile(URL), details=details(cast, plan=plan)
    )
    assert overview()["plan_missing"] == 0
    services.editor_left(user=cast["member"])  # marked with update(), which sends no signal
    assert overview()["needs_new_editor"] == 1
    services.account_transition(account=account, actor=cast["adviser"], action="close")
    assert overview()["by_status"]["closed"] == 1


@pytest.mark.usefixtures("shared_cache")
def test_a_published_chapter_is_found_by_the_next_search(client, cast, shipped_handbook):
    chapter = Document.objects.published().chapters().first()
    search = reverse("handbook:search")
    assert client.get(search, {"q": "sjokoladekake"}).context["hits"] == []
    handbook_services.document_save_draft(
        document=chapter,
        actor=cast["adviser"],
        revision=chapter.draft_revision,
        title=chapter.draft_title,
        body=chapter.draft_body + "\n\nVi bakar sjokoladekake til dei nye blodgjevarane.",
    )
    handbook_services.document_publish(document=Document.objects.get(pk=chapter.pk), actor=cast["adviser"])
    hits = client.get(search, {"q": "sjokoladekake"}).context["hits"]
    assert [hit.url for hit in hits] == [chapter.get_absolute_url()]


@pytest.fixture
def shipped_handbook(db):
    from django.apps import apps

    from handbook.content import load_shipped

    if not Document.objects.exists():  # transactional tests empty the tables
        load_shipped(apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"))


@pytest.mark.django_db(transaction=True)
def test_two_writers_renewing_two_names_in_turn_do_not_wait_for_each_other():
    """A renewal writes nothing to the cache inside a transaction, so two writers that renew
    in opposite order neither block nor deadlock (on PostgreSQL they once did), and each name
    gets its new generation when they commit."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writing transaction in at a time: there is nothing to interleave")
    before = {name: caching.remembered(name, ("x",), lambda: "old") for name in ("first", "second")}
    assert before == {"first": "old", "second": "old"}
    both_hold_one = threading.Barrier(2, timeout=15)
    errors = []

    def writer(one, other):
        try:
            with transaction.atomic():
                caching.renew(one)
                both_hold_one.wait()
                caching.renew(other)
                # Inside the transaction this connection does not read its own stale answers.
                assert caching.remembered(one, ("x",), lambda: "new") == "new"
                both_hold_one.wait()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=names) for names in (("first", "second"), ("second", "first"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {name: caching.remembered(name, ("x",), lambda: "new") for name in before} == {
        "first": "new",
        "second": "new",
    }


def test_a_renewal_inside_a_transaction_that_rolls_back_leaves_nothing_pending(db):
    from django.db import transaction

    assert caching.remembered("rolled", ("x",), lambda: "kept") == "kept"
    with pytest.raises(RuntimeError), transaction.atomic():
        caching.renew("rolled")
        raise RuntimeError
    # Out of the transaction: answers come from the cache again (one renewal too many is allowed).
    assert caching.remembered("rolled", ("x",), lambda: "again") == "again"
    assert caching.remembered("rolled", ("x",), lambda: "not asked") == "again"


@pytest.mark.django_db
def test_every_write_keeps_the_table_within_its_maximum(monkeypatch):
    """Not only when the periodic job trims: a burst of writes between two runs stays bounded."""
    from django.db import connection

    monkeypatch.setattr(caches["default"], "_max_entries", 20)
    for n in range(200):
        cache.set(f"svar{n}", "x" * 100, 60)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM core_cache")
            assert cursor.fetchone()[0] <= 21
    assert cache.get("svar199") == "x" * 100  # the newest write is kept
