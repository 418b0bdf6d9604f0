"""Seed the fictional benchmark dataset (issue 8) into an empty, migrated database.

    CSPR_BENCH=1 manage.py seed_scale --preset national|small [--seed 1]

`national` is the issue's dataset: 20 partnerships of 12 agencies and 25 people each
(500), 10,000 cases, 100,000 information requests and returns, 1,000,000 chronology
rows, 30,000 actions, with everything the services leave behind them (timelines,
deadlines and their reminders still to go out, django-guardian grants, referrals,
notifications, learning meetings, local and national reviews, action plans). `small` is
about a twentieth of it. The same seed on the same day gives the same data.

Every seeded person signs in with `cspr.scale.BENCH_PASSWORD` and the code
`cspr.scale.sign_in_code(username)` (see `cspr/scale/__init__.py`); usernames are
`p01-manager`, `p01-officer1`, `p01-chair`, `p01-member1`, `p01-exec1` (children's
services; exec2 police, exec3 the integrated care board), `p01-reviewer` and
`p01-a01-c1` (partnership 01, agency 01, contributor 1). In each partnership "Child L01"
(L02 ...) is the large rapid review: 10 agencies' submitted returns of 100 chronology rows
each, its learning meeting not yet held; every agency also has a draft return to write
on the newest rapid review.

Every seeded account's password and second factor are published in this repository, so
the command refuses to run unless CSPR_BENCH=1 is set (as the benchmark's settings do), and
refuses production settings and a database that already has a case.

Rows are written in bulk (COPY on PostgreSQL), not through the services, so
django-simple-history rows are written only where something reads them: actions'
(the annual report reads their status at a past date) and deadlines' (the deadline page
lists its changes). Not written: the history of every other model, access log
entries, reminders already sent and their digests (the notifications lists start
empty), attachments and uploaded files (a local review's report version names a file
that is not there).
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cspr.models import Case
from cspr.scale.presets import PRESETS


class Command(BaseCommand):
    help = "Seed the fictional benchmark dataset into an empty database (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--dry-run", action="store_true", help="Generate and count the rows; write nothing."
        )
        parser.add_argument(
            "--digest", action="store_true", help="Print a SHA-256 of every row generated."
        )

    def handle(self, preset, seed, dry_run, digest, **options):
        from cspr.scale.seed import seed as run

        if os.environ.get("CSPR_BENCH") != "1":
            raise CommandError(
                "Every seeded account has the published benchmark password: set CSPR_BENCH=1 "
                "to seed a database that only the benchmark uses."
            )
        if "production" in settings.SETTINGS_MODULE:
            raise CommandError("The benchmark data is fictional and never loaded in production.")
        if not dry_run and Case.objects.exists():
            raise CommandError("This database already has cases: seed an empty, migrated database.")
        chosen = PRESETS[preset]
        self.stdout.write(f"Seeding the {chosen.name} preset with seed {seed}...")
        result = run(
            chosen,
            seed,
            dry_run=dry_run,
            digest=digest,
            progress=lambda text: self.stdout.write(f"  {text}"),
        )
        width = max(len(name) for name in result.counts)
        self.stdout.write(f"{'Table':<{width}}  {'rows':>10}  {'seconds':>8}")
        for name in sorted(result.counts):
            seconds = result.seconds.get(name, 0.0)
            self.stdout.write(f"{name:<{width}}  {result.counts[name]:>10,}  {seconds:>8.2f}")
        self.stdout.write(f"{'Total':<{width}}  {sum(result.counts.values()):>10,}")
        if digest:
            self.stdout.write(f"Digest: {result.digest}")
        verb = "Generated" if dry_run else "Seeded"
        self.stdout.write(self.style.SUCCESS(f"{verb} in {result.elapsed:.1f} s"))
