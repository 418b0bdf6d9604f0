"""Delete what is past its retention period (a dry run unless --commit)."""

from django.core.management.base import BaseCommand

from cspr.models import RecordType
from cspr.services.retention import missing_rules, records_purge_expired


class Command(BaseCommand):
    help = (
        "List every record past its retention period (closed cases not on legal hold, "
        "referrals that never became a case, old access log entries), with their history "
        "and access log rows. Nothing is deleted without --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--commit", action="store_true", help="Delete them (the default is a dry run)."
        )

    def handle(self, *args, commit, **options):
        for record_type in missing_rules():
            self.stdout.write(
                f"No retention rule for {RecordType(record_type).label.lower()}: kept."
            )
        report = records_purge_expired(commit=commit)
        verb = "Deleted" if commit else "Would delete"
        for item in report:
            self.stdout.write(f"{verb} {item.line()}")
        if not report:
            self.stdout.write("Nothing is past its retention period.")
        elif not commit:
            self.stdout.write("Dry run: nothing was deleted. Run again with --commit to delete.")
