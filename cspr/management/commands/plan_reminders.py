"""Plan the reminders of pending deadlines that have none (after an upgrade), or of all."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Exists, OuterRef

from cspr.models import Reminder
from cspr.services.reminders import deadlines_to_remind, reminders_plan


class Command(BaseCommand):
    help = (
        "Plan reminders for every open, or missed and not done, deadline that has none yet. "
        "Safe to repeat; --all re-plans every one (their waiting reminders are replaced)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", dest="every", help="Re-plan every pending deadline."
        )

    def handle(self, *args, every, **options):
        pending = deadlines_to_remind()
        if not every:
            pending = pending.exclude(Exists(Reminder.objects.filter(deadline=OuterRef("pk"))))
        with transaction.atomic():
            written = reminders_plan(pending)
        self.stdout.write(f"{written} reminders planned.")
