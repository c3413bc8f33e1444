"""The accessibility sweep's results, for the accessibility statement (accessibility/results.py).

A pytest plugin, loaded by `make accessibility-results`:

    A11Y_RESULTS=accessibility/data/check-results.json pytest -p tests.a11y_results tests/test_a11y_sweep.py

Each page test of the sweep (tests/test_a11y_sweep.py) notes on its report the roles and widths it
looked at the page with; reports reach the controller from every pytest-xdist worker, so this
plugin sees the whole run wherever the tests ran, and writes the file once at the end of the
session from the controller: the URL names checked, the roles and widths used, and as known
deviations the sweep's KNOWN entries, each of which the run found still failing.

It writes nothing when the run cannot speak for the whole portal: a page or another check of the
sweep failed outside KNOWN (that is a deviation the statement would not show), a KNOWN page now
passes (it is to leave KNOWN first), a title is still shared (KNOWN_SHARED_TITLES), or only a
part of the sweep ran (`-k`). The run then fails, saying why, and the committed file stays as it was.
"""

import json
import os
import re
from pathlib import Path

import pytest

SWEEP = "tests/test_a11y_sweep.py::"
# The test that compares the committed file with KNOWN: the file this run writes settles it
# (make accessibility-results runs it after the file is written).
SETTLED_BY_THIS_RUN = SWEEP + "test_the_statement_lists_what_the_sweep_knows"
PAGE_TEST = re.compile(r"::test_page_meets_wcag_21_aa_for_every_role\[(.+)\]$")


class Results:
    def __init__(self, path: Path):
        self.path = path
        self.outcomes: dict[str, str] = {}  # node id → passed, failed, skipped, xfailed, xpassed
        self.checked: dict[str, dict] = {}  # URL name → {"roles": [...], "widths": [...]}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        if not report.nodeid.startswith(SWEEP) or report.nodeid == SETTLED_BY_THIS_RUN:
            return
        if report.failed:
            self.outcomes[report.nodeid] = "failed"
        elif report.when == "setup" and report.skipped:
            self.outcomes[report.nodeid] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
        elif report.when == "call" and self.outcomes.get(report.nodeid) != "failed":
            if report.passed:
                self.outcomes[report.nodeid] = "xpassed" if hasattr(report, "wasxfail") else "passed"
            else:
                self.outcomes[report.nodeid] = "xfailed" if hasattr(report, "wasxfail") else "skipped"
        page = PAGE_TEST.search(report.nodeid)
        if page and report.when == "call":
            for key, value in report.user_properties:
                if key == "a11y":
                    self.checked[page.group(1)] = json.loads(value)

    def refusals(self) -> list[str]:
        from tests.test_a11y_sweep import KNOWN, KNOWN_SHARED_TITLES, PAGES

        pages = {
            PAGE_TEST.search(node).group(1): outcome
            for node, outcome in self.outcomes.items()
            if PAGE_TEST.search(node)
        }
        why = []
        missing = sorted(set(PAGES) - set(pages))
        if missing:
            why.append(f"only {len(pages)} of the sweep's {len(PAGES)} pages ran (not {', '.join(missing[:5])}…)")
        failed = sorted(node.removeprefix(SWEEP) for node, outcome in self.outcomes.items() if outcome == "failed")
        if failed:
            why.append(f"failed outside KNOWN: {', '.join(failed)}")
        for name in KNOWN:
            if name in pages and pages[name] != "xfailed":
                why.append(f"{name} is in KNOWN but {pages[name]} (take it out of KNOWN once it passes)")
        if KNOWN_SHARED_TITLES:
            why.append("KNOWN_SHARED_TITLES is not empty: a shared title is a deviation the statement would not show")
        return why

    def write(self):
        from accessibility.results import write_results
        from tests.test_a11y_sweep import KNOWN, known_deviation

        roles, widths = set(), set()
        for seen in self.checked.values():
            roles.update(seen["roles"])
            widths.update(seen["widths"])
        return write_results(
            pages=len(self.checked),
            roles=len(roles),
            widths=sorted(widths, reverse=True),
            deviations=[known_deviation(name) for name in KNOWN],
            path=self.path,
        )

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        if hasattr(session.config, "workerinput"):
            return  # a worker: the controller sees every worker's reports and writes once
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        say = reporter.write_line if reporter else print
        why = self.refusals()
        if why:
            say(f"accessibility results: {self.path} not written:")
            for reason in why:
                say(f"  - {reason}")
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
            return
        results = self.write()
        say(
            f"accessibility results: {self.path}: {results.pages} pages × {results.roles} roles × "
            f"{len(results.widths)} widths, {len(results.deviations)} known deviation(s)"
        )


def pytest_configure(config):
    path = os.environ.get("A11Y_RESULTS")
    if path:
        config.pluginmanager.register(Results(Path(path)), "a11y-results")
