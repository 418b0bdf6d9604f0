"""Seeding a preset: the people first, then each partnership in its own transaction."""

import datetime
import random
import time
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone

from actions.models import Theme
from cspr.scale.allocate import allocate
from cspr.scale.cases import learning_events, seed_case
from cspr.scale.dates import FastCalendar
from cspr.scale.intake import waiting_referrals
from cspr.scale.people import seed_people
from cspr.scale.plan import draw_cases, plan_dates
from cspr.scale.writer import Writer


@dataclass
class Context:
    writer: Writer
    cal: FastCalendar
    today: datetime.date
    zone: zoneinfo.ZoneInfo
    perms: dict
    themes: list


@dataclass
class Result:
    counts: dict
    seconds: dict
    elapsed: float
    digest: str
    events: int


def _permissions():
    wanted = {
        ("cspr", "view_case"),
        ("cspr", "view_child"),
        ("rapid_reviews", "change_informationreturn"),
    }
    found = {
        codename: pk
        for app, codename, pk in Permission.objects.values_list(
            "content_type__app_label", "codename", "pk"
        )
        if (app, codename) in wanted
    }
    if len(found) != len(wanted):
        raise RuntimeError("The permissions are missing: run `manage.py migrate` first.")
    return found


def _fast_load():
    """On PostgreSQL, as a superuser: skip the foreign-key triggers for this transaction
    (every id is chosen here and checked by the test suite), and do not wait for the
    commit to reach the disk. Anywhere else, nothing."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")


def seed(preset, seed_value, *, today=None, dry_run=False, digest=False, progress=None):
    """Seed `preset` (a `cspr.scale.presets.Preset`) with `seed_value`; the same seed and
    the same `today` give the same rows. `progress(text)` hears how it goes."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    span = datetime.timedelta(days=int(365 * preset.years) + 400)
    cal = FastCalendar(today - span, today + datetime.timedelta(days=3 * 366))
    writer = Writer(dry_run=dry_run, digest=digest)
    themes = list(Theme.objects.filter(is_active=True).order_by("name").values_list("pk", "name"))
    context = Context(
        writer, cal, today, zoneinfo.ZoneInfo(settings.TIME_ZONE), _permissions(), themes
    )
    say = progress or (lambda text: None)
    rng = random.Random(f"{seed_value}:people")  # noqa: S311  (fictional data)
    now = datetime.datetime.combine(today, datetime.time(8), tzinfo=context.zone)
    with transaction.atomic():
        places = seed_people(writer, preset, rng, now=now)
        writer.flush()
    say(f"People: {len(places)} partnerships ({time.perf_counter() - started:.1f} s)")
    events = 0
    for place in places:
        with transaction.atomic():
            _fast_load()
            plans = draw_cases(preset, seed_value, place.number, cal, today)
            for plan in plans:
                plan_dates(plan, cal)
            allocate(plans, preset, today, cal, f"{seed_value}:{place.number}")
            local = random.Random(f"{seed_value}:{place.number}:extras")  # noqa: S311
            shared = learning_events(context, place, local, preset.years)
            for plan in plans:
                events += seed_case(context, place, plan, shared).events
            waiting_referrals(context, place, local)
            writer.flush()
        say(f"Partnership {place.number:02d} seeded ({time.perf_counter() - started:.1f} s)")
    with transaction.atomic():
        writer.finish()
    if connection.vendor == "postgresql" and not dry_run:
        # Fresh statistics, as autovacuum would gather in time: without them the planner
        # takes each new table for empty and joins a million rows by nested loop.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        say(f"Statistics gathered ({time.perf_counter() - started:.1f} s)")
    return Result(
        counts=dict(writer.counts),
        seconds=dict(writer.seconds),
        elapsed=time.perf_counter() - started,
        digest=writer.digest,
        events=events,
    )
