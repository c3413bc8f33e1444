"""The register with 100,000 accounts: server time and query count of the public pages,
the open API and the department's register (targets: verify 5 ms, lists 30 ms).

Uses the same database and method as bench/pages.py (in-process test client; median
and 95th percentile of REPEAT requests; the trivial health page measured in the same
run as the baseline). It also counts each page's queries with a tenth of the accounts
and with all of them, to show that the count does not grow with the register.

    python bench/registry.py               # 100,000 accounts
    BENCH_ACCOUNTS=20000 python bench/registry.py
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import REPEAT, CaptureQueriesContext, Client, connection, fill, measure, reverse, settings, transaction  # noqa: E402

from accounts.models import Unit, User  # noqa: E402
from core.periodic import refresh_query_statistics  # noqa: E402
from plans.models import Plan  # noqa: E402
from platforms.models import Platform  # noqa: E402
from registry.models import CODE_ALPHABET, Account, AccountStatus  # noqa: E402

ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", 100_000))
VERIFY_TARGET_MS = 5
LIST_TARGET_MS = 30
STATUSES = [AccountStatus.ACTIVE] * 7 + [AccountStatus.SETUP, AccountStatus.PAUSED, AccountStatus.CLOSED]


def code_for(i: int) -> str:
    """A distinct six-letter code per bench account (never one the portal would hand out twice)."""
    letters = []
    for _ in range(6):
        i, r = divmod(i, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[r])
    return "".join(letters)


def fill_accounts(total: int) -> None:
    missing = total - Account.objects.count()
    if missing <= 0:
        return
    units = list(Unit.objects.all())
    people = list(User.objects.filter(is_active=True))
    platforms = {p.slug: p for p in Platform.objects.all()}
    instagram = platforms["instagram"]
    plans = list(Plan.objects.values_list("pk", flat=True)[:5000])
    start = Account.objects.count()
    with transaction.atomic():
        for first in range(start, start + missing, 2000):
            batch = []
            for i in range(first, min(first + 2000, start + missing)):
                handle = f"konto_{i:06d}"
                status = STATUSES[i % len(STATUSES)]
                batch.append(
                    Account(
                        code=code_for(i + 10_000_000),
                        platform=instagram,
                        handle=handle,
                        handle_key=handle,
                        url=f"https://www.instagram.com/{handle}/",
                        display_name=f"Konto {i:06d} ved {units[i % len(units)].name}",
                        search_name=f"Konto {i:06d} ved {units[i % len(units)].name}".casefold(),
                        purpose="Informasjon til pasientar og pårørande",
                        languages=["nb"],
                        unit=units[i % len(units)],
                        plan_id=plans[i % len(plans)] if i % 5 else None,  # one in five without a plan
                        editor=people[i % len(people)],
                        login_email=f"konto{i}@helse-bergen.example",
                        response_hours="Kvardagar 08–15",
                        response_time="Innan éin arbeidsdag",
                        status=status,
                        live_since="2024-01-01" if status != AccountStatus.SETUP else None,
                        closed_on="2025-06-01" if status == AccountStatus.CLOSED else None,
                    )
                )
            Account.objects.bulk_create(batch)
            Account.deputies.through.objects.bulk_create(
                Account.deputies.through(account_id=a.pk, user_id=people[(n + 1) % len(people)].pk)
                for n, a in enumerate(Account.objects.filter(code__in=[b.code for b in batch]).only("pk"))
            )
    refresh_query_statistics()  # as the periodic job does in the running portal


def pages(adviser):
    official = Account.objects.filter(status=AccountStatus.ACTIVE).order_by("pk")[500]
    unit = official.unit_id
    verify = reverse("registry:verify")
    api_verify = reverse("api:verify")
    V, L = VERIFY_TARGET_MS, LIST_TARGET_MS
    return [
        ("health (baseline)", None, reverse("core:health"), None),
        ("API verify, official URL", None, f"{api_verify}?url={official.url}", V),
        ("API verify, pasted spelling", None, f"{api_verify}?url=instagram.com/{official.handle.upper()}?hl=nb", V),
        ("API verify, unknown", None, f"{api_verify}?url=https://www.instagram.com/not_ours/", V),
        ("API verify, @handle", None, f"{api_verify}?url=@{official.handle}", V),
        ("verify page, official", None, f"{verify}?q={official.url}", V),
        ("verify page, unknown", None, f"{verify}?q=https://www.tiktok.com/@not_ours", V),
        ("public list", None, reverse("registry:public_list"), L),
        ("public list, page 500", None, reverse("registry:public_list") + "?page=500", L),
        ("public list, unit filter", None, reverse("registry:public_list") + f"?unit={unit}", L),
        ("public list, name search", None, reverse("registry:public_list") + "?q=konto+0012", L),
        ("public account page", None, reverse("registry:public_account", args=[official.code]), L),
        ("API accounts", None, reverse("api:accounts"), L),
        ("API accounts, page 100", None, reverse("api:accounts") + "?page=100", L),
        ("API accounts, unit filter", None, reverse("api:accounts") + f"?unit={unit}", L),
        ("API one account", None, reverse("api:account", args=[official.code]), L),
        ("register (department)", adviser, reverse("registry:register"), 50),
        ("register, plan missing", adviser, reverse("registry:register") + "?plan_missing=on", 50),
        ("account (department)", adviser, reverse("registry:detail", args=[official.pk]), 50),
    ]


def run(adviser, label):
    print(f"{Account.objects.count():,} accounts ({label}, {connection.vendor}); {REPEAT} requests per page\n")
    print(f"{'page':30} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'× health':>9} {'target':>7}")
    baseline, slow, counts = None, [], {}
    for name, user, url, target in pages(adviser):
        client = Client()
        if user:
            client.force_login(user)
        median, p95, queries = measure(client, url)
        baseline = baseline or median
        counts[name] = queries
        print(f"{name:30} {median:10.2f} {p95:8.2f} {queries:8d} {median / baseline:9.1f} {target or '':>7}")
        if target and median > target:
            slow.append(name)
    print("\nEvery page within its target (median)." if not slow else f"\nOver target: {', '.join(slow)}")
    return counts


def main():
    fill()
    settings.ALLOWED_HOSTS = ["testserver"]
    adviser = User.objects.get(email="radgivar@eksempel.no")
    fill_accounts(ACCOUNTS // 10)
    small = {}
    for name, user, url, _target in pages(adviser):
        client = Client()
        if user:
            client.force_login(user)
        small[name] = _count(client, url)
    fill_accounts(ACCOUNTS)
    large = run(adviser, "full register")
    grew = [name for name in large if large[name] > small[name]]
    print(
        f"\nQueries with {ACCOUNTS // 10:,} and with {ACCOUNTS:,} accounts: "
        + ("the same on every page." if not grew else f"more on {', '.join(grew)}")
    )


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


if __name__ == "__main__":
    main()
