"""The documentation keeps up with the code: every setting read from the environment is in the
running guide's table, every relative link leads to a file (and a heading) that exists, and every
`make` target the documents name is in the Makefile. Each check is also shown to fail."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SETTINGS = ROOT / "config" / "settings.py"
RUNNING = ROOT / "docs" / "running.md"
DOCUMENTS = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md")])


# Settings ---------------------------------------------------------------------------------------


def environment_names(source: str) -> set[str]:
    """Every name read from the environment: os.environ.get("X"), os.environ["X"], and the
    typed helpers (envbool, envint, envsecret …: any function named env*), with X_FILE for a
    secret that may be read from a file."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = node.func
            name = node.args[0].value
            if not isinstance(name, str):
                continue
            if isinstance(function, ast.Attribute) and function.attr in {"get", "getenv"}:
                target = function.value
                if (isinstance(target, ast.Attribute) and target.attr == "environ") or (
                    function.attr == "getenv" and isinstance(target, ast.Name) and target.id == "os"
                ):
                    names.add(name)
            elif isinstance(function, ast.Name) and function.id.startswith("env"):
                names.add(name)
                if function.id == "envsecret":
                    names.add(f"{name}_FILE")
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return names


def settings_table(markdown: str) -> list[str]:
    """The names in the first column of the table under '## Settings', in order."""
    section = markdown.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    names = []
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            first_cell = line.split("|")[1]
            names += re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell)
    return names


def missing_settings(source: str, markdown: str) -> set[str]:
    return environment_names(source) - set(settings_table(markdown))


def test_every_setting_read_from_the_environment_is_in_the_running_guide():
    assert missing_settings(SETTINGS.read_text(), RUNNING.read_text()) == set()


def test_each_setting_is_in_the_table_once():
    names = settings_table(RUNNING.read_text())
    assert len(names) > 40
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


def test_the_settings_check_fails_for_a_setting_left_out():
    source = 'import os\nA = os.environ.get("NEW_ONE", "")\nB = os.environ["OTHER"]\nC = envint("N", 1)\n'
    source += 'D = envsecret("S")\nE = envbool("FLAG", True)\nF = envfloat("SHARE", 0.1)\n'
    table = "# Running\n\n## Settings\n\n| Variable | Default |\n|---|---|\n| `NEW_ONE` | empty |\n\n## Next\n"
    assert missing_settings(source, table) == {"OTHER", "N", "S", "S_FILE", "FLAG", "SHARE"}


# Links ------------------------------------------------------------------------------------------

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")


def prose(markdown: str) -> str:
    """The text without fenced code blocks and inline code, where a bracket is not a link."""
    without_blocks = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", without_blocks)


def anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings: lower case, punctuation dropped, spaces as hyphens,
    -1, -2 … after a repeated one."""
    seen: dict[str, int] = {}
    result = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", prose_keeping_headings(markdown), flags=re.M):
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def prose_keeping_headings(markdown: str) -> str:
    return re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)


def broken_links(document: Path) -> list[str]:
    text = document.read_text()
    problems = []
    for match in LINK.finditer(prose(text)):
        target = match.group(1) or match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: …
            continue
        path, _hash, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        if not linked.exists():
            problems.append(f"{document.name}: {target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text()):
            problems.append(f"{document.name}: {target} (no such heading)")
    return problems


@pytest.mark.parametrize("document", DOCUMENTS, ids=[str(d.relative_to(ROOT)) for d in DOCUMENTS])
def test_every_relative_link_leads_somewhere(document):
    assert broken_links(document) == []


def test_the_link_check_fails_for_a_missing_file_or_heading(tmp_path):
    (tmp_path / "other.md").write_text("# Other\n\n## Single sign-on\n")
    document = tmp_path / "index.md"
    document.write_text(
        "[fine](other.md#single-sign-on) [gone](missing.md) [no heading](other.md#backups) "
        "[here](#index) ![picture](shots/none.png) `[code](ignored.md)`\n\n# Index\n"
    )
    assert broken_links(document) == [
        "index.md: missing.md (no such file)",
        "index.md: other.md#backups (no such heading)",
        "index.md: shots/none.png (no such file)",
    ]


def test_single_sign_on_is_two_clicks_from_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert "(docs/running.md)" in readme
    assert "(docs/running.md#single-sign-on)" in readme
    assert "single-sign-on" in anchors(RUNNING.read_text())


# Make targets -----------------------------------------------------------------------------------


def makefile_targets(makefile: str) -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", makefile, flags=re.M))


def named_make_targets(markdown: str) -> set[str]:
    """`make X` in inline code or in a code block (in prose, "make" is often just a verb)."""
    code = re.findall(r"^```.*?^```", markdown, flags=re.S | re.M)
    code += re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M))
    targets = set()
    for snippet in code:
        targets |= set(re.findall(r"(?:^|[\s;&|(])make\s+(?:-\S+\s+)*([A-Za-z][\w.-]*)(?![\w.-]*=)", snippet, re.M))
    return targets


def unknown_make_targets(markdown: str, makefile: str) -> set[str]:
    return named_make_targets(markdown) - makefile_targets(makefile)


@pytest.mark.parametrize("document", DOCUMENTS, ids=[str(d.relative_to(ROOT)) for d in DOCUMENTS])
def test_every_make_target_named_exists(document):
    assert unknown_make_targets(document.read_text(), (ROOT / "Makefile").read_text()) == set()


def test_the_make_check_fails_for_a_target_that_does_not_exist():
    makefile = "run: setup\n\tpython manage.py\n\ntest:\n\tpytest\nPY := python\n"
    markdown = "Use `make run` and `PORT=1 make test`; make sure of it.\n\n```sh\nmake bench PYTEST_ARGS=x\n```\n"
    assert unknown_make_targets(markdown, makefile) == {"bench"}
