"""The results of the portal's accessibility check: the one file the statement reads.

The statement page (`accessibility/views.py`) lists the known deviations from WCAG 2.1 AA
and the date of the last check from this file, never from text kept by hand. The
accessibility check in the test suite writes it; the file is committed with the code, so
the statement a release shows is the check that release passed.

The file is `accessibility/data/check-results.json` (RESULTS_FILE), UTF-8 JSON:

    {
      "checked_on": "2026-12-07",        # the day of the check, YYYY-MM-DD
      "pages": 212,                      # URL patterns checked (null: not counted)
      "roles": 6,                        # roles each page was checked as (null: not counted)
      "widths": [1280, 390, 320],        # viewport widths in CSS pixels
      "deviations": [                    # what the check still finds; [] when nothing
        {
          "criterion": "1.4.10",         # the WCAG 2.1 success criterion, "x.y.z"
          "where": "/register/",         # where: a page's address, or a part of the portal
                                         # in words, given like description ({"nb": …})
          "description": {"nb": "…", "nn": "…", "en": "…"}   # what is wrong, for the reader
        }
      ]
    }

Every description must be given in Bokmål; Nynorsk and English are shown where given, and
otherwise the Bokmål text is shown, marked as Bokmål.

To write it, the check calls `write_results(...)` (or an administrator runs
`manage.py accessibility_results --pages N --roles N --widths 1280,390,320
--deviations deviations.json`, where the file holds the list above); `read_results()`
refuses a file that does not follow this format, and `manage.py accessibility_results
--check` says why. tests/test_accessibility_statement.py checks the committed file.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

RESULTS_FILE = Path(__file__).resolve().parent / "data" / "check-results.json"
LANGUAGES = ("nb", "nn", "en")
CRITERION = re.compile(r"^[1-4]\.[1-9]\d?\.[1-9]\d?$")
MAX_DEVIATIONS = 500
MAX_TEXT = 2000


class BadResults(ValueError):
    """The file does not follow the format in this module's docstring."""


@dataclass(frozen=True)
class Deviation:
    criterion: str
    where: str | dict
    description: dict

    def text(self, language: str) -> tuple[str, str]:
        """(the description in `language` or else in Bokmål, the language it is written in)."""
        return _in(self.description, language)

    def place(self, language: str) -> tuple[str, str]:
        """(where, the language it is written in: "" for an address, which has none)."""
        if isinstance(self.where, str):
            return self.where, ""
        return _in(self.where, language)


def _in(texts: dict, language: str) -> tuple[str, str]:
    if texts.get(language):
        return texts[language], language
    return texts["nb"], "nb"


@dataclass(frozen=True)
class CheckResults:
    checked_on: date
    pages: int | None
    roles: int | None
    widths: tuple[int, ...]
    deviations: tuple[Deviation, ...] = field(default_factory=tuple)

    def as_json(self) -> dict:
        return {
            "checked_on": self.checked_on.isoformat(),
            "pages": self.pages,
            "roles": self.roles,
            "widths": list(self.widths),
            "deviations": [
                {
                    "criterion": d.criterion,
                    "where": d.where if isinstance(d.where, str) else dict(d.where),
                    "description": dict(d.description),
                }
                for d in self.deviations
            ],
        }


def parse(data) -> CheckResults:
    """The results in `data` (the decoded JSON), or BadResults saying what is wrong."""
    if not isinstance(data, dict):
        raise BadResults("The file must hold one JSON object.")
    try:
        checked_on = date.fromisoformat(str(data.get("checked_on", "")))
    except ValueError:
        raise BadResults("checked_on must be a date written YYYY-MM-DD.") from None
    counts = {}
    for name in ("pages", "roles"):
        value = data.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise BadResults(f"{name} must be a whole number (or null).")
        counts[name] = value
    widths = data.get("widths", [])
    if not isinstance(widths, list) or not all(isinstance(w, int) and 0 < w < 10_000 for w in widths):
        raise BadResults("widths must be a list of widths in CSS pixels.")
    raw = data.get("deviations", [])
    if not isinstance(raw, list) or len(raw) > MAX_DEVIATIONS:
        raise BadResults(f"deviations must be a list of at most {MAX_DEVIATIONS}.")
    deviations = []
    for n, item in enumerate(raw):
        if not isinstance(item, dict):
            raise BadResults(f"deviation {n}: must be an object.")
        criterion, where, description = item.get("criterion"), item.get("where", ""), item.get("description")
        if not isinstance(criterion, str) or not CRITERION.match(criterion):
            raise BadResults(f"deviation {n}: criterion must be a WCAG success criterion such as 1.4.10.")
        if isinstance(where, str):
            if len(where) > MAX_TEXT:
                raise BadResults(f"deviation {n}: where must be a short text.")
            where = where.strip()
        else:
            where = _texts(where, f"deviation {n}: where")
        deviations.append(
            Deviation(criterion=criterion, where=where, description=_texts(description, f"deviation {n}: description"))
        )
    deviations.sort(
        key=lambda d: (
            tuple(int(part) for part in d.criterion.split(".")),
            d.where if isinstance(d.where, str) else d.where["nb"],
        )
    )
    return CheckResults(
        checked_on=checked_on,
        pages=counts["pages"],
        roles=counts["roles"],
        widths=tuple(widths),
        deviations=tuple(deviations),
    )


def _texts(texts, what: str) -> dict:
    """A text in the portal's languages: at least Bokmål, each short."""
    if not isinstance(texts, dict) or not isinstance(texts.get("nb"), str) or not texts["nb"].strip():
        raise BadResults(f"{what} must give at least the Bokmål text (nb).")
    found = {}
    for language, text in texts.items():
        if language not in LANGUAGES or not isinstance(text, str) or len(text) > MAX_TEXT:
            raise BadResults(f"{what} has texts in nb, nn and en only, each short.")
        if text.strip():
            found[language] = text.strip()
    return found


_read: dict[Path, tuple[float, CheckResults | None]] = {}


def read_results(path: Path | None = None) -> CheckResults | None:
    """The last check's results, or None when there is no file (the portal has not been
    checked). Read again only when the file changes. A file that is there but broken raises
    BadResults: a statement must not quietly show fewer deviations than the check found."""
    path = path or RESULTS_FILE
    try:
        changed = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    kept = _read.get(path)
    if kept is None or kept[0] != changed:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise BadResults(f"The file is not JSON: {error}") from None
        kept = (changed, parse(data))
        _read[path] = kept
    return kept[1]


def write_results(
    *,
    pages: int | None,
    roles: int | None,
    widths,
    deviations: list[dict],
    checked_on: date | None = None,
    path: Path | None = None,
) -> CheckResults:
    """Write a check's results (validated as `read_results` reads them), sorted so that a
    check which finds the same writes the same file."""
    results = parse(
        {
            "checked_on": (checked_on or date.today()).isoformat(),
            "pages": pages,
            "roles": roles,
            "widths": list(widths),
            "deviations": deviations,
        }
    )
    path = path or RESULTS_FILE
    path.write_text(json.dumps(results.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return results
