"""The page benchmark's load, for locust (started by bench/pages.py, which documents it).

Every simulated user is a seeded person already signed in (pages.py signs each person in
through the real sign-in and second-factor pages and hands over their cookies in the
plan file): the business unit for the case list, case page, merged chronology and
dashboard, an agency contributor for their request page and a return save.

Environment (set by pages.py):
  BENCH_PLAN    the plan file (JSON): host, sessions, URLs, the mix
  BENCH_TARGET  "page" (the product's pages) or "baseline" (bench/baseline.py's views)
  BENCH_ONLY    one page name: only that page, no wait (closed loop, for max throughput)
  BENCH_RATE    visits a second per user (Poisson arrivals); 0 for no wait
  BENCH_OUT     where to write every request's (start, milliseconds, ok, X-Queries)

At a fixed rate each user's visits arrive as a Poisson process (`poisson_pacing`), as
independent people's do: with locust's `constant_throughput` the users kept the step they
were spawned in and asked in bursts several times a second (18 requests inside 10 ms),
which no crowd of people does and which queued even the one-query baselines.

Each visit is one request, but a return save is two: the return's edit page (GET, named
"return-edit") then the POST of its form as read (fields, version, CSRF token) with the
analysis edited (`_edited`), which must answer with the redirect of a saved draft.
"""

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from http.cookiejar import Cookie
from urllib.parse import urlencode

from locust import FastHttpUser, constant, events, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
TARGET = os.environ.get("BENCH_TARGET", "page")
ONLY = os.environ.get("BENCH_ONLY", "")
RATE = float(os.environ.get("BENCH_RATE", "0"))
OUT = os.environ.get("BENCH_OUT", "")

# (page name, session kind, weight in the mix)
MIX = [(name, kind, weight) for name, kind, weight in PLAN["mix"] if not ONLY or name == ONLY]
SAVE = "return-save"
_numbers = itertools.count()
_samples = {}


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, context, **kwargs):
    queries = None
    if response is not None and response.headers is not None:
        queries = response.headers.get("X-Queries")
    _samples.setdefault(name, []).append(
        (
            kwargs.get("start_time") or time.time() - response_time / 1000,
            response_time,
            exception is None,
            int(queries) if queries else None,
        )
    )


@events.quitting.add_listener
def _write(environment, **kwargs):
    if OUT:
        with open(OUT, "w", encoding="utf-8") as out:
            json.dump(_samples, out)


class FormFields(HTMLParser):
    """The fields a browser would send for each POST form of a page: `forms` holds
    (action, [(name, value)]) in page order."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields = [], None
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.fields = []
            self.forms.append((attrs.get("action") or "", self.fields))
        if self.fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = [name, None]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[1] is None or "selected" in attrs:
                self._select[1] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self.fields.append((self._textarea[0], value[1:] if value.startswith("\n") else value))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.fields.append((self._select[0], self._select[1] or ""))
            self._select = None
        elif tag == "form":
            self.fields = None

    def form_posting_to(self, url):
        """The fields of the first form that posts back to the page itself."""
        return next(fields for action, fields in self.forms if action in ("", url))


EDIT_MARK = re.compile(r"\s*\(save \d+\)$")


def _edited(fields):
    """The form's fields with one change, as a person saves after editing: the analysis
    gets a mark with a new number (a save of an unchanged form writes nothing)."""
    number = random.randrange(1_000_000)
    return [
        (name, EDIT_MARK.sub("", value) + f" (save {number})" if name == "analysis" else value)
        for name, value in fields
    ]


def _cookie(name, value, host):
    """A host-only cookie for the whole site, as the server set it at sign-in."""
    return Cookie(
        version=0,
        name=name,
        value=value,
        port=None,
        port_specified=False,
        domain=host,
        domain_specified=False,
        domain_initial_dot=False,
        path="/",
        path_specified=True,
        secure=False,
        expires=None,
        discard=True,
        comment=None,
        comment_url=None,
        rest={},
    )


def poisson_pacing(rate):
    """A wait that makes each user's visits a Poisson process of `rate` a second, whatever
    each visit takes (locust's own `poisson` adds its waits to the visits' time, so the
    rate asked is not the rate made). A user running late catches up by at most one visit."""

    def wait(user):
        now = time.monotonic()
        due = max(getattr(user, "next_visit", now), now - 1 / rate)
        user.next_visit = due + random.expovariate(rate)
        return max(0.0, user.next_visit - now)

    return wait


class Person(FastHttpUser):
    host = PLAN["host"]
    wait_time = poisson_pacing(RATE) if RATE > 0 else constant(0)
    connection_timeout = 30.0
    network_timeout = 60.0

    def on_start(self):
        self.number = next(_numbers)
        # Each user keeps one person for each page (and its own draft return to save).
        self.session_for = {}
        for name, kind, _ in MIX:
            pool = [s for s in PLAN["sessions"].get(kind, []) if name in s["urls"]]
            if name == SAVE and self.number >= len(pool):
                continue  # never two users on one draft: their saves would conflict
            if pool:
                self.session_for[name] = pool[self.number % len(pool)]
        self.pages = [name for name, _, _ in MIX if name in self.session_for]
        self.weights = [weight for name, _, weight in MIX if name in self.session_for]

    def _use(self, name):
        """Put the page's person's cookies in the client."""
        session = self.session_for[name]
        jar = self.client.cookiejar
        jar.clear()
        for cookie, value in session["cookies"].items():
            jar.set_cookie(_cookie(cookie, value, PLAN["host_name"]))
        return session

    @task
    def visit(self):
        (name,) = random.choices(self.pages, weights=self.weights)
        session = self._use(name)
        if name == SAVE:
            self.save_return(session)
            return
        url = session["urls"][name][TARGET]
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")

    def save_return(self, session):
        """The agency saves its draft as it is: GET the edit page, POST its form."""
        url = session["urls"][SAVE]["page"]
        with self.client.get(
            url, name="return-edit", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")
                return
            form = FormFields()
            form.feed(response.text)
        body = urlencode([*_edited(form.form_posting_to(url)), ("save", "1")])
        with self.client.post(
            url,
            name=SAVE,
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": PLAN["host"] + url,
            },
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or not response.headers.get("Location", "").endswith(
                url
            ):
                response.failure(f"{response.status_code}: the draft was not saved")
