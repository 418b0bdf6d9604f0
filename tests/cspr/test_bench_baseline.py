"""The page benchmark's raw-SQL baseline views (bench/baseline.py) return the same rows as
the pages they stand for, for the same person, in one query, and nothing of another
partnership (PostgreSQL only, like the views); its settings refuse to load by accident;
its middleware counts every query of a request."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cspr import access
from cspr.models import Stage
from rapid_reviews import services
from tests.factories import CaseFactory, DeadlineFactory
from tests.rapid_reviews.test_rapid_reviews import future, notify
from tests.rapid_reviews.test_returns import COMPLETE, ROW

pytestmark = pytest.mark.urls("bench.urls")
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the baseline views are PostgreSQL SQL"
)

D = datetime.date


@pytest.fixture
def busy(world):
    """Northtown with cases at several stages (some granted to the police), deadlines due
    soon, overdue and missed, and a rapid review of Child Q with a submitted police return
    and a health draft; Southvale with look-alike cases."""
    manager = world["business_manager"]
    today = timezone.localdate()
    northtown = [
        CaseFactory(partnership=world.partnership, pseudonym=f"Child R{n}", stage=stage)
        for n, stage in enumerate(
            [Stage.RAPID_REVIEW, Stage.RAPID_REVIEW, Stage.REFERRAL, Stage.CLOSED]
        )
    ]
    access.grant_agency(northtown[1], world.police, child_details=False)
    for case, days, status in [
        (northtown[0], -3, "open"),
        (northtown[0], 2, "open"),
        (northtown[1], 40, "open"),
        (northtown[2], -10, "missed"),
        (world.case, 5, "paused"),
    ]:
        DeadlineFactory(
            case=case, title=f"Due {days}", due_on=today + datetime.timedelta(days), status=status
        )
    for n in range(3):
        other = CaseFactory(
            partnership=world.other_partnership, pseudonym=f"Child R{n}", stage=Stage.RAPID_REVIEW
        )
        DeadlineFactory(case=other, due_on=today)

    notify(world)
    review = services.rapid_review_open(case=world.case, by=manager)
    police = services.information_request_send(
        rapid_review=review, agency=world.police, due_on=future(1), note="", by=manager
    )
    services.return_save_draft(
        information_return=police.information_return,
        fields=COMPLETE,
        rows=[ROW, {**ROW, "date": D(2026, 8, 3), "event": "Earlier police contact"}],
        by=world["police_contributor"],
    )
    services.return_submit(
        information_return=police.information_return, by=world["police_contributor"]
    )
    health = services.information_request_send(
        rapid_review=review, agency=world.health, due_on=future(2), note="", by=manager
    )
    services.return_save_draft(
        information_return=health.information_return,
        fields={},
        rows=[{**ROW, "event": "Health visit", "source": "GP record"}],
        by=world["health_contributor"],
    )
    return {"police": police, "health": health, "northtown": northtown}


def get(client, name, *args, **query):
    """The named page, by its URL arguments and query string."""
    return client.get(reverse(name, args=args), query)


def baseline(client, name, *args, **query):
    """The baseline page, and proof it read its rows in one query (the others are the
    session's, the user's and the second factor's)."""
    with CaptureQueriesContext(connection) as queries:
        response = get(client, f"baseline-{name}", *args, **query)
    ours = [q for q in queries.captured_queries if "me AS (" in q["sql"]]
    assert len(ours) == 1
    return response


def northtown_ids(world, busy):
    return {world.case.pk, *(case.pk for case in busy["northtown"])}


@postgres_only
@pytest.mark.parametrize("persona", ["business_manager", "police_contributor"])
def test_the_case_list_has_the_pages_rows_in_its_order(client, world, busy, persona):
    client.force_login(world[persona])
    query = {"stage": "rapid_review", "q": "child r"}
    page = get(client, "case-list", **query).context
    ours = baseline(client, "case-list", **query).context
    expected = [
        (case.pk, case.pseudonym, due and case.next_due_title, due and case.next_due_on)
        for case, due in page["rows"]
    ]
    got = [(r["id"], r["pseudonym"], r["next_due_title"], r["next_due_on"]) for r in ours["rows"]]
    assert got == expected and expected
    assert ours["total"] == page["page_obj"].paginator.count


@postgres_only
@pytest.mark.parametrize("persona", ["business_manager", "police_contributor"])
def test_the_case_page_has_the_pages_deadlines_timeline_and_agencies(client, world, busy, persona):
    client.force_login(world[persona])
    page = get(client, "case-detail", world.case.pk).context
    case = baseline(client, "case-detail", world.case.pk).context["case"]
    assert case["pseudonym"] == "Child Q"
    assert bool(case["child"]) == ("child" in page)
    if "deadlines" in page:
        assert [d["id"] for d in case["deadlines"]] == [d.pk for d, _ in page["deadlines"]]
        assert [e["id"] for e in case["timeline"]] == [e.pk for e in page["timeline"]]
        assert case["timeline_total"] == page["page_obj"].paginator.count
        assert case["agencies"] == [a.name for a in page["agencies"]]
        assert case["deadlines"] and case["timeline"]
    else:
        assert not case["may_timeline"] and case["deadlines"] is None


@postgres_only
def test_the_police_see_a_granted_case_without_the_childs_details(client, world, busy):
    client.force_login(world["police_contributor"])
    case = busy["northtown"][1]
    page = get(client, "case-detail", case.pk).context
    ours = baseline(client, "case-detail", case.pk).context["case"]
    assert "child" not in page and ours["child"] is None


@postgres_only
def test_the_pack_merges_the_same_chronology_and_lists_the_same_missing(client, world, busy):
    client.force_login(world["business_manager"])
    for query in [{}, {"agency": world.police.pk}, {"agency": world.health.pk}]:
        page = get(client, "collated-pack", world.case.pk, **query).context
        pack, entries = page["pack"], page["entries"]
        ours = baseline(client, "collated-pack", world.case.pk, **query).context
        assert [e["id"] for e in ours["entries"]] == [e.pk for e in entries]
        assert [e["agency"] for e in ours["entries"]] == [
            e.information_return.request.agency.name for e in entries
        ]
        assert ours["entries_total"] == page["entries_total"]
        assert [r["id"] for r in ours["missing"]] == [r.pk for r in pack.missing]
        assert [r["id"] for r in ours["submitted"]] == [r.pk for r in pack.submitted]


@postgres_only
def test_the_dashboard_has_the_business_units_figures(client, world, busy):
    client.force_login(world["business_manager"])
    page = get(client, "dashboard").context
    ours = baseline(client, "dashboard").context
    assert ours["by_stage"] == [(stage.label, n) for stage, n in page["open_by_stage"]]
    assert [(c["id"], c["title"]) for c in ours["open_cases"]] == [
        (c.pk, c.next_due_title) for c in page["open_cases"]
    ]
    assert [r["id"] for r in ours["owed"]] == [r.pk for r, _ in page["returns_outstanding"]]
    assert [(a["agency"], a["owed"], a["late"]) for a in ours["by_agency"]] == page[
        "returns_by_agency"
    ]
    assert [d["id"] for d in ours["watch"]] == [d.pk for d, _ in page["deadlines"]]
    assert (ours["open_cases_total"], ours["owed_total"], ours["watch_total"]) == (
        page["open_cases_total"],
        page["returns_outstanding_total"],
        page["deadlines_total"],
    )
    assert ours["open_cases"] and ours["owed"] and len(ours["watch"]) >= 3


@postgres_only
@pytest.mark.parametrize("persona", ["business_manager", "police_contributor"])
def test_the_request_page_has_the_same_return(client, world, busy, persona):
    client.force_login(world[persona])
    pk = busy["police"].pk
    page = get(client, "request-detail", pk).context
    req = baseline(client, "request-detail", pk).context["req"]
    assert [e["id"] for e in req["entries"] or []] == [e.pk for e in page["entries"]]
    assert (req["may_edit"], req["may_unlock"]) == (page["may_edit"], page["may_unlock"])
    assert req["entries"]


@postgres_only
def test_an_agency_sees_its_own_draft_and_not_another_agencys_request(client, world, busy):
    client.force_login(world["health_contributor"])
    own = busy["health"].pk
    page = get(client, "request-detail", own).context
    req = baseline(client, "request-detail", own).context["req"]
    assert [e["id"] for e in req["entries"]] == [e.pk for e in page["entries"]]
    assert req["may_edit"] is page["may_edit"] is True
    other = busy["police"].pk
    assert get(client, "request-detail", other).status_code == 404
    assert baseline(client, "request-detail", other).status_code == 404


@postgres_only
def test_the_agency_is_refused_what_the_page_refuses_it(client, world, busy):
    client.force_login(world["police_contributor"])
    assert get(client, "collated-pack", world.case.pk).status_code == 404
    assert baseline(client, "collated-pack", world.case.pk).status_code == 404
    # The baseline dashboard is the business unit's section only.
    assert baseline(client, "dashboard").status_code == 403


@postgres_only
def test_nothing_of_another_partnership(client, world, busy):
    client.force_login(world["stranger"])
    northtown = northtown_ids(world, busy)
    rows = baseline(client, "case-list", stage="rapid_review", q="child").context["rows"]
    assert rows and not northtown & {r["id"] for r in rows}
    for case_pk in northtown:
        assert baseline(client, "case-detail", case_pk).status_code == 404
    assert baseline(client, "collated-pack", world.case.pk).status_code == 404
    assert baseline(client, "request-detail", busy["police"].pk).status_code == 404
    figures = baseline(client, "dashboard").context
    seen = {c["id"] for c in figures["open_cases"]} | {d["case_id"] for d in figures["watch"]}
    assert seen and not northtown & seen
    assert not figures["owed"]


def test_the_bench_settings_refuse_to_load_without_cspr_bench(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("CSPR_BENCH", raising=False)
    monkeypatch.delitem(sys.modules, "cspr.settings.bench", raising=False)
    with pytest.raises(ImproperlyConfigured, match="CSPR_BENCH=1"):
        importlib.import_module("cspr.settings.bench")


def test_the_query_count_header_counts_every_query_of_the_request(client, world, settings):
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]
    client.force_login(world["business_manager"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("case-detail", args=[world.case.pk]))
    assert response.status_code == 200
    assert int(response["X-Queries"]) == len(queries.captured_queries) > 5
