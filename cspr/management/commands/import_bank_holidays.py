"""Load the official England and Wales bank holidays from a GOV.UK JSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cspr.errors import TransitionNotAllowed
from cspr.services.calendar import calendar_import_official
from cspr.working_days import SHIPPED_LIST, read_official_list


class Command(BaseCommand):
    help = (
        "Import https://www.gov.uk/bank-holidays.json (downloaded to PATH) so that the official "
        "England and Wales list decides every year it covers. Open deadlines are recomputed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(SHIPPED_LIST))

    def handle(self, path, **options):
        try:
            holidays = read_official_list(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
            summary = calendar_import_official(holidays=holidays)
        except TransitionNotAllowed as error:
            raise CommandError(str(error)) from error
        first, last = summary["years"][0], summary["years"][-1]
        span = str(first) if first == last else f"{first}–{last}"
        self.stdout.write(
            f"Official list for {span}: {summary['added']} days added, "
            f"{summary['updated']} updated, {summary['removed']} removed; "
            f"{len(summary['moved'])} open deadlines moved."
        )
        for day in summary["kept"]:
            self.stdout.write(f"Kept an administrator's change to {day:%-d %B %Y}.")
