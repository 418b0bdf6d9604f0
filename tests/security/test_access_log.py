"""The access log: every read of case data is recorded (who, what, when, from where, and
whether it was let through), and the pages that show it to the business unit and to an
agency answer each persona as the policy says."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cspr import access
from cspr.models import AccessLogEntry, CaseEvent, EventKind, Outcome
from tests.conftest import PERSONAS

WIDE = {"business_manager", "subgroup_member", "subgroup_chair", "executive"}
SEES_CASE = WIDE | {"police_contributor", "reviewer"}
NORTHTOWN = set(PERSONAS) - {"administrator", "stranger"}


def status_for(persona, *, allowed, seen, ok=200):
    """`ok` for the allowed, 403 for those who see the object but may not act, else 404."""
    if persona in allowed:
        return ok
    return 403 if persona in seen else 404


# name: (method, url builder, data, expected status builder)
VIEWS = {
    "case-access-log": (
        "get",
        lambda w: reverse("case-access-log", args=[w.case.pk]),
        None,
        lambda p: status_for(p, allowed={"business_manager"}, seen=SEES_CASE),
    ),
    "case-legal-hold": (
        "get",
        lambda w: reverse("case-legal-hold", args=[w.case.pk]),
        None,
        lambda p: status_for(p, allowed={"business_manager"}, seen=SEES_CASE),
    ),
    "case-legal-hold-post": (
        "post",
        lambda w: reverse("case-legal-hold", args=[w.case.pk]),
        {"reason": "Inquest opened; the coroner asked us to keep everything"},
        lambda p: status_for(p, allowed={"business_manager"}, seen=SEES_CASE, ok=302),
    ),
    "agency-access-log": (
        "get",
        lambda w: reverse("agency-access-log", args=[w.police.pk]),
        None,
        lambda p: status_for(p, allowed={"police_contributor"}, seen=NORTHTOWN),
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_every_access_log_page_answers_each_persona_as_the_policy_says(
    client, world, name, persona
):
    method, url, data, expected = VIEWS[name]
    client.force_login(world[persona])
    response = getattr(client, method)(url(world), data)
    assert response.status_code == expected(persona)


@pytest.mark.parametrize("name", VIEWS)
def test_every_access_log_page_sends_an_anonymous_visitor_to_sign_in(client, world, name):
    method, url, data, _ = VIEWS[name]
    response = getattr(client, method)(url(world), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_the_other_partnerships_case_log_is_a_404_even_for_its_lookalike_role(client, world):
    client.force_login(world["business_manager"])
    assert client.get(reverse("case-access-log", args=[world.other_case.pk])).status_code == 404
    client.force_login(world["stranger"])
    assert client.get(reverse("case-access-log", args=[world.other_case.pk])).status_code == 200


# ---------------------------------------------------------------- what is written


def test_reading_the_case_page_records_who_what_when_and_from_where(client, world):
    client.force_login(world["business_manager"])
    client.get(
        reverse("case-detail", args=[world.case.pk]),
        HTTP_USER_AGENT="Fictional Browser 1.0",
        REMOTE_ADDR="192.0.2.10",
    )
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.username) == (world["business_manager"], "manager")
    assert (entry.case, entry.partnership) == (world.case, world.partnership)
    assert (entry.object_type, entry.object_id, entry.action) == ("case", world.case.pk, "view")
    assert (entry.url_name, entry.method, entry.status_code) == ("case-detail", "GET", 200)
    assert entry.outcome == Outcome.ALLOWED
    assert entry.child_details is True
    assert (entry.ip_address, entry.user_agent) == ("192.0.2.10", "Fictional Browser 1.0")
    assert entry.at is not None


def test_a_reader_without_the_childs_details_is_recorded_as_such(client, world):
    client.force_login(world["executive"])
    client.get(reverse("case-detail", args=[world.case.pk]))
    assert AccessLogEntry.objects.get().child_details is False


@pytest.mark.parametrize(
    "persona,status", [("health_contributor", 404), ("stranger", 404), ("police_contributor", 403)]
)
def test_a_refused_read_is_recorded_as_refused(client, world, persona, status):
    client.force_login(world[persona])
    response = client.get(reverse("child-record-edit", args=[world.case.pk]))
    assert response.status_code == status
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.case, entry.outcome) == (world[persona], world.case, Outcome.REFUSED)
    assert (entry.action, entry.status_code, entry.child_details) == ("change", status, False)


def test_a_refusal_after_an_allowed_read_marks_the_read_refused(client, world):
    """The rapid review page sees the case, then refuses a contributor: nothing was shown."""
    client.force_login(world["police_contributor"])
    response = client.get(reverse("rapid-review-detail", args=[world.case.pk]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.get().outcome == Outcome.REFUSED


def test_a_case_that_does_not_exist_writes_nothing(client, world):
    client.force_login(world["business_manager"])
    assert client.get(reverse("case-detail", args=[world.case.pk + 999])).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_pages_without_case_data_write_nothing(client, world):
    client.force_login(world["business_manager"])
    for name in ("home", "case-list", "calendar"):
        assert client.get(reverse(name)).status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_anonymous_requests_write_nothing(client, world):
    client.get(reverse("case-detail", args=[world.case.pk]))
    assert not AccessLogEntry.objects.exists()


def test_access_checks_outside_a_request_write_nothing(world):
    access.access_case(world["business_manager"], world.case.pk)
    with pytest.raises(Exception):  # noqa: B017, PT011 (the 404 of the policy)
        access.access_case(world["stranger"], world.case.pk)
    assert not AccessLogEntry.objects.exists()


def test_a_page_is_logged_in_a_single_insert(client, world):
    client.force_login(world["business_manager"])
    client.get(reverse("home"))  # session and roles warmed up
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("case-detail", args=[world.case.pk]))
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "cspr_accesslogentry"')]
    assert len(inserts) == 1


def test_an_information_request_is_logged_against_the_agency_it_was_sent_to(client, sides):
    sides.build("police_request")
    found = sides.north.objects["police_request"]
    client.force_login(sides.north["business_manager"])
    assert client.get(reverse("request-detail", args=[found.pk])).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.object_type, entry.object_id) == ("request", found.pk)
    assert entry.object_model == "rapid_reviews.informationrequest"
    assert (entry.case, entry.agency) == (sides.north.case, sides.north.police)


def test_the_forwarded_for_header_is_ignored_unless_a_proxy_is_trusted(client, world, settings):
    client.force_login(world["business_manager"])
    url = reverse("case-detail", args=[world.case.pk])
    headers = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}
    settings.TRUSTED_PROXY_COUNT = 0
    client.get(url, **headers)
    settings.TRUSTED_PROXY_COUNT = 1
    client.get(url, **headers)
    addresses = list(AccessLogEntry.objects.order_by("id").values_list("ip_address", flat=True))
    # Behind one trusted proxy, the client is what that proxy saw: the right-most entry.
    assert addresses == ["10.0.0.5", "198.51.100.7"]


def test_an_unreadable_address_is_recorded_as_unknown(client, world):
    client.force_login(world["business_manager"])
    client.get(reverse("case-detail", args=[world.case.pk]), REMOTE_ADDR="not-an-address")
    assert AccessLogEntry.objects.get().ip_address is None


# ---------------------------------------------------------------- the pages


def _entries(world, n, **fields):
    defaults = {
        "user": world["business_manager"],
        "username": "manager",
        "partnership": world.partnership,
        "case": world.case,
        "object_type": "case",
        "object_id": world.case.pk,
        "action": "view",
        "url_name": "case-detail",
        "method": "GET",
        "path": "/cases/1/",
        "status_code": 200,
        "outcome": Outcome.ALLOWED,
    }
    AccessLogEntry.objects.bulk_create([AccessLogEntry(**{**defaults, **fields}) for _ in range(n)])


def test_the_business_unit_sees_who_read_the_case_newest_first_paginated(client, world):
    _entries(world, 55, username="police", user=world["police_contributor"])
    _entries(world, 1, case=world.other_case, username="someone-in-southvale")
    client.force_login(world["business_manager"])
    first = client.get(reverse("case-access-log", args=[world.case.pk])).content.decode()
    second = client.get(reverse("case-access-log", args=[world.case.pk]), {"page": 2})
    # 55 entries, and this page's own reading of the case is logged after the response.
    assert "55 entries" in first and "someone-in-southvale" not in first
    assert second.status_code == 200 and "police" in second.content.decode()


def test_the_case_page_links_the_business_unit_to_its_access_log(client, world):
    client.force_login(world["business_manager"])
    html = client.get(reverse("case-detail", args=[world.case.pk])).content.decode()
    assert reverse("case-access-log", args=[world.case.pk]) in html
    client.force_login(world["executive"])
    html = client.get(reverse("case-detail", args=[world.case.pk])).content.decode()
    assert reverse("case-access-log", args=[world.case.pk]) not in html


def test_an_agency_sees_only_who_read_its_own_material(client, world):
    _entries(world, 3, agency=world.police, object_type="request", username="reader-of-police")
    _entries(world, 2, agency=world.health, object_type="request", username="reader-of-health")
    _entries(world, 4, username="reader-of-the-case")
    client.force_login(world["police_contributor"])
    html = client.get(reverse("agency-access-log", args=[world.police.pk])).content.decode()
    assert "3 entries" in html and "reader-of-police" in html
    assert "reader-of-health" not in html and "reader-of-the-case" not in html


def test_an_agency_sees_who_read_the_collated_pack_of_a_case_it_takes_part_in(client, world):
    _entries(world, 1, url_name="collated-pack", username="pack-reader")
    _entries(world, 1, url_name="collated-pack", case=world.other_case, username="elsewhere")
    client.force_login(world["police_contributor"])  # the police take part in Child Q's case
    html = client.get(reverse("agency-access-log", args=[world.police.pk])).content.decode()
    assert "pack-reader" in html and "elsewhere" not in html
    client.force_login(world["health_contributor"])  # health do not
    html = client.get(reverse("agency-access-log", args=[world.health.pk])).content.decode()
    assert "pack-reader" not in html


def test_an_object_under_a_request_is_logged_against_its_case_and_agency(sides):
    """What an access helper hands out under a request (an attachment, an addendum)
    climbs to the request's agency and case through what is already loaded."""
    from cspr.access_log import _subject
    from rapid_reviews import access as request_access
    from rapid_reviews.models import ReturnAddendum

    sides.build("police_request")
    found = request_access.access_request(
        sides.north["business_manager"], sides.north.objects["police_request"].pk
    )
    addendum = ReturnAddendum(text="Later material")
    addendum.request = found
    assert _subject(addendum) == (
        sides.north.case.pk,
        sides.north.partnership.pk,
        sides.north.police.pk,
    )


def test_the_agency_page_paginates(client, world):
    _entries(world, 51, agency=world.police, object_type="request")
    client.force_login(world["police_contributor"])
    url = reverse("agency-access-log", args=[world.police.pk])
    assert "51 entries" in client.get(url).content.decode()
    assert client.get(url, {"page": 2}).status_code == 200


def test_reading_the_agency_page_is_not_itself_case_data(client, world):
    client.force_login(world["police_contributor"])
    client.get(reverse("agency-access-log", args=[world.police.pk]))
    assert not AccessLogEntry.objects.exists()


# ---------------------------------------------------------------- legal hold page


def test_the_business_unit_sets_and_clears_a_legal_hold_from_the_case_page(client, world):
    client.force_login(world["business_manager"])
    url = reverse("case-legal-hold", args=[world.case.pk])
    response = client.post(url, {"reason": "Police investigation: keep everything"})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.legal_hold and world.case.legal_hold_by == world["business_manager"]
    html = client.get(reverse("case-detail", args=[world.case.pk])).content.decode()
    assert "Police investigation: keep everything" in html
    client.post(url, {"reason": "Investigation closed"})
    world.case.refresh_from_db()
    assert not world.case.legal_hold
    kinds = set(CaseEvent.objects.filter(case=world.case).values_list("kind", flat=True))
    assert {EventKind.LEGAL_HOLD_SET, EventKind.LEGAL_HOLD_CLEARED} <= kinds


def test_a_legal_hold_needs_a_reason(client, world):
    client.force_login(world["business_manager"])
    response = client.post(reverse("case-legal-hold", args=[world.case.pk]), {"reason": ""})
    assert response.status_code == 200
    assert "Enter the reason" in response.content.decode()
    world.case.refresh_from_db()
    assert not world.case.legal_hold


def test_an_agency_contributor_finds_their_agencys_log_from_the_home_page(client, world):
    from django.urls import reverse

    client.force_login(world["police_contributor"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("agency-access-log", args=[world.police.pk]) in html
    client.force_login(world["business_manager"])
    assert "access-log" not in client.get(reverse("home")).content.decode()


def test_the_agency_sees_that_another_partnership_tried_but_not_who(client, sides):
    sides.build("police_request")
    found = sides.north.objects["police_request"]
    client.force_login(sides.south["business_manager"])
    assert client.get(reverse("request-detail", args=[found.pk])).status_code == 404
    client.force_login(sides.north["business_manager"])
    client.get(reverse("request-detail", args=[found.pk]))
    client.force_login(sides.north["police_contributor"])
    page = client.get(reverse("agency-access-log", args=[sides.north.police.pk]))
    html = page.content.decode()
    assert "Someone from another partnership" in html
    assert sides.south["business_manager"].username not in html
    assert sides.north["business_manager"].username in html
