"""The page benchmark: the product's pages under gunicorn against the seeded dataset, each
beside its raw-SQL baseline (bench/baseline.py), driven by locust on loopback.

    .venv/bin/python bench/pages.py [--database cspr_scale] [--rate 80] [--duration 60]
                                    [--closed 10] [--rounds 3] [--workers 4] [--pages a,b]

Needs `pip install -r requirements-bench.txt` and a database seeded by
`manage.py seed_scale` on the PostgreSQL server DATABASE_URL names (default
postgres://postgres@127.0.0.1:5432/; the database is --database). It:

1. reads the dataset's counts and picks, for each partnership, the business unit's
   pages: the case list filtered to rapid reviews and a name (`case-list`) and unfiltered
   (`case-list-all`, page 1 of 25 of all its cases), the busiest case (`case-detail`), the
   large rapid review's merged chronology (`collated-pack`), the dashboard, also as an
   executive; and for agency contributors their agency's request with a submitted return
   (`request-detail`) and a draft return to save (`return-save`), one draft per user;
2. starts gunicorn (cspr.settings.bench: the base settings on plain HTTP, plus the
   baseline views and an X-Queries header) with --workers sync workers on a free port of
   127.0.0.1; exits 1 if it does not answer;
3. signs each person in once, through the sign-in and second-factor pages (password
   cspr.scale.BENCH_PASSWORD, the code of their seeded authenticator app), then asks for
   each URL once per worker (the first, cold, times are printed);
4. phase 1: the pages at --rate requests/s for --duration s (locust, Poisson arrivals,
   one user per request/s, the mix in MIX); phase 2: the baselines in their pages'
   place, same people, same rate (the return save and the executive's dashboard, which
   have no baseline, stay in the mix so the load is the same);
5. phase 3, closed loop: each page and each baseline alone, as fast as it answers, for
   --closed s, with 2 clients per worker, page and baseline in turn, --rounds times (the
   median round is shown, and the ratios' range): its maximum throughput, and the ratio of each
   page's to its baseline's (a ratio at a fixed rate would be 1);
6. prints the machine, its load before the run, the dataset, the command, then per page
   p50/p95/p99, the rate achieved, failures and SQL queries a request (X-Queries, the
   middleware's included), the same for its baseline, both maximum throughputs and
   their ratio, each worker's peak memory (VmHWM), and the targets missed.

Why 4 sync workers on 2 cores: a request spends part of its time waiting for
PostgreSQL (on the same two cores), so two processes per core keep both busy; 2 left
the cores idle (about half the throughput of 4 on the list page), 6 gave no more
throughput and a worse p95 (more processes queueing for the same cores). gthread
would not help: the work is Python under one GIL per process.

Everything stays on 127.0.0.1. Percentiles are exact (every request's time is kept),
the first 5 s of each fixed-rate phase (users starting) and 2 s of each closed loop are
left out. With the defaults the run takes about 12 minutes; locust's logs and every
sample are kept under var/bench/.
"""

import argparse
import datetime
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

# (page, whose session, weight in the mix): the share of visits each page gets.
MIX = [
    ("case-list", "business_unit", 15),
    ("case-list-all", "business_unit", 10),
    ("case-detail", "business_unit", 25),
    ("dashboard", "business_unit", 12),
    ("collated-pack", "business_unit", 5),
    ("dashboard-executive", "executive", 3),
    ("request-detail", "agency", 20),
    ("return-save", "agency", 10),
]
BASELINED = {
    "case-list",
    "case-list-all",
    "case-detail",
    "dashboard",
    "collated-pack",
    "request-detail",
}
REQUESTS_PER_VISIT = {"return-save": 2}  # the edit page's GET, then the POST
TARGET_P95_MS = 150
TARGET_RATIO = 0.5  # of the baseline's throughput, for the list and case pages
RATIO_TARGETED = {"case-list", "case-list-all", "case-detail"}
RAMP_SECONDS = 5  # spawning users; their requests are left out of the figures
CLOSED_WARM_SECONDS = 2  # the same at the start of each closed loop
SIGN_IN_THREADS = 2


def main():
    args = _arguments()
    server = urllib.parse.urlsplit(
        os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/"
    )
    database_url = urllib.parse.urlunsplit(server._replace(path=f"/{args.database}"))
    os.environ.update(
        DATABASE_URL=database_url,
        CSPR_BENCH="1",
        DJANGO_SETTINGS_MODULE="cspr.settings.bench",
    )
    if not args.redis:
        os.environ.pop("REDIS_URL", None)
    out = ROOT / "var" / "bench" / f"pages-{datetime.datetime.now():%Y%m%d-%H%M%S}"
    out.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    dataset = _dataset()
    plan = _plan(args)
    devices = _devices(plan)
    from django.db import connections

    connections.close_all()

    _print_header(args, dataset)
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    gunicorn = _start_gunicorn(args, port, out)
    try:
        if not _wait_until_up(host, gunicorn):
            print(f"gunicorn did not start: see {out / 'gunicorn.log'}", file=sys.stderr)
            return 1
        sessions = _sign_in_everyone(host, plan, devices, args.password)
        plan_file = out / "plan.json"
        plan_file.write_text(
            json.dumps(
                {
                    "host": host,
                    "host_name": "127.0.0.1",
                    "sessions": sessions,
                    "mix": [list(m) for m in MIX if sessions.get(m[1]) and m[0] in args.pages],
                }
            ),
            encoding="utf-8",
        )
        _warm_up(host, sessions, args.workers)
        results = _run_phases(args, plan_file, out, sessions)
        memory = _worker_memory(gunicorn.pid)
    finally:
        _stop(gunicorn)
    _print_results(args, results, memory)
    print(f"\nRaw samples and locust's logs: {out.relative_to(ROOT)}")
    return 0


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="cspr_scale", help="the seeded database")
    parser.add_argument("--rate", type=float, default=80, help="requests a second, phases 1-2")
    parser.add_argument(
        "--duration", type=int, default=60, help="seconds of phases 1 and 2 (0: skip them)"
    )
    parser.add_argument(
        "--closed", type=int, default=10, help="seconds per page, phase 3 (0: skip it)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=4,
        help="gunicorn sync workers (4 for 2 cores: see docs/benchmarks.md)",
    )
    parser.add_argument(
        "--pages",
        type=lambda text: [name.strip() for name in text.split(",")],
        default=[name for name, _, _ in MIX],
        help="only these pages (comma-separated): " + ", ".join(name for name, _, _ in MIX),
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="closed loops of each page and baseline, in turn"
    )
    parser.add_argument("--users", type=int, default=0, help="locust users (default: rate)")
    parser.add_argument("--q", default="", help="the case list's name filter (default: chosen)")
    parser.add_argument("--password", default="", help="default: cspr.scale.BENCH_PASSWORD")
    parser.add_argument("--redis", action="store_true", help="keep REDIS_URL (cache) if set")
    return parser.parse_args()


# The dataset and what to ask for.


def _dataset():
    from django.db import connection

    from actions.models import Action
    from cspr.models import Agency, Case, CaseEvent, Deadline, Partnership, User
    from rapid_reviews.models import ChronologyEntry, InformationReturn

    counts = {
        "partnerships": Partnership,
        "agencies": Agency,
        "people": User,
        "cases": Case,
        "agency returns": InformationReturn,
        "chronology rows": ChronologyEntry,
        "actions": Action,
        "deadlines": Deadline,
        "case events": CaseEvent,
    }
    figures = {name: model.objects.count() for name, model in counts.items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        figures["postgres"] = cursor.fetchone()[0].split(" on ")[0]
    return figures


def _plan(args):
    """For each partnership: its business unit person and their pages; its executive; and
    for agency contributors, their request page and a draft each to save."""
    from django.db.models import Count, Q

    from cspr.models import Case, Role, Stage, User
    from rapid_reviews.models import (
        ChronologyEntry,
        InformationRequest,
        InformationReturnGroupObjectPermission,
        ReturnStatus,
    )

    def people(role):
        found = User.objects.filter(
            is_active=True, partnership__isnull=False, groups__name=Role.group_name(role)
        ).order_by("partnership_id", "username")
        first = {}
        for user in found:
            first.setdefault(user.partnership_id, user)
        return first

    managers = User.objects.filter(
        is_active=True, is_business_manager=True, groups__name=Role.group_name(Role.BUSINESS_UNIT)
    ).order_by("partnership_id", "username")
    unit = {user.partnership_id: user for user in reversed(list(managers))}
    for partnership_id, user in people(Role.BUSINESS_UNIT).items():
        unit.setdefault(partnership_id, user)
    executives = people(Role.EXECUTIVE)

    business_unit, executive = [], []
    for partnership_id, user in sorted(unit.items()):
        cases = Case.objects.filter(partnership_id=partnership_id)
        busy = (
            cases.annotate(n=Count("events", distinct=True) + Count("deadlines", distinct=True))
            .order_by("-n", "pk")
            .first()
        )
        if busy is None:
            continue
        large = (
            ChronologyEntry.objects.filter(
                information_return__request__rapid_review__case__partnership_id=partnership_id,
                information_return__status=ReturnStatus.SUBMITTED,
            )
            .values("information_return__request__rapid_review__case")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        q = args.q or _name_filter(cases.filter(stage=Stage.RAPID_REVIEW))
        query = urllib.parse.urlencode({"stage": Stage.RAPID_REVIEW, "q": q})
        large_case = large["information_return__request__rapid_review__case"] if large else None
        urls = {
            "case-list": _pair(f"/cases/?{query}", f"/bench/baseline/cases/?{query}"),
            "case-list-all": _pair("/cases/", "/bench/baseline/cases/"),
            "case-detail": _pair(f"/cases/{busy.pk}/", f"/bench/baseline/cases/{busy.pk}/"),
            "dashboard": _pair("/dashboard/", "/bench/baseline/dashboard/"),
        }
        if large_case:
            urls["collated-pack"] = _pair(
                f"/cases/{large_case}/rapid-review/pack/",
                f"/bench/baseline/cases/{large_case}/pack/",
            )
        business_unit.append({"username": user.username, "urls": urls})
        if partnership_id in executives:
            executive.append(
                {
                    "username": executives[partnership_id].username,
                    "urls": {"dashboard-executive": _pair("/dashboard/", None)},
                }
            )

    # Agency contributors: each draft return still open to its agency is one session's.
    contributors = User.objects.filter(
        is_active=True, agency__isnull=False, groups__name=Role.group_name(Role.AGENCY_CONTRIBUTOR)
    ).order_by("username")
    first_contributor = {}
    for user in contributors:
        first_contributor.setdefault(user.agency_id, user)
    editable = InformationReturnGroupObjectPermission.objects.filter(
        permission__codename="change_informationreturn"
    ).values("content_object_id")
    drafts = (
        InformationRequest.objects.filter(
            information_return__status=ReturnStatus.DRAFT,
            information_return__in=editable,
            agency_id__in=list(first_contributor),
        )
        .annotate(rows=Count("information_return__entries"))
        .filter(rows__lte=30)
        .order_by("agency_id", "-pk")
    )
    per_agency = {}
    for request in drafts:
        per_agency.setdefault(request.agency_id, []).append(request.pk)
    agency = []
    wanted = max(args.users or int(args.rate), 2 * args.workers)
    for round_ in range(wanted):
        for agency_id, drafts_of in sorted(per_agency.items()):
            if len(agency) >= wanted or round_ >= len(drafts_of):
                continue
            user = first_contributor[agency_id]
            shown = (
                InformationRequest.objects.filter(
                    agency_id=agency_id, information_return__status=ReturnStatus.SUBMITTED
                )
                .annotate(rows=Count("information_return__entries"))
                .filter(Q(rows__gte=5))
                .order_by("-sent_at", "-pk")
                .first()
            )
            if shown is None:
                continue
            draft = drafts_of[round_]
            agency.append(
                {
                    "username": user.username,
                    "urls": {
                        "request-detail": _pair(
                            f"/requests/{shown.pk}/", f"/bench/baseline/requests/{shown.pk}/"
                        ),
                        "return-save": _pair(f"/requests/{draft}/return/", None),
                    },
                }
            )
    return {"business_unit": business_unit, "executive": executive, "agency": agency}


def _pair(page, baseline):
    return {"page": page, "baseline": baseline or page}


def _name_filter(cases):
    """A name filter that a good share of the cases match: the pseudonyms' common first
    word ("Child") if they have one, else nothing."""
    first = cases.values_list("pseudonym", flat=True).first() or ""
    return first.split(" ")[0].lower() if " " in first else ""


# gunicorn.


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(args, port, out):
    log = open(out / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115
    return subprocess.Popen(  # noqa: S603  # our own venv's gunicorn, fixed arguments
        [
            str(BIN / "gunicorn"),
            "cspr.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_until_up(host, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{host}/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    return False


def _worker_memory(master):
    """{worker pid: (peak RSS MiB, RSS now MiB)} of the gunicorn master's children."""
    memory = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() != str(master):
            continue
        peak = int(fields["VmHWM"].split()[0]) / 1024
        now = int(fields["VmRSS"].split()[0]) / 1024
        memory[int(entry.name)] = (peak, now)
    return memory


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# Signing in, as a browser.


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser():
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    return jar, opener


def _open(opener, url, data=None, referer=None, timeout=60):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)  # noqa: S310
    if referer:
        request.add_header("Referer", referer)
    try:
        with opener.open(request, timeout=timeout) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as error:  # a redirect (not followed) or an error
        return error.code, error.headers, error.read().decode(errors="replace")


def _csrf(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


def _code(device, ahead):
    """The code the person's authenticator app shows now (or `ahead` steps later), from the
    key of their seeded device (cspr.scale.device_key derives the same from the username)."""
    from django_otp.oath import TOTP

    key, step, t0, digits, drift = device
    totp = TOTP(bytes.fromhex(key), step, t0, digits, drift)
    totp.time = time.time() + ahead * step
    return f"{totp.token():0{digits}d}"


def _sign_in(host, username, password, device):
    """Sign one person in; their cookies. Retries the code once in the next 30-second step
    (django-otp takes each code once: a run just before may have used this one)."""
    jar, opener = _browser()
    _, _, html = _open(opener, f"{host}/sign-in/")
    status, headers, _ = _open(
        opener,
        f"{host}/sign-in/",
        {"csrfmiddlewaretoken": _csrf(html), "username": username, "password": password},
        referer=f"{host}/sign-in/",
    )
    if status != 302:
        raise RuntimeError(f"{username}: the password was refused ({status})")
    for ahead in (0, 1):
        _, _, html = _open(opener, f"{host}/account/second-factor/")
        status, headers, _ = _open(
            opener,
            f"{host}/account/second-factor/",
            {"csrfmiddlewaretoken": _csrf(html), "code": _code(device, ahead)},
            referer=f"{host}/account/second-factor/",
        )
        if status == 302:
            return {cookie.name: cookie.value for cookie in jar}
        time.sleep(1.1)  # django-otp throttles a refused code for a second
    raise RuntimeError(f"{username}: the second factor was refused")


def _devices(plan):
    """{username: (hex key, step, t0, digits, drift)} of each person's authenticator app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    usernames = {s["username"] for kind in plan.values() for s in kind}
    devices = TOTPDevice.objects.filter(user__username__in=usernames, confirmed=True)
    return {
        d.user.username: (d.key, d.step, d.t0, d.digits, d.drift)
        for d in devices.select_related("user").order_by("pk")
    }


def _sign_in_everyone(host, plan, devices, password):
    from cspr.scale import BENCH_PASSWORD

    password = password or BENCH_PASSWORD
    usernames = sorted({s["username"] for kind in plan.values() for s in kind})
    missing = [username for username in usernames if username not in devices]
    if missing:
        raise RuntimeError(f"No authenticator app for {', '.join(missing)}: seed with seed_scale")

    def sign_in(username):
        return _sign_in(host, username, password, devices[username])

    with ThreadPoolExecutor(SIGN_IN_THREADS) as pool:
        signed_in = pool.map(sign_in, usernames)
        cookies = dict(zip(usernames, signed_in, strict=True))
    return {
        kind: [{**s, "cookies": cookies[s["username"]]} for s in sessions]
        for kind, sessions in plan.items()
    }


def _warm_up(host, sessions, workers):
    """Each URL a few times per worker: imports, template compilation, connections, and
    PostgreSQL's cache. Prints how long each took the first time (cold)."""
    print("Warm-up, each URL's first request (cold caches):")
    for kind in sessions.values():
        for session in kind[:1]:
            _, opener = _browser()
            cookie = "; ".join(f"{k}={v}" for k, v in session["cookies"].items())
            opener.addheaders = [("Cookie", cookie)]
            for pair in session["urls"].values():
                for url in sorted({pair["page"], pair["baseline"]}):
                    for attempt in range(workers):
                        started = time.perf_counter()
                        try:
                            status, _, _ = _open(opener, host + url, timeout=300)
                        except TimeoutError:
                            status = "timed out after 300 s"
                        if attempt == 0:
                            took = (time.perf_counter() - started) * 1000
                            print(f"  {url:<52} {took:7.0f} ms  {status}")
    print(flush=True)


# The phases.


def _locust(plan_file, out, label, *, users, run_time, rate, target, only=""):
    samples = out / f"{label}.json"
    env = os.environ.copy()
    env.update(
        BENCH_PLAN=str(plan_file),
        BENCH_TARGET=target,
        BENCH_ONLY=only,
        BENCH_RATE=str(rate),
        BENCH_OUT=str(samples),
    )
    spawn = users if only else max(1, users / RAMP_SECONDS)
    with open(out / f"{label}.log", "w", encoding="utf-8") as log:
        started = time.time()
        subprocess.run(  # noqa: S603  # our own venv's locust, fixed arguments
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "-u",
                str(users),
                "-r",
                str(spawn),
                "--run-time",
                f"{run_time}s",
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    data = json.loads(samples.read_text(encoding="utf-8")) if samples.exists() else {}
    return started, data


def _figures(samples, start, end):
    """p50/p95/p99 (ms), requests a second, failures, queries of the samples started in
    [start, end)."""
    kept = [s for s in samples if start <= s[0] < end]
    if not kept:
        return None
    times = sorted(s[1] for s in kept)
    queries = sorted(s[3] for s in kept if s[3] is not None)
    return {
        "p50": _percentile(times, 50),
        "p95": _percentile(times, 95),
        "p99": _percentile(times, 99),
        "rps": len(kept) / (end - start),
        "count": len(kept),
        "failures": sum(1 for s in kept if not s[2]),
        "queries": (queries[0], statistics.median(queries), queries[-1]) if queries else None,
    }


def _percentile(ordered, p):
    """Nearest-rank percentile of sorted values."""
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def _first_start(data):
    """When the load began: the first request's start (locust's own start-up excluded)."""
    starts = [samples[0][0] for samples in data.values() if samples]
    return min(starts) if starts else 0.0


def _measured(plan_file, out, label, *, seconds, warm, **options):
    """One locust run of `warm` seconds and then `seconds` measured: (samples by page,
    start and end of the measured window)."""
    _, data = _locust(plan_file, out, label, run_time=seconds + warm, **options)
    start = _first_start(data) + warm
    return data, start, start + seconds


def _run_phases(args, plan_file, out, sessions):
    pages = [name for name, kind, _ in MIX if sessions.get(kind) and name in args.pages]
    weights = {name: weight for name, kind, weight in MIX if name in pages}
    requests_per_visit = sum(weights[n] * REQUESTS_PER_VISIT.get(n, 1) for n in pages) / sum(
        weights.values()
    )
    users = args.users or max(int(args.rate), 1)
    per_user = args.rate / requests_per_visit / users
    results = {"fixed": {}, "closed": {}}
    for target in ("page", "baseline") if args.duration else ():
        print(f"Phase: {target}s at {args.rate:g} requests/s for {args.duration} s ...", flush=True)
        data, start, end = _measured(
            plan_file,
            out,
            f"fixed-{target}",
            seconds=args.duration,
            warm=RAMP_SECONDS,
            users=users,
            rate=per_user,
            target=target,
        )
        results["fixed"][target] = {
            name: _figures(samples, start, end) for name, samples in data.items()
        }
    clients = 2 * args.workers
    # Each page and its baseline take turns, --rounds times: the machine's speed drifts
    # over minutes, and one pair of 10 s loops gave ratios a fifth apart from run to run.
    for round_ in range(args.rounds if args.closed else 0):
        for name in pages:
            for target in ("page", "baseline"):
                if target == "baseline" and name not in BASELINED:
                    continue
                if name not in BASELINED and round_:
                    continue  # no ratio to steady: once is enough
                print(
                    f"Phase: {name} ({target}) closed loop for {args.closed} s, "
                    f"round {round_ + 1} of {args.rounds} ...",
                    flush=True,
                )
                data, start, end = _measured(
                    plan_file,
                    out,
                    f"closed-{name}-{target}-{round_ + 1}",
                    seconds=args.closed,
                    warm=CLOSED_WARM_SECONDS,
                    users=clients,
                    rate=0,
                    target=target,
                    only=name,
                )
                results["closed"].setdefault((name, target), []).append(
                    _figures(data.get(name, []), start, end)
                )
    return results


# The report.


def _print_header(args, dataset):
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) / 1024 / 1024
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    from importlib.metadata import version

    import django

    print("== Page benchmark (bench/pages.py)")
    print(f"Date:     {datetime.datetime.now():%Y-%m-%d %H:%M}")
    print(f"Command:  {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"Machine:  {os.cpu_count()} cores ({model}), {memory:.1f} GiB memory, "
        f"{platform.system()} {platform.release()}"
    )
    print(
        f"Software: Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {version('gunicorn')} ({args.workers} sync workers), "
        f"locust {version('locust')}, {dataset.pop('postgres')}"
    )
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"Before:   load average {' '.join(load)} (1, 5, 15 min: anything else running)")
    print(
        f"CPU:      {_cpu_check():.2f} s for 10 million Python additions, best of 3 "
        "(this machine's speed today: the same code on the same kind of machine has "
        "varied by a factor of 2-3)"
    )
    from django.conf import settings

    print(
        f"Settings: cspr.settings.bench (production's, plain HTTP), CONN_MAX_AGE="
        f"{settings.DATABASES['default']['CONN_MAX_AGE']}, cache "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, sessions in the database"
    )
    print(f"Database: {args.database}")
    print("Dataset:  " + ", ".join(f"{n:,} {name}" for name, n in dataset.items()))
    print(
        f"Load:     {args.rate:g} requests/s for {args.duration} s (pages, then baselines), "
        f"then each alone in a closed loop of {2 * args.workers} clients for {args.closed} s, "
        f"{args.rounds} rounds"
    )
    print(flush=True)


def _cpu_check():
    """Seconds of CPU for a fixed pure-Python loop: a yardstick for comparing runs made
    on different days, as the machines' speed varies."""
    best = None
    for _ in range(3):
        start, total = time.process_time(), 0
        for number in range(10_000_000):
            total += number
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    return best


def _ms(value):
    return f"{value:6.0f}" if value is not None else "     -"


def _queries(figures):
    if not figures or not figures["queries"]:
        return "   -"
    low, _, high = figures["queries"]
    return f"{low}" if low == high else f"{low}-{high}"


def _print_results(args, results, memory):
    fixed, closed = results["fixed"], results["closed"]
    names = [n for n, _, _ in MIX if n in fixed.get("page", {}) or (n, "page") in closed]
    extra = [n for n in fixed.get("page", {}) if n not in names]
    misses = []
    if fixed:
        print()
        print(f"At {args.rate:g} requests/s (target: p95 <= {TARGET_P95_MS} ms), milliseconds:")
        head = (
            f"{'page':<21}{'p50':>6}{'p95':>6}{'p99':>6}{'req/s':>7}{'fail':>6}  {'queries':<10}"
            f"| {'base p50':>8}{'p95':>6}{'p99':>6}{'req/s':>7}{'fail':>6}  {'queries':<8}"
        )
        print(head)
        print("-" * len(head))
        for name in [*names, *extra]:
            page = fixed.get("page", {}).get(name)
            base = fixed.get("baseline", {}).get(name) if name in BASELINED else None
            line = f"{name:<21}" + _row(page)
            line += f"| {_row(base, baseline=True)}" if base else "| -"
            if page and page["p95"] > TARGET_P95_MS:
                line += "  MISS"
                misses.append(f"{name}: p95 {page['p95']:.0f} ms at {args.rate:g} requests/s")
            print(line)
        for target in ("page", "baseline"):
            figures = [f for f in fixed.get(target, {}).values() if f]
            total = sum(f["rps"] for f in figures)
            failed = sum(f["failures"] for f in figures)
            print(f"{'all (' + target + 's)':<21}{total:25.1f}{failed:6d}  of {args.rate:g} asked")
            if figures and total < 0.9 * args.rate:
                print(
                    f"{'':<21}saturated: the server answered {total:.1f} of the {args.rate:g} "
                    "requests/s asked; the times above are mostly queueing"
                )
    print()
    clients = 2 * args.workers
    print(
        f"Maximum throughput, closed loop ({clients} clients, one page at a time; page and "
        f"baseline in turn, {args.rounds} rounds: the median rounds, and the median and "
        "range of the rounds' ratios):"
    )
    head = f"{'page':<21}{'page req/s':>11}{'p95':>6}  {'base req/s':>11}{'p95':>6}{'ratio':>8}"
    print(head)
    print("-" * len(head))
    for name in names:
        page_rounds = closed.get((name, "page"), [])
        base_rounds = closed.get((name, "baseline"), [])
        pages, bases = [f for f in page_rounds if f], [f for f in base_rounds if f]
        page, base = _median_round(pages), _median_round(bases)
        line = f"{name:<21}"
        line += f"{page['rps']:11.1f}{_ms(page['p95'])}" if page else f"{'-':>11}{'-':>6}"
        if base:
            line += f"  {base['rps']:11.1f}{_ms(base['p95'])}"
            # Each round's page against the baseline that ran just after it.
            paired = zip(page_rounds, base_rounds, strict=True)
            ratios = sorted(p["rps"] / b["rps"] for p, b in paired if p and b)
            if ratios:
                ratio = ratios[(len(ratios) - 1) // 2]
                line += f"{ratio:8.2f}"
                if len(ratios) > 1:
                    line += f"  ({ratios[0]:.2f}-{ratios[-1]:.2f})"
                if name in RATIO_TARGETED and ratio < TARGET_RATIO:
                    line += f"  MISS (target >= {TARGET_RATIO})"
                    misses.append(f"{name}: {ratio:.2f} x the baseline's throughput")
        else:
            line += f"  {'-':>11}{'-':>6}{'-':>8}"
        failures = sum(f["failures"] for f in (*pages, *bases))
        if failures:
            line += f"  ({failures} failed)"
        print(line)
    print()
    print("gunicorn workers' memory (MiB): peak RSS (VmHWM), RSS at the end")
    for pid, (peak, now) in sorted(memory.items()):
        print(f"  worker {pid}: peak {peak:.0f}, now {now:.0f}")
    if memory:
        print(f"  largest peak: {max(p for p, _ in memory.values()):.0f} MiB")
    print()
    print("Targets missed: " + ("none" if not misses else ""))
    for miss in misses:
        print(f"  {miss}")


def _median_round(rounds):
    """The round with the median throughput (its own p95 with it; the lower of the two
    middle rounds of an even number, as for the ratio)."""
    if not rounds:
        return None
    return sorted(rounds, key=lambda f: f["rps"])[(len(rounds) - 1) // 2]


def _row(figures, *, baseline=False):
    if not figures:
        return "   no samples "
    width = 8 if baseline else 6
    text = (
        f"{figures['p50']:{width}.0f}{figures['p95']:6.0f}{figures['p99']:6.0f}"
        f"{figures['rps']:7.1f}{figures['failures']:6d}  "
    )
    return text + f"{_queries(figures):<{8 if baseline else 10}}"


if __name__ == "__main__":
    sys.exit(main())
