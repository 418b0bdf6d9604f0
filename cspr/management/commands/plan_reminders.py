"""Plan the reminders of every pending deadline: after an upgrade, or to repair."""

from django.core.management.base import BaseCommand
from django.db import transaction

from cspr.models import Deadline, DeadlineStatus
from cspr.services.reminders import reminders_plan


class Command(BaseCommand):
    help = "Plan reminders for every open or missed-and-not-done deadline. Safe to repeat."

    def handle(self, *args, **options):
        pending = Deadline.objects.select_related("case").filter(
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.MISSED], completed_on__isnull=True
        )
        with transaction.atomic():
            written = reminders_plan(pending)
        self.stdout.write(f"{written} reminders planned.")
