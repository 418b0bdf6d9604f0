"""Time the documents people download, against the seeded benchmark dataset: the rapid
review report and the collated pack (merged chronology) of a large rapid review as PDFs,
and the annual report as a page, a PDF and a CSV. Target: the PDF in 3 s or less.

    .venv/bin/python bench/documents.py [--database cspr_scale] [--partnership 1]
        [--year 2025] [--repeat 3] [--profile collated-pack-pdf]

Seed the database first (`manage.py seed_scale`, see the README). DATABASE_URL names the
server (default postgres://postgres@127.0.0.1:5432/); --database the seeded database on
it. Each document is fetched through the application's own view, as the partnership's
Business Manager (`p01-manager`) signed in with both factors, the way a browser would
ask for it; nothing is written that outlives the run (the access log rows the views
write are rolled back). The large rapid review is the partnership's "Child L01": 10
agencies' submitted returns of 100 chronology rows each.
"""

import argparse
import collections
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PDF_TARGET = 3.0  # seconds, for the rapid review PDFs


def database_url(name):
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/")
    return urlunsplit((url.scheme, url.netloc, f"/{name}", "", ""))


def machine(connection):
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{int(memory) / 1024 / 1024:.1f} GiB"
    except OSError:
        memory = "unknown"
    import django
    import weasyprint

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} RAM; Python {platform.python_version()}, "
        f"Django {django.get_version()}, WeasyPrint {weasyprint.__version__}, "
        f"PostgreSQL {server}"
    )


def dataset():
    """{label: rows} of the tables the issue's dataset is measured in."""
    from actions.models import Action
    from cspr.models import Agency, Case, Partnership, User
    from rapid_reviews.models import ChronologyEntry, InformationReturn

    return {
        "partnerships": Partnership.objects.count(),
        "agencies": Agency.objects.count(),
        "people": User.objects.count(),
        "cases": Case.objects.count(),
        "returns": InformationReturn.objects.count(),
        "chronology rows": ChronologyEntry.objects.count(),
        "actions": Action.objects.count(),
    }


def signed_in_client(user):
    """A test client for `user`, signed in with the password and the second factor just
    now (as `tests/conftest.py` does): the identity check of a download is passed."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cspr.authentication import PROVED_AT, SIGNED_IN_AT, now

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise SystemExit(f"{user} has no authenticator app: is this a seeded database?")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user, backend="cspr.backends.PeopleBackend")
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session[SIGNED_IN_AT] = session[PROVED_AT] = now()
    session.save()
    return client


def large_rapid_review(partnership, number):
    """The partnership's large rapid review ("Child L01" for partnership 01), or else its
    case with the most submitted chronology rows."""
    from django.db.models import Count, Q

    from cspr.models import Case
    from rapid_reviews.models import ReturnStatus

    named = Case.objects.filter(partnership=partnership, pseudonym=f"Child L{number:02d}").first()
    if named is not None:
        return named
    submitted = Q(rapid_review__requests__information_return__status=ReturnStatus.SUBMITTED)
    return (
        Case.objects.filter(partnership=partnership, rapid_review__isnull=False)
        .annotate(
            rows=Count("rapid_review__requests__information_return__entries", filter=submitted)
        )
        .order_by("-rows")
        .first()
    )


def fetch(client, url):
    """(seconds, queries, response) of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Django keeps the last 9,000 queries; a page past that would be miscounted.
    connection.queries_log = collections.deque(maxlen=1_000_000)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return seconds, queries.captured_queries, response


def repeated(queries, at_least=10):
    """A line about the statements run `at_least` times or more (their numbers blanked
    out), the sign of a query made once per row; None when there are none."""
    shapes = collections.Counter(re.sub(r"\b\d+\b", "N", q["sql"]) for q in queries)
    often = [(times, statement) for statement, times in shapes.most_common() if times >= at_least]
    if not often:
        return None
    times, statement = often[0]
    total = sum(n for n, _ in often)
    return (
        f"{total:,} of them repeat {len(often)} statement{'s' if len(often) > 1 else ''}; "
        f"the first, {times:,} times: {statement[:300]}"
    )


def pdf_text(response):
    """(pages, the text with its whitespace made single spaces) of a PDF response."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def check_pack(response, case):
    """The merged chronology's rows are all in the PDF: each agency's name once a row."""
    from rapid_reviews.selectors import collated_pack

    pack = collated_pack(case.rapid_review)
    pages, text = pdf_text(response)
    per_agency = {}
    for entry in pack.entries:
        name = entry.information_return.request.agency.name
        per_agency[name] = per_agency.get(name, 0) + 1
    short = {
        name: (text.count(name), rows)
        for name, rows in per_agency.items()
        if text.count(name) < rows
    }
    first, last = pack.entries[0], pack.entries[-1]
    found = " ".join(first.source.split()) in text and " ".join(last.source.split()) in text
    note = f"{pages} pages, {len(pack.entries):,} rows from {len(per_agency)} agencies"
    if short:
        return note + f"; MISSING rows (agency: found, expected): {short}"
    return note + (", every row found" if found else "; the first or last row is MISSING")


def check_report(response, case):
    from rapid_reviews.models import ReturnStatus

    pages, text = pdf_text(response)
    agencies = [
        r.agency.name
        for r in case.rapid_review.requests.select_related("agency", "information_return")
        if r.information_return.status == ReturnStatus.SUBMITTED
    ]
    missing = [name for name in agencies if name not in text]
    note = f"{pages} pages, {len(agencies)} agencies' returns"
    return note + (f"; MISSING {missing}" if missing else ", every agency found")


def check_csv(response, case):
    lines = response.content.decode("utf-8-sig").splitlines()
    return f"{len(lines)} lines"


def check_page(response, case):
    return f"{len(response.content) / 1024:.0f} KiB of HTML"


def check_annual_pdf(response, case):
    pages, _ = pdf_text(response)
    return f"{pages} pages"


def documents(case, year):
    """(name, url, target seconds or None, check) of each document timed."""
    from django.urls import reverse

    annual = f"?year={year}&kind=financial"
    pack_pdf = reverse("collated-pack-pdf", args=[case.pk])
    return [
        ("report-pdf", reverse("report-pdf", args=[case.pk]), PDF_TARGET, check_report),
        # Made: what a worker does after a return changes (or a download that finds the
        # kept PDF out of date); kept: a download while the pack is unchanged.
        ("collated-pack-pdf-made", pack_pdf, PDF_TARGET, check_pack),
        ("collated-pack-pdf", pack_pdf, PDF_TARGET, check_pack),
        ("collated-pack", reverse("collated-pack", args=[case.pk]), None, check_page),
        ("annual-report", reverse("annual-report") + annual, None, check_page),
        ("annual-report-pdf", reverse("annual-report-pdf") + annual, None, check_annual_pdf),
        ("annual-report-csv", reverse("annual-report-csv") + annual, None, check_csv),
    ]


def forget_pack_pdf(case):
    """Remove the kept pack PDF, file and row, so the next download makes it again."""
    from rapid_reviews.models import PackPdf

    for kept in PackPdf.objects.filter(rapid_review__case=case):
        kept.file.delete(save=False)
        kept.delete()


def profile(client, url, limit=30):
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    print(f"\nWhere the time of GET {url} goes (cumulative, top {limit}):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(limit)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(limit)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="cspr_scale", help="The seeded database.")
    parser.add_argument("--partnership", type=int, default=1, help="Whose Business Manager.")
    parser.add_argument("--year", type=int, help="The annual report's financial year.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only", metavar="NAME", action="append", help="Time only these documents."
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="Profile one document (e.g. collated-pack-pdf)."
    )
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = database_url(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspr.settings.test")
    import django

    django.setup()
    import logging

    # WeasyPrint's progress page by page, django-axes' sign-in notes.
    for name in ("weasyprint", "axes"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from django.db import connection, transaction
    from django.utils import timezone

    from actions.reports import current_period
    from cspr.models import User

    username = f"p{args.partnership:02d}-manager"
    manager = User.objects.filter(username=username).select_related("partnership").first()
    if manager is None:
        raise SystemExit(f"No {username} in {args.database}: seed it with manage.py seed_scale")
    case = large_rapid_review(manager.partnership, args.partnership)
    # The last whole financial year by default: a year of history to count.
    year = args.year or current_period(timezone.localdate()).year - 1

    python = os.path.relpath(sys.executable, Path.cwd())
    print(f"Command: {' '.join([python, *sys.argv])}")
    print(f"Machine: {machine(connection)}")
    print("Load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    counts = dataset()
    print("Dataset: " + ", ".join(f"{rows:,} {label}" for label, rows in counts.items()))
    print(
        f"As {username} of {manager.partnership}; the large rapid review: {case.pseudonym} "
        f"(case {case.pk}); the annual report: financial year {year} to {year + 1}."
    )
    print(f"Each timed {args.repeat} times (the first of the run also warms the process).\n")
    header = f"{'document':<20} {'min s':>7} {'median s':>9} {'queries':>8}  {'target':>7}  check"
    print(header)
    print("-" * len(header))

    misses = []
    with transaction.atomic():
        client = signed_in_client(manager)
        for name, url, target, check in documents(case, year):
            if args.only and name not in args.only:
                continue
            times, queries, response = [], [], None
            if name == "collated-pack-pdf":
                fetch(client, url)  # keeps the PDF, if the last document did not
            for _ in range(args.repeat):
                if name == "collated-pack-pdf-made":
                    forget_pack_pdf(case)
                seconds, queries, response = fetch(client, url)
                times.append(seconds)
            best, median = min(times), statistics.median(times)
            verdict = ""
            if target is not None:
                verdict = f"{'ok' if median <= target else 'MISSED'} <= {target:.0f}"
                if median > target:
                    misses.append(name)
            print(
                f"{name:<20} {best:7.2f} {median:9.2f} {len(queries):8d}  {verdict:>7}  "
                f"{check(response, case)}",
                flush=True,
            )
            if repeat := repeated(queries):
                print(f"{'':<20} {repeat}")
        if args.profile:
            chosen = {name: url for name, url, _, _ in documents(case, year)}
            if args.profile == "collated-pack-pdf-made":
                forget_pack_pdf(case)  # else the kept PDF is what would be profiled
            profile(client, chosen[args.profile])
        # Undo what the run wrote: the session, the access log rows of the views and the
        # kept pack PDF (its file is not in the transaction: remove it first).
        forget_pack_pdf(case)
        transaction.set_rollback(True)
    print("Load average (1, 5, 15 min) after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if misses:
        print(f"\nMissed the target: {', '.join(misses)} (see --profile NAME)")


if __name__ == "__main__":
    main()
