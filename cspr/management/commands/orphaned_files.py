"""List, and with --commit remove, stored files that no record names."""

from django.core.management.base import BaseCommand

from cspr.services.stored_files import MIN_AGE, orphaned_files, orphaned_files_remove


class Command(BaseCommand):
    help = (
        "List the stored files (under uploads/ in MEDIA_ROOT) that no record names, older "
        f"than {MIN_AGE}: left by a retention purge before 2026-11-30, or by a crash between "
        "writing a file and saving its record. Nothing is removed without --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--commit", action="store_true", help="Remove them (the default is a dry run)."
        )

    def handle(self, *args, commit, **options):
        found = orphaned_files()
        for stored in found:
            self.stdout.write(f"{stored.name}  {stored.size:,} bytes  {stored.modified:%Y-%m-%d}")
        if not found:
            self.stdout.write("Every stored file is named by a record.")
            return
        total = sum(stored.size for stored in found)
        if commit:
            removed = orphaned_files_remove(found)
            self.stdout.write(f"Removed {removed} files that no record names ({total:,} bytes).")
        else:
            self.stdout.write(
                f"{len(found)} files that no record names ({total:,} bytes). Dry run: nothing "
                "was removed. Run again with --commit to remove them."
            )
