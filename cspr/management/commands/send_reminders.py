"""Run the reminder sweep once, or every N seconds (the embedded default has no beat)."""

import time

from django.core.management.base import BaseCommand

from cspr.services.reminder_sweep import reminders_sweep


class Command(BaseCommand):
    help = "Send the reminders whose day has come (once, or every --every seconds)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every this many seconds until stopped."
        )

    def handle(self, *args, every, **options):
        while True:
            result = reminders_sweep()
            if result.too_early:
                self.stdout.write("Before the sending hour: nothing sent yet.")
            else:
                self.stdout.write(
                    f"Reminders: {result.collected} collected, {result.withheld} withheld; "
                    f"digests: {result.digests_sent} sent, {result.digests_not_sent} not sent "
                    f"(nothing left or no address), {result.digests_held} held for tomorrow, "
                    f"{result.digests_failed} failed (tried again next time)."
                )
            if every <= 0:
                return
            time.sleep(every)
