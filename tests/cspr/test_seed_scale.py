"""The benchmark dataset (`manage.py seed_scale`): its totals are met exactly, the same seed
gives the same rows, and its people sign in through the real forms to the pages the
benchmark drives, seeing what their role lets them see and no more."""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from guardian.shortcuts import get_perms

from actions.models import Action, ActionStatus
from cspr.models import Agency, Case, Partnership, Stage, User
from cspr.scale import BENCH_PASSWORD, sign_in_code
from cspr.scale.presets import PRESETS
from rapid_reviews.models import (
    ChronologyEntry,
    InformationRequest,
    InformationReturn,
    LearningMeeting,
    ReturnStatus,
)
from tests.support.clock import TODAY, travel

TINY = PRESETS["tiny"]


@pytest.fixture(autouse=True)
def bench(monkeypatch):
    """The command runs only where the benchmark's switch is set."""
    monkeypatch.setenv("CSPR_BENCH", "1")


def seed(capsys, *args):
    call_command("seed_scale", "--preset", "tiny", *args)
    return capsys.readouterr().out


def digest(output):
    return next(line for line in output.splitlines() if line.startswith("Digest: "))


def sign_in(username):
    """As a browser (and the load-test script) does: the password form, then the code."""
    client = Client(enforce_csrf_checks=True)
    client.get("/sign-in/")
    response = client.post(
        "/sign-in/",
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "username": username,
            "password": BENCH_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/account/second-factor/").status_code == 200
    response = client.post(
        "/account/second-factor/",
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,  # new since sign-in
            "code": sign_in_code(username),
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return client


class _Form(HTMLParser):
    """The fields a browser would post from the form holding `involvement_period`."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = []
            self.forms.append(self.current)
        elif self.current is not None and tag == "input" and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.current.append((attrs["name"], attrs.get("value") or ""))
        elif self.current is not None and tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.current.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form":
            self.current = None


def return_form(html):
    parser = _Form()
    parser.feed(html)
    fields = next(f for f in parser.forms if any(n == "involvement_period" for n, _ in f))
    return dict(fields)


def test_it_seeds_the_totals_exactly_with_the_large_rapid_review_and_drafts_to_write(db, capsys):
    output = seed(capsys)

    assert Partnership.objects.count() == TINY.partnerships
    assert Agency.objects.count() == TINY.partnerships * 12
    assert User.objects.count() == TINY.partnerships * 25
    assert Case.objects.count() == TINY.partnerships * TINY.cases
    assert InformationReturn.objects.count() == TINY.partnerships * TINY.returns
    assert ChronologyEntry.objects.count() == TINY.partnerships * TINY.chronology_rows
    assert Action.objects.count() == TINY.partnerships * TINY.actions
    assert not Action.objects.filter(status=ActionStatus.OVERDUE).exists()
    assert f"{TINY.chronology_rows * TINY.partnerships:>10,}" in output  # the table's count
    large = Case.objects.get(pseudonym="Child L01")
    assert large.stage == Stage.RAPID_REVIEW
    assert not LearningMeeting.objects.filter(rapid_review__case=large).exists()
    returns = InformationReturn.objects.filter(request__rapid_review__case=large)
    assert returns.count() == 10
    assert {r.status for r in returns} == {ReturnStatus.SUBMITTED}
    assert {r.entries.count() for r in returns} == {100}
    for agency in Agency.objects.select_related("group"):
        # Its group is "agency:scale-p01-a02": its first contributor is p01-a02-c1.
        contributor = User.objects.get(username=f"{agency.group.name[13:]}-c1")
        draft = InformationReturn.objects.filter(
            request__agency=agency, status=ReturnStatus.DRAFT
        ).first()
        assert draft is not None and draft.entries.exists()
        assert contributor.has_perm("rapid_reviews.change_informationreturn", draft)
        assert "view_case" in get_perms(contributor, draft.request.rapid_review.case)
    with pytest.raises(CommandError, match="already has cases"):
        seed(capsys)


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(db, capsys):
    # The dates count back from today: one day for all four, even across midnight.
    with travel(TODAY):
        first = digest(seed(capsys, "--dry-run", "--digest"))
        again = digest(seed(capsys, "--dry-run", "--digest"))
        other = digest(seed(capsys, "--dry-run", "--digest", "--seed", "2"))
        written = digest(seed(capsys, "--digest"))

    assert first == again == written
    assert other != first


def test_it_refuses_to_run_without_the_benchmarks_switch(db, capsys, monkeypatch):
    monkeypatch.delenv("CSPR_BENCH")
    with pytest.raises(CommandError, match="set CSPR_BENCH=1"):
        seed(capsys)
    assert not User.objects.exists() and not Case.objects.exists()


def test_it_refuses_production_settings(db, capsys):
    with (
        override_settings(SETTINGS_MODULE="cspr.settings.production"),
        pytest.raises(CommandError, match="never loaded in production"),
    ):
        seed(capsys)
    assert not Case.objects.exists()


def test_seeded_people_sign_in_and_open_the_pages_the_benchmark_drives(db, capsys):
    seed(capsys)
    large = Case.objects.get(pseudonym="Child L01")
    manager = sign_in("p01-manager")
    for url in (
        "/cases/?stage=rapid_review&q=Child",
        f"/cases/{large.pk}/",
        f"/cases/{large.pk}/rapid-review/pack/",
        "/dashboard/",
    ):
        assert manager.get(url).status_code == 200, url
    pack = manager.get(f"/cases/{large.pk}/rapid-review/pack/").content.decode()
    assert "1000 events from 10 agencies" in pack

    executive = sign_in("p01-exec2")
    assert executive.get("/dashboard/").status_code == 200
    assert executive.get(f"/cases/{large.pk}/").status_code == 200

    contributor = sign_in("p01-a02-c1")
    user = User.objects.get(username="p01-a02-c1")
    own = InformationRequest.objects.filter(
        agency=user.agency, information_return__status=ReturnStatus.DRAFT
    ).first()
    assert contributor.get(f"/requests/{own.pk}/").status_code == 200
    page = contributor.get(f"/requests/{own.pk}/return/")
    assert page.status_code == 200
    fields = return_form(page.content.decode()) | {
        "csrfmiddlewaretoken": contributor.cookies["csrftoken"].value,
        "involvement_period": "Fictional: the last two years",
        "save": "1",
    }
    saved = contributor.post(f"/requests/{own.pk}/return/", fields)
    assert saved.status_code == 302 and saved["Location"] == f"/requests/{own.pk}/return/"
    own.information_return.refresh_from_db()
    assert own.information_return.involvement_period == "Fictional: the last two years"

    another_agency = (
        InformationRequest.objects.filter(rapid_review=own.rapid_review)
        .exclude(agency=user.agency)
        .first()
    )
    assert contributor.get(f"/requests/{another_agency.pk}/").status_code == 404
    elsewhere = Case.objects.exclude(partnership_id=user.partnership_id).first()
    assert contributor.get(f"/cases/{elsewhere.pk}/").status_code == 404
    assert manager.get(f"/cases/{elsewhere.pk}/").status_code == 404
