"""Seed 50,000 open deadlines into a throwaway PostgreSQL database and time one reminder
sweep over them, printing the figures. Target: one sweep in 10 s or less.

    .venv/bin/python bench/reminder_sweep.py [--deadlines 50000] [--keep]

DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/); the
database `cspr_bench_reminders` is created, and dropped afterwards unless --keep.
E-mail goes to Django's in-memory backend: this measures the sweep, not a mail server.
Everything seeded is fictional.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = "cspr_bench_reminders"
PARTNERSHIPS = 20
BUSINESS_UNIT = 3  # per partnership
AGENCIES = 4  # per partnership, each with 3 contributors and a lead
CONTRIBUTORS = 3


def server_url():
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/")
    return url


def _on_server(*statements):
    """Run statements on the server's `postgres` database, outside a transaction."""
    import psycopg2

    url = server_url()
    admin = psycopg2.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    admin.close()


def recreate_database():
    _on_server(f'DROP DATABASE IF EXISTS "{DATABASE}"', f'CREATE DATABASE "{DATABASE}"')
    url = server_url()
    return urlunsplit((url.scheme, url.netloc, f"/{DATABASE}", "", ""))


def drop_database():
    from django.db import connections

    connections.close_all()
    _on_server(f'DROP DATABASE IF EXISTS "{DATABASE}"')


def seed(total, today, rng):
    """Partnerships, people, cases and `total` open deadlines due from 5 working days ago
    to 45 ahead, a quarter of them agency returns granted to the agency."""
    from django.contrib.auth.models import Group, Permission

    from cspr.deadline_rules import RULES, Rule
    from cspr.models import (
        Agency,
        Case,
        CaseGroupObjectPermission,
        Deadline,
        Partnership,
        Role,
        User,
    )
    from cspr.services.people import person_sync_groups
    from cspr.working_days import load_calendar

    calendar = load_calendar()
    days = [calendar.subtract_working_days(today, n) for n in range(5, 0, -1)] + [
        calendar.add_working_days(today, n) for n in range(0, 46)
    ]
    view_case = Permission.objects.get(codename="view_case", content_type__model="case")
    per_partnership = total // PARTNERSHIPS
    deadlines, grants = [], []
    for p in range(PARTNERSHIPS):
        partnership = Partnership.objects.create(name=f"Benchmark {p} Safeguarding Partnership")
        founder = None
        for n in range(BUSINESS_UNIT):
            user = User.objects.create(
                username=f"bu-{p}-{n}", partnership=partnership, email=f"bu-{p}-{n}@example.org"
            )
            person_sync_groups(user=user, roles={Role.BUSINESS_UNIT})
            founder = founder or user
        chair = User.objects.create(
            username=f"chair-{p}", partnership=partnership, email=f"chair-{p}@example.org"
        )
        person_sync_groups(user=chair, roles={Role.SUBGROUP_CHAIR})
        agencies = []
        for a in range(AGENCIES):
            group = Group.objects.create(name=f"agency:bench-{p}-{a}")
            agency = Agency.objects.create(
                partnership=partnership, name=f"Agency {a}", type="other", group=group
            )
            agencies.append(agency)
            for n in range(CONTRIBUTORS + 1):
                user = User.objects.create(
                    username=f"ag-{p}-{a}-{n}",
                    partnership=partnership,
                    agency=agency,
                    is_agency_lead=n == CONTRIBUTORS,
                    email=f"ag-{p}-{a}-{n}@example.org",
                )
                person_sync_groups(user=user, roles={Role.AGENCY_CONTRIBUTOR})
        cases = Case.objects.bulk_create(
            Case(partnership=partnership, pseudonym=f"Child {p}-{c}", created_by=founder)
            for c in range(per_partnership // 10)
        )
        for case in cases:
            granted = set()
            for _ in range(10):
                rule = rng.choice(
                    [Rule.NOTIFICATION, Rule.RAPID_REVIEW_REPORT, Rule.AGENCY_RETURN, Rule.OTHER]
                )
                agency = rng.choice(agencies) if rule == Rule.AGENCY_RETURN else None
                due = rng.choice(days)
                deadlines.append(
                    Deadline(
                        case=case,
                        rule=rule,
                        agency=agency,
                        title=Rule(rule).label,
                        period=RULES[rule].period,
                        anchor_event="the benchmark",
                        anchor_date=due - datetime.timedelta(days=14),
                        due_on=due,
                        original_due_on=due,
                    )
                )
                if agency and agency.pk not in granted:
                    granted.add(agency.pk)
                    grants.append(
                        CaseGroupObjectPermission(
                            content_object=case, group=agency.group, permission=view_case
                        )
                    )
    Deadline.objects.bulk_create(deadlines, batch_size=5000)
    CaseGroupObjectPermission.objects.bulk_create(grants, batch_size=5000)
    return Deadline.objects.select_related("case").order_by("pk")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadlines", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--profile", action="store_true", help="Print where the sweep's time goes.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Sweep again a database kept with --keep (its reminders set back to unsent).",
    )
    args = parser.parse_args()

    if args.reuse:
        url = server_url()
        os.environ["DATABASE_URL"] = urlunsplit((url.scheme, url.netloc, f"/{DATABASE}", "", ""))
    else:
        os.environ["DATABASE_URL"] = recreate_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspr.settings.test")
    os.environ["REMINDER_SEND_FROM_HOUR"] = "0"
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from cspr.models import Deadline, Digest, Reminder
    from cspr.services.reminder_sweep import digests_deliver, reminders_collect, reminders_sweep
    from cspr.services.reminders import reminders_plan

    try:
        started = time.perf_counter()
        today = timezone.localdate()
        now = timezone.now()
        if args.reuse:
            Reminder.objects.update(status="pending", digest=None, collected_at=None)
            Digest.objects.all().delete()
            planned, planning = Reminder.objects.count(), 0.0
        else:
            call_command("migrate", verbosity=0)
            deadlines = seed(args.deadlines, today, random.Random(2026))
        seeded = time.perf_counter() - started

        if not args.reuse:
            started = time.perf_counter()
            with transaction.atomic():
                planned = reminders_plan(deadlines, today=today)
            planning = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        due = Reminder.objects.filter(status="pending", for_day__lte=today).count()

        mail.outbox = []
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        collected, withheld = reminders_collect(now=now)
        collecting = time.perf_counter() - started
        started = time.perf_counter()
        counts = digests_deliver(now=now)
        delivering = time.perf_counter() - started
        if profiler:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumtime").print_stats(45)
        again = time.perf_counter()
        second = reminders_sweep(now=now)
        second_run = time.perf_counter() - again

        print(f"Machine: {os.cpu_count()} cores; PostgreSQL {connection.pg_version // 10000}")
        print(f"Open deadlines seeded:      {Deadline.objects.count():>9,}")
        print(f"Reminders planned:          {planned:>9,}  in {planning:6.2f} s")
        print(f"Reminders due today:        {due:>9,}")
        print(f"  collected:                {collected:>9,}")
        print(f"  withheld:                 {withheld:>9,}")
        print(f"Digests e-mailed:           {counts['sent']:>9,}  ({len(mail.outbox):,} messages)")
        print(f"Digests pending after:      {Digest.objects.filter(status='pending').count():>9,}")
        print(f"Sweep: collect              {collecting:9.2f} s")
        print(f"Sweep: deliver              {delivering:9.2f} s")
        print(f"Sweep: total                {collecting + delivering:9.2f} s   (target <= 10 s)")
        print(f"Second sweep (nothing due): {second_run:9.2f} s, collected {second.collected}")
        print(f"(Seeding took {seeded:.1f} s.)")
    finally:
        if not (args.keep or args.reuse):
            drop_database()


if __name__ == "__main__":
    main()
