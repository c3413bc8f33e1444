"""Organisations are kept apart: every URL pattern × role × two organisations.

Two organisations, A (Helse Bergen) and B (Helse Stavanger), hold the same shape of data
(tests/organisations_apart.py), every name and text marked with its organisation. The patterns
are read from the URL configuration, so a new address is walked as soon as it exists:

- a pattern that takes an object: the member, the leader, the adviser and the administrator of
  one organisation (and an anonymous visitor on its host name) ask for the other's object and
  get 404, or exactly what they get for an object that does not exist at all (a page closed to
  their role answers 403 or sends them to log in before it looks for the object); never its
  page. The object's own people reach it (so the test asks for a real object), and what they
  get shows nothing of the other organisation.
- a pattern without an object (lists, the queue, exports, the API, the overview, the handbook
  and its PDF): what each role of one organisation gets names nothing of the other, and the
  same for an anonymous visitor on each organisation's own host name. The region's one public
  register shows every organisation's accounts by design: there, only what is private is looked
  for.
- searches, filters and exports with the other organisation's ids and words.
- counts and figures: new work in one organisation leaves the other's task counts and CSV
  exports as they were (a number names nothing a marker could find).
- the administration: closed to the organisations' people; an organisation's own administrator
  finds none of the other's people, units or memberships.
- e-mails: everything the portal wrote while the data was made, and the mails of sending a
  plan, deciding it, reporting a fake account or a barrier and signing up for a course, go
  only to the organisation's own people and mailbox, from its sender, name their organisation
  and nothing of the other.
- the region's adviser decides nothing in its organisations.

A pattern that takes arguments and that the test does not know how to fill fails
test_every_pattern_that_takes_an_object_is_walked: fill it in FILL below (or, for a pattern
with no organisation's data, explain it in NOT_AN_ORGANISATIONS_OBJECT).

One set of data for the module (made once, in a transaction rolled back at its end); each test
runs in a savepoint of its own, so an action that gets through changes nothing for the next.
"""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from .organisations_apart import build_world, leaks, text_of, url_patterns

# Everyone the test logs in as: a member and the leader of a unit, a communications adviser, and
# the organisation's own administrator (who keeps its units and people in the administration).
ROLES = ("member", "leader", "adviser", "administrator")
SIDES = (("a", "b"), ("b", "a"))  # (who asks, whose object)
DATA = "_data"  # in a filled pattern: what is sent with a POST
MISSING = {"pk": 987654321, "import_pk": 987654321, "number": 1, "code": "ZZZZZZ", "token": "x" * 43}


# ---------------------------------------------------------------------------------------------
# How each pattern that takes an object is filled, from one organisation's data (a Side).

FILL = {
    # The register
    "registry:detail": lambda s: {"pk": s.accounts["active"].pk},
    "registry:edit": lambda s: {"pk": s.accounts["active"].pk},
    "registry:check": lambda s: {"pk": s.accounts["setup"].pk},
    "registry:action": lambda s: {"pk": s.accounts["active"].pk, "action": "pause"},
    "registry:report_detail": lambda s: {"pk": s.objects["report0"].pk},
    # Plans
    "plans:detail": lambda s: {"pk": s.plans["draft"].pk},
    "plans:edit": lambda s: {"pk": s.plans["draft"].pk},
    "plans:action": lambda s: {"pk": s.plans["submitted"].pk, "action": "withdraw"},
    "plans:delete": lambda s: {"pk": s.plans["draft"].pk},
    "plans:readiness": lambda s: {"pk": s.plans["draft"].pk},
    "plans:sent": lambda s: {"pk": s.plans["submitted"].pk},
    "plans:comment": lambda s: {"pk": s.plans["submitted"].pk},
    "plans:pdf": lambda s: {"pk": s.plans["draft"].pk},
    "plans:version": lambda s: {"pk": s.plans["approved"].pk, "number": 1},
    "plans:version_pdf": lambda s: {"pk": s.plans["approved"].pk, "number": 1},
    "plans:compare": lambda s: {"pk": s.plans["approved"].pk},
    "plans:review": lambda s: {"pk": s.plans["submitted"].pk},
    "plans:decide": lambda s: {"pk": s.plans["in_review"].pk},
    # The organisation sync
    "organisation:run": lambda s: {"pk": s.objects["sync_run"].pk},
    "organisation:confirm": lambda s: {"pk": s.objects["sync_run"].pk},
    # Courses
    "courses:person_record": lambda s: {"pk": s.people["member"].pk},
    "courses:certificate": lambda s: {"pk": s.objects["completion"].pk},
    "courses:session": lambda s: {"pk": s.objects["session"].pk},
    "courses:session_edit": lambda s: {"pk": s.objects["session"].pk},
    "courses:session_cancel": lambda s: {"pk": s.objects["session"].pk},
    "courses:session_fill": lambda s: {"pk": s.objects["session"].pk},
    "courses:signup": lambda s: {"pk": s.objects["session"].pk},
    "courses:withdraw": lambda s: {"pk": s.objects["session"].pk},
    "courses:attendance": lambda s: {"pk": s.objects["held_session"].pk},
    "courses:question_edit": lambda s: {"pk": s.objects["question"].pk},
    "courses:quiz_result": lambda s: {"pk": s.objects["attempt"].pk},
    "courses:detail": lambda s: {"slug": s.objects["course"].slug},
    "courses:course_edit": lambda s: {"slug": s.objects["course"].slug},
    "courses:session_create": lambda s: {"slug": s.objects["course"].slug},
    "courses:quiz": lambda s: {"slug": s.objects["self_study"].slug},
    "courses:send_self_study": lambda s: {
        "slug": s.objects["self_study"].slug,
        DATA: {"person": s.people["member"].pk},
    },
    "courses:requirement": lambda s: {"slug": s.objects["course"].slug, DATA: {"required": "1"}},
    "courses:questions": lambda s: {"slug": s.objects["course"].slug},
    # Evaluations
    "evaluations:account": lambda s: {"pk": s.accounts["active"].pk},
    "evaluations:start": lambda s: {"pk": s.accounts["active"].pk},
    "evaluations:schedule": lambda s: {"pk": s.accounts["active"].pk},
    "evaluations:detail": lambda s: {"pk": s.objects["evaluation_sent"].pk},
    "evaluations:edit": lambda s: {"pk": s.objects["evaluation_draft"].pk},
    "evaluations:confirm": lambda s: {"pk": s.objects["evaluation_draft"].pk},
    "evaluations:return": lambda s: {"pk": s.objects["evaluation_draft"].pk},
    "evaluations:feedback": lambda s: {"pk": s.objects["evaluation_sent"].pk},
    "evaluations:close_account": lambda s: {"pk": s.objects["evaluation_sent"].pk},
    "evaluations:pdf": lambda s: {"pk": s.objects["evaluation_sent"].pk},
    "evaluations:import": lambda s: {"pk": s.objects["evaluation_draft"].pk},
    "evaluations:import_example": lambda s: {"pk": s.objects["evaluation_draft"].pk},
    "evaluations:import_check": lambda s: {
        "pk": s.objects["evaluation_draft"].pk,
        "import_pk": s.objects["figure_import"].pk,
    },
    "evaluations:import_save": lambda s: {
        "pk": s.objects["evaluation_draft"].pk,
        "import_pk": s.objects["figure_import"].pk,
    },
    # The archive and barrier reports
    "archive:send_again": lambda s: {"pk": s.objects["package"].pk},
    "accessibility:barrier_detail": lambda s: {"pk": s.objects["barrier"].pk},
}

# Patterns that take an object everyone may reach by design: the region's one public register
# (any account of any organisation can be looked up, by the public and by the API), and a
# calendar feed, whose secret address is the only key (whoever holds it reads its owner's
# sessions). What they show is searched for the other organisation's private data: the
# account's page for one organisation's account shows nothing private of it, and a feed shows
# only its owner's own organisation.
OPEN_BY_DESIGN = {
    "registry:public_account": lambda s: {"code": s.accounts["active"].code},
    "api:account": lambda s: {"code": s.accounts["active"].code},
    "courses:feed": lambda s: {"token": s.objects["feed_member"]},
}

# Pages of one organisation's public face (its start page under /o/<slug>/): everyone may read
# them; each shows its own organisation only, whoever reads it.
ORGANISATION_PAGES = {
    "registry:organisation": lambda s: {"slug": s.organisation.slug},
    "handbook:org_strategy": lambda s: {"slug": s.organisation.slug},
    "handbook:org_index": lambda s: {"slug": s.organisation.slug},
    "handbook:org_pdf": lambda s: {"slug": s.organisation.slug},
    "handbook:org_chapter": lambda s: {"slug": s.organisation.slug, "chapter": s.objects["chapter"]},
}

# Patterns whose argument is not an organisation's object.
NOT_AN_ORGANISATIONS_OBJECT = {
    # The demo's mail catcher shows the letters caught on disk, in demo mode only (404 outside
    # it): the whole installation's test mail, named by file.
    "demo:mail_detail": "a file of the demo's mail catcher, not an organisation's row",
    "demo:mail_attachment": "a file of the demo's mail catcher, not an organisation's row",
}

# Patterns whose argument names something every organisation has its own of (a chapter, a
# platform's terms, a fact): each organisation reads its own under the same name. What one
# organisation's people get is searched for the other's text.
SHARED_NAMES = {
    "handbook:chapter": lambda s: {"slug": s.objects["chapter"]},
    "handbook:edit": lambda s: {"slug": s.objects["chapter"]},
    "handbook:versions": lambda s: {"slug": s.objects["chapter"]},
    "handbook:compare": lambda s: {"slug": s.objects["chapter"]},
    "handbook:restore": lambda s: {"slug": s.objects["chapter"], "number": 1},
    "handbook:move": lambda s: {"slug": s.objects["chapter"]},
    "handbook:make_own": lambda s: {"slug": s.objects["chapter"]},
    "handbook:use_shared": lambda s: {"slug": s.objects["chapter"]},
    "facts:platform_edit": lambda s: {"slug": "instagram"},
    "facts:placeholder_edit": lambda s: {"key": s.objects["placeholder"]},
}

# The region's one public register: every organisation's public accounts and the units that
# own them are shown to everyone here by design; only private data must not appear.
PUBLIC_REGISTER = {
    "api:docs",  # its examples are accounts of the register
    "api:openapi",
    "registry:public_list",
    "registry:verify",
    "registry:public_account",
    "api:accounts",
    "api:account",
    "api:verify",
    "api:units",
}

# Patterns without an object that are not pages to read: actions taking POST only, the sign-on
# round trip (it leaves for the identity provider), and the administration, which only the
# super-administrator (staff and superuser, above every organisation) enters;
# test_the_administration_is_closed_to_the_organisations_people checks it sends everyone else
# to its own login.
NOT_READ = re.compile(r"^admin:|^accounts:(logout|sso_start|sso_callback)$|^core:set_language$|^api:not_found$")

# Leaks found and not yet mended: (URL name) → what leaks. Each is a strict xfail: the test
# fails the day it is mended, so the entry goes with the leak.
KNOWN_LEAKS: dict[str, str] = {}


def _filler(name):
    for table in (FILL, OPEN_BY_DESIGN, SHARED_NAMES, ORGANISATION_PAGES):
        if name in table:
            return table[name]
    return None


PATTERNS = url_patterns()
WITH_OBJECT = [p for p in PATTERNS if p.arguments and not p.name.startswith("admin:")]
WITHOUT_OBJECT = [p for p in PATTERNS if not p.arguments and not NOT_READ.search(p.name)]


def _param(name):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_LEAKS[name])] if name in KNOWN_LEAKS else []
    return pytest.param(name, id=name, marks=marks)


# ---------------------------------------------------------------------------------------------
# The data, once for the module


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from accounts.organisations import forget

    with django_db_blocker.unblock(), transaction.atomic():
        made = build_world()
        yield made
        transaction.set_rollback(True)
    forget()


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    """One browser per person, logged in once for the module (as people stay logged in from
    page to page), and one anonymous visitor per organisation, on its own host name."""
    from django.conf import settings
    from django.test import Client, override_settings

    found = {}
    hosts = [*settings.ALLOWED_HOSTS, "testserver", *(world[key].organisation.hosts()[0] for key in "ab")]
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch, override_settings(ALLOWED_HOSTS=hosts):
        # The menu's counts are kept in the session for a minute (core.worklist): for the whole
        # module here, so each page does not count them again. The front page, which lists the
        # tasks themselves, always works them out afresh and is walked like every page.
        patch.setattr("core.worklist.MENU_FRESH_FOR", 3600)
        for key in ("a", "b"):
            for role in ROLES:
                client = Client()
                client.force_login(world[key].people[role])
                client.get(reverse("core:home"))
                found[key, role] = client
            found[key, "anonymous"] = Client(HTTP_HOST=world[key].organisation.hosts()[0])
            # The handbook's PDF is made once per organisation and kept (handbook.pdf).
            found[key, "adviser"].get(reverse("handbook:pdf"))
            if "handbook:org_pdf" in {p.name for p in PATTERNS}:
                found[key, "anonymous"].get(reverse("handbook:org_pdf", args=[world[key].organisation.slug]))
        yield found


def _url(name, kwargs) -> tuple[str, dict]:
    kwargs = dict(kwargs)
    data = kwargs.pop(DATA, {})
    return reverse(name, kwargs=kwargs), data


def _ask(client, url_and_data):
    """GET the address, or POST to it (with its data) when it takes POST only."""
    url, data = url_and_data
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, data)
    return response


def _to_login(response) -> bool:
    return response.status_code == 302 and "/logg-inn/" in response.get("Location", "")


# ---------------------------------------------------------------------------------------------
# Every pattern is walked


def test_every_pattern_that_takes_an_object_is_walked():
    unknown = [
        f"{p.name} ({p.route})"
        for p in WITH_OBJECT
        if _filler(p.name) is None and p.name not in NOT_AN_ORGANISATIONS_OBJECT
    ]
    assert not unknown, (
        "These URL patterns take arguments this test cannot fill: add them to FILL (with the other "
        "organisation's object), OPEN_BY_DESIGN, SHARED_NAMES, ORGANISATION_PAGES or NOT_AN_ORGANISATIONS_OBJECT:\n"
        + "\n".join(unknown)
    )
    stale = set(FILL) | set(OPEN_BY_DESIGN) | set(SHARED_NAMES) | set(ORGANISATION_PAGES)
    stale |= set(NOT_AN_ORGANISATIONS_OBJECT) | set(KNOWN_LEAKS)
    names = {p.name for p in PATTERNS} | {f"query:{c[0]}" for c in QUERIES} | {"e-mail"}
    assert not stale - names, f"no longer in the URL configuration: {sorted(stale - names)}"


# ---------------------------------------------------------------------------------------------
# Another organisation's object


@pytest.mark.parametrize("name", [_param(p.name) for p in WITH_OBJECT if p.name in FILL])
def test_another_organisations_object_is_not_found(name, world, clients, db):
    problems = []
    for asking, owning in SIDES:
        url = _url(name, FILL[name](world[owning]))
        missing_url = _url(name, _missing(FILL[name](world[owning])))
        for role in (*ROLES, "anonymous"):  # anonymous: on the asking organisation's host name
            client = clients[asking, role]
            response = _ask(client, url)
            if response.status_code == 404:
                continue
            missing = _ask(client, missing_url)
            same_as_missing = response.status_code == missing.status_code and (
                response.status_code in (403, 405) or (_to_login(response) and _to_login(missing))
            )
            if not same_as_missing:
                found = leaks(text_of(response), world[owning].markers())
                problems.append(
                    f"{asking.upper()}'s {role} asking for {owning.upper()}'s object {url[0]}: "
                    f"{response.status_code} (for an object that does not exist: {missing.status_code})"
                    + (f"; shows {found[:2]}" if found else "")
                )
    # The object's own people reach it (so the test asked for a real object), and what they get
    # shows nothing of the other organisation.
    for other, owning in SIDES:
        url = _url(name, FILL[name](world[owning]))
        answers = {}
        for role in ("adviser", "member", "leader"):
            response = _ask(clients[owning, role], url)
            answers[role] = response.status_code
            if response.status_code == 200:
                found = leaks(text_of(response), world[other].markers())
                if found:
                    problems.append(f"{owning.upper()}'s {role} on their own {url[0]} sees {other.upper()}'s: {found}")
            if response.status_code in (200, 302):
                break
        assert set(answers.values()) != {404}, f"{url[0]}: its own organisation's people cannot reach it: {answers}"
    assert not problems, "\n".join(problems)


def _missing(kwargs):
    return {
        key: value if key in ("action", DATA) else MISSING.get(key, "no-such-thing") for key, value in kwargs.items()
    }


@pytest.mark.parametrize("name", [_param(p.name) for p in WITH_OBJECT if p.name in OPEN_BY_DESIGN])
def test_what_is_open_by_design_shows_nothing_private(name, world, clients, db):
    """Everyone reaches these; what they show of the organisation is only what it shows the
    public (a calendar feed shows its owner's own sessions: see test_a_calendar_feed_…)."""
    problems = []
    for asking, owning in SIDES:
        url = reverse(name, kwargs=OPEN_BY_DESIGN[name](world[owning]))
        for role in (*ROLES, "anonymous"):
            response = clients[asking, role].get(url)
            assert response.status_code == 200, (url, role, response.status_code)
            if name in PUBLIC_REGISTER:
                found = leaks(text_of(response), world[owning].markers(public_too=False))
                if found:
                    problems.append(f"{asking.upper()}'s {role} at {url} sees {owning.upper()}'s private: {found}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", [_param(p.name) for p in WITH_OBJECT if p.name in SHARED_NAMES])
def test_what_each_organisation_has_its_own_of_shows_only_its_own(name, world, clients, db):
    problems = []
    for asking, other in SIDES:
        url = reverse(name, kwargs=SHARED_NAMES[name](world[asking]))
        answers = {}
        for role in (*ROLES, "anonymous"):
            response = clients[asking, role].get(url)
            answers[role] = response.status_code
            if response.status_code == 200:
                text = text_of(response)
                found = leaks(text, world[other].markers())
                if found:
                    problems.append(f"{asking.upper()}'s {role} at {url} sees {other.upper()}'s: {found}")
                if name in OWN_TEXT_SHOWN and role == "adviser" and not leaks(text, [world[asking].private]):
                    problems.append(f"{asking.upper()}'s adviser at {url} does not see their own organisation's text")
        # The organisation's adviser reaches it (so the name is a real one).
        assert answers["adviser"] != 404, (url, answers)
    assert not problems, "\n".join(problems)


# Where each organisation's own text is shown to its adviser (so the search for the other's
# text looks at a page that holds an organisation's own).
OWN_TEXT_SHOWN = {"handbook:chapter", "handbook:edit", "handbook:versions", "facts:placeholder_edit"}


@pytest.mark.parametrize("name", [_param(p.name) for p in WITH_OBJECT if p.name in ORGANISATION_PAGES])
def test_an_organisations_own_page_shows_only_that_organisation(name, world, clients, db):
    problems = []
    for page_of, other in SIDES:
        url = reverse(name, kwargs=ORGANISATION_PAGES[name](world[page_of]))
        for reader in [(side, role) for side in "ab" for role in (*ROLES, "anonymous")]:
            response = clients[reader].get(url)
            assert response.status_code == 200, (url, reader, response.status_code)
            text = text_of(response)
            if reader[1] != "anonymous":  # the reader's own name in the header is theirs to see
                text = text.replace(world[reader[0]].people[reader[1]].full_name, "")
            found = leaks(text, world[other].markers())
            if found:
                problems.append(
                    f"{reader[0].upper()}'s {reader[1]} at {page_of.upper()}'s page {url} sees {other.upper()}'s: {found}"
                )
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Lists, queues, exports, the API, feeds and PDFs


@pytest.mark.parametrize("name", [_param(p.name) for p in WITHOUT_OBJECT])
def test_a_page_without_an_object_shows_nothing_of_another_organisation(name, world, clients, db):
    problems = []
    url = reverse(name)
    for asking, other in SIDES:
        markers = world[other].markers(public_too=name not in PUBLIC_REGISTER)
        for role in (*ROLES, "anonymous"):
            response = clients[asking, role].get(url)
            if response.status_code != 200:
                continue
            found = leaks(text_of(response), markers)
            if found:
                problems.append(f"{asking.upper()}'s {role} at {url} sees {other.upper()}'s: {found}")
    assert not problems, "\n".join(problems)


# Searches, filters and exports, with the other organisation's ids and words:
# (name, URL name, the query made from the asking side and the other side)
QUERIES = [
    ("register-search", "registry:register", lambda me, them: f"q={them.objects['word']}"),
    ("register-by-unit", "registry:register", lambda me, them: f"unit={them.units['unit'].pk}"),
    ("export-csv", "registry:export", lambda me, them: "format=csv"),
    ("export-xlsx", "registry:export", lambda me, them: "format=xlsx"),
    ("export-by-unit", "registry:export", lambda me, them: f"format=csv&unit={them.units['unit'].pk}"),
    ("new-account-from-plan", "registry:create", lambda me, them: f"plan={them.plans['approved'].pk}"),
    ("new-account-for-unit", "registry:create", lambda me, them: f"unit={them.units['unit'].pk}"),
    ("new-plan-for-unit", "plans:create", lambda me, them: f"unit={them.units['unit'].pk}"),
    ("plan-search", "plans:list", lambda me, them: f"q={them.objects['word']}"),
    ("queue-search", "plans:queue", lambda me, them: f"q={them.objects['word']}"),
    ("queue-by-unit", "plans:queue", lambda me, them: f"unit={them.units['unit'].pk}"),
    ("report-search", "registry:reports", lambda me, them: f"q={them.objects['word']}&status=all"),
    ("handbook-search", "handbook:search", lambda me, them: f"q={them.objects['word']}"),
    ("overview-by-unit", "evaluations:overview", lambda me, them: f"unit={them.units['unit'].pk}"),
    ("overview-by-account", "evaluations:overview", lambda me, them: f"account={them.accounts['active'].pk}"),
    ("barrier-list-all", "accessibility:barrier_list", lambda me, them: "status=all"),
    ("api-of-my-organisation", "api:accounts", lambda me, them: f"organisation={me.organisation.slug}"),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c[0]) for c in QUERIES])
def test_a_search_filter_or_export_shows_nothing_of_another_organisation(case, world, clients, db):
    _label, name, query = case
    problems = []
    for asking, other in SIDES:
        me, them = world[asking], world[other]
        url = f"{reverse(name)}?{query(me, them)}"
        markers = them.markers(public_too=name not in PUBLIC_REGISTER or "organisation=" in url)
        for role in ROLES:
            response = clients[asking, role].get(url)
            if response.status_code != 200:
                continue
            found = leaks(text_of(response), markers)
            if found:
                problems.append(f"{asking.upper()}'s {role} at {url} sees {other.upper()}'s: {found}")
    assert not problems, "\n".join(problems)


def test_every_table_of_the_overview_exports_nothing_of_another_organisation(world, clients, db):
    problems = []
    export = reverse("evaluations:overview_export")
    for asking, other in SIDES:
        client = clients[asking, "adviser"]
        page = client.get(reverse("evaluations:overview")).content.decode()
        links = sorted(set(re.findall(rf'href="({re.escape(export)}\?[^"]+)"', page)))
        assert links, "the overview links no export"
        for link in links:
            response = client.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, link
            found = leaks(text_of(response), world[other].markers())
            if found:
                problems.append(f"{asking.upper()}'s adviser at {link} sees {other.upper()}'s: {found}")
    assert not problems, "\n".join(problems)


def test_a_calendar_feed_shows_only_its_owners_organisation(world, clients, db):
    assert "courses:feed" in OPEN_BY_DESIGN
    problems = []
    for asking, other in SIDES:
        for role in ("member", "adviser"):
            url = reverse("courses:feed", kwargs={"token": world[asking].objects[f"feed_{role}"]})
            response = clients[asking, "anonymous"].get(url)
            assert response.status_code == 200
            found = leaks(text_of(response), world[other].markers())
            if found:
                problems.append(f"{asking.upper()}'s {role}'s feed sees {other.upper()}'s: {found}")
    assert not problems, "\n".join(problems)


def test_the_administration_is_closed_to_the_organisations_people(world, clients, db):
    admin_patterns = [p for p in PATTERNS if p.name.startswith("admin:") and p.name not in ADMIN_OPEN]
    assert admin_patterns
    fill = {"app_label": "accounts", "url": "x"}
    for side in ("a", "b"):
        for role in ("member", "leader", "adviser"):
            for pattern in admin_patterns:
                url = reverse(pattern.name, kwargs={key: fill.get(key, "1") for key in pattern.arguments})
                response = clients[side, role].get(url)
                assert response.status_code in (302, 404), (url, role, response.status_code)
                if response.status_code == 302:
                    assert "/admin/login/" in response["Location"], (url, role)


# The administration's own login and logout, and the address Django names None (its catch-all).
ADMIN_OPEN = {"admin:login", "admin:logout", "admin:None"}

# For an organisation's administrator: the other organisation's object of each model they keep.
ADMIN_OBJECTS = {
    "accounts_user": lambda s: s.people["member"].pk,
    "accounts_unit": lambda s: s.units["unit"].pk,
    "accounts_membership": lambda s: s.people["member"].memberships.get().pk,
    "accounts_organisation": lambda s: s.organisation.pk,
}


def test_an_organisations_administrator_keeps_only_its_own(world, clients, db):
    """In the administration, an organisation's own administrator finds nothing of another
    organisation: its people, units and memberships are as missing, and no list, search or form
    choice names them."""
    problems = []
    for asking, other in SIDES:
        client = clients[asking, "administrator"]
        for pattern in PATTERNS:
            model = re.match(r"admin:(accounts_\w+?)_(change|history|delete)$", pattern.name)
            if model and model.group(1) in ADMIN_OBJECTS:
                url = reverse(pattern.name, args=[ADMIN_OBJECTS[model.group(1)](world[other])])
                missing = reverse(pattern.name, args=[987654321])
                if model.group(1) == "accounts_organisation":
                    # The organisations are public (the register names them) and kept by the
                    # super-administrator only: the other's answers as one's own.
                    missing = reverse(pattern.name, args=[world[asking].organisation.pk])
                response, nothing = client.get(url), client.get(missing)
                same = response.status_code == nothing.status_code and response.get("Location") == nothing.get(
                    "Location"
                )
                if response.status_code != 404 and not same:
                    problems.append(f"{asking.upper()}'s administrator at {url}: {response.status_code}")
            elif re.match(r"admin:accounts_\w+_(changelist|add)$", pattern.name):
                for query in ("", f"?q={world[other].objects['word']}"):
                    response = client.get(reverse(pattern.name) + query)
                    if response.status_code != 200:
                        continue
                    found = leaks(text_of(response), world[other].markers())
                    if found:
                        problems.append(
                            f"{asking.upper()}'s administrator at {reverse(pattern.name)}{query}: {found[:2]}"
                        )
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# E-mails


def _side_of(address: str, world) -> str | None:
    address = address.lower()
    for key in ("a", "b"):
        domain = world[key].objects["domain"]
        if address.endswith("@" + domain) or address == world[key].organisation.mailbox.lower():
            return key
    return None


def _mail_problems(mails, world) -> list[str]:
    problems = []
    for mail in mails:
        sides = {_side_of(address, world) for address in mail.to}
        label = f"«{mail.subject}» ({mail.template}) to {mail.to}"
        if None in sides or len(sides) != 1:
            problems.append(f"{label}: not to one organisation's people and mailbox")
            continue
        (own,) = sides
        other = "b" if own == "a" else "a"
        text = " ".join([mail.subject, mail.body_text, mail.body_html])
        found = leaks(text, [*world[other].markers(), world[other].organisation.name])
        if found:
            problems.append(f"{label}: names {other.upper()}'s: {found[:2]}")
        if world[own].organisation.sender not in mail.from_email:
            problems.append(f"{label}: from {mail.from_email!r}, not {world[own].organisation.sender}")
        if world[own].organisation.name not in text:
            problems.append(f"{label}: does not name {world[own].organisation.name}")
    return problems


def test_the_mail_written_while_the_data_was_made_stays_in_its_organisation(world, db):
    from core.models import OutboundEmail

    mails = list(OutboundEmail.objects.all())
    for key in ("a", "b"):
        assert any(_side_of(address, world) == key for mail in mails for address in mail.to), key
    problems = _mail_problems(mails, world)
    assert not problems, "\n".join(problems)


def _send_plan(side, clients):
    plan = side.plans["awaiting_leader"]
    return clients[side.key, "leader"].post(
        reverse("plans:action", args=[plan.pk, "submit"]), {"confirmed": "1", "comment": ""}
    )


def _decide(side, clients):
    plan = side.plans["in_review"]
    return clients[side.key, "adviser"].post(
        reverse("plans:action", args=[plan.pk, "approve"]), {"confirmed": "1", "comment": "Godt."}
    )


def _report(side, clients):
    from registry import reports

    reports.report_submit(
        url=f"https://www.instagram.com/{side.public.lower()}_copycat/",
        what_is_wrong="Ein kopi.",
        client_key=f"mail-{side.key}" * 8,
        organisation=side.organisation,
        contact_email=f"tipsar@{side.objects['domain']}",
    )


def _barrier(side, clients):
    return clients[side.key, "member"].post(
        reverse("accessibility:barrier_report"), {"what_was_hard": "Knappen er for liten.", "page": "/"}
    )


def _sign_up(side, clients):
    session = side.objects["session"]
    return clients[side.key, "leader"].post(reverse("courses:signup", args=[session.pk]))


MAILING = [("send a plan", _send_plan), ("decide", _decide), ("report a fake account", _report)]
MAILING += [("report a barrier", _barrier), ("sign up for a course", _sign_up)]


@pytest.mark.parametrize("action", [pytest.param(m[1], id=m[0]) for m in MAILING])
def test_the_mail_of_an_action_goes_to_its_organisation_only(
    action, world, clients, db, django_capture_on_commit_callbacks
):
    from core.models import OutboundEmail

    problems = []
    for key in ("a", "b"):
        before = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with django_capture_on_commit_callbacks(execute=True):
            response = action(world[key], clients)
        if response is not None:
            assert response.status_code in (200, 302), response.status_code
        mails = list(OutboundEmail.objects.filter(pk__gt=before))
        assert mails, f"{key.upper()}: no e-mail"
        problems += _mail_problems(mails, world)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# The region's adviser reads, and decides nothing


def _decisions(side):
    """(what, URL, data, how to read what it would change) for decisions in one organisation."""
    from evaluations.models import Evaluation
    from plans.models import Plan
    from registry.models import Account

    plan, account, evaluation = side.plans["in_review"], side.accounts["active"], side.objects["evaluation_sent"]
    return [
        (
            "approve a plan",
            reverse("plans:action", args=[plan.pk, "approve"]),
            {"confirmed": "1", "comment": "Ja."},
            lambda: Plan.objects.get(pk=plan.pk).status,
        ),
        (
            "pause an account",
            reverse("registry:action", args=[account.pk, "pause"]),
            {"confirmed": "1"},
            lambda: Account.objects.get(pk=account.pk).status,
        ),
        (
            "give feedback on an evaluation",
            reverse("evaluations:feedback", args=[evaluation.pk]),
            {"feedback": "Godt arbeid."},
            lambda: Evaluation.objects.get(pk=evaluation.pk).feedback,
        ),
    ]


def test_the_regions_adviser_decides_nothing_in_its_organisations(world, db):
    from django.test import Client

    client = Client()
    client.force_login(world["regional_adviser"])
    problems = []
    for key in ("a", "b"):
        for what, url, data, state in _decisions(world[key]):
            before = state()
            response = client.post(url, data)
            if state() != before:
                problems.append(f"the region's adviser could {what} of {key.upper()} ({url}: {response.status_code})")
            # The organisation's own adviser can (so the test asked for a real decision).
            own = Client()
            own.force_login(world[key].people["adviser"])
            own.post(url, data)
            assert state() != before, f"{key.upper()}'s own adviser could not {what} ({url})"
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Counts and figures


def _more_work(side) -> None:
    """New work for one organisation: a plan sent for review, a report of a fake account, an
    evaluation sent to the department."""
    from platforms.models import Platform
    from registry import reports

    from .organisations_apart import make_plan

    make_plan(side, "submitted", Platform.objects.get(slug="instagram"), title=f"Ein til {side.private}")
    reports.report_submit(
        url=f"https://www.instagram.com/{side.public.lower()}_another_fake/",
        what_is_wrong="Enda ein kopi.",
        client_key=f"more-{side.key}" * 8,
        organisation=side.organisation,
    )


def _figures(world, key, clients) -> dict:
    """What one organisation's people are counted and given as figures: their tasks' counts,
    and the register's and the overview's exports as CSV."""
    from core.worklist import Worklist

    found = {role: Worklist(world[key].people[role]).counts for role in ROLES}
    adviser = clients[key, "adviser"]
    found["register"] = text_of(adviser.get(reverse("registry:export") + "?format=csv"))
    export = reverse("evaluations:overview_export")
    page = adviser.get(reverse("evaluations:overview")).content.decode()
    for link in sorted(set(re.findall(rf'href="({re.escape(export)}\?[^"]+format=csv[^"]*)"', page))):
        found[link] = text_of(adviser.get(link.replace("&amp;", "&")))
    return found


def test_another_organisations_new_work_changes_no_count_or_figure(world, clients, db):
    """The markers find names; a count or a figure that takes in the other organisation's rows
    names nothing. New work in one organisation leaves the other's counts and exports as they
    were, and changes its own (so the test looks at what would change)."""
    for key, other in SIDES:
        before, own_before = _figures(world, key, clients), _figures(world, other, clients)
        _more_work(world[other])
        after, own_after = _figures(world, key, clients), _figures(world, other, clients)
        changed = [name for name in before if before[name] != after[name]]
        assert not changed, f"new work of {other.upper()} changed {key.upper()}'s {changed}"
        assert own_before["adviser"] != own_after["adviser"], f"{other.upper()}'s adviser's tasks did not count it"
        exports = [name for name in own_before if name.startswith("/")]
        assert exports, "the overview links no CSV export"
        assert any(own_before[name] != own_after[name] for name in exports), (
            f"{other.upper()}'s overview exports did not count it"
        )
