"""Write or check the accessibility check's results, which the statement page reads
(the format is in accessibility/results.py)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accessibility.results import RESULTS_FILE, BadResults, read_results, write_results


class Command(BaseCommand):
    help = "Write the accessibility check's results for the statement page, or check the file (--check)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only check that the file follows the format.")
        parser.add_argument("--pages", type=int, help="How many pages (URL patterns) were checked.")
        parser.add_argument("--roles", type=int, help="How many roles each page was checked as.")
        parser.add_argument("--widths", default="1280,390,320", help="Widths checked, in CSS pixels: 1280,390,320")
        parser.add_argument("--deviations", type=Path, help="A JSON file with the list of deviations found.")
        parser.add_argument("--file", type=Path, default=RESULTS_FILE, help="The results file to write or check.")

    def handle(self, *args, check, pages, roles, widths, deviations, file, **options):
        try:
            if check:
                results = read_results(file)
                if results is None:
                    raise CommandError(f"There is no results file: {file}")
            else:
                found = json.loads(deviations.read_text(encoding="utf-8")) if deviations else []
                results = write_results(
                    pages=pages,
                    roles=roles,
                    widths=[int(width) for width in widths.split(",") if width.strip()],
                    deviations=found,
                    path=file,
                )
        except (BadResults, ValueError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{file}: checked {results.checked_on.isoformat()}, {len(results.deviations)} deviation(s).")
