"""Referral pages over every persona, and what they do for the people using them."""

import pytest
from django.urls import reverse

from referrals.models import Referral, ReferralStatus
from tests.conftest import PERSONAS

WIDE = {"business_manager", "subgroup_member", "subgroup_chair", "executive"}
SEES_SUBMITTED = WIDE | {"police_contributor"}  # the author is the police contributor
REFERS = WIDE | {"police_contributor", "health_contributor", "stranger"}


def expect(persona, allowed, seen, ok):
    if persona in allowed:
        return ok
    return 403 if persona in seen else 404


# name: (fixture, method, url, data, expected(persona))
VIEWS = {
    "referral-list": (None, "get", lambda r: reverse("referral-list"), None, lambda p: 200),
    "referral-start": (
        None,
        "post",
        lambda r: reverse("referral-start"),
        None,
        lambda p: 302 if p in REFERS else 403,
    ),
    "referral-edit": (
        "draft",
        "get",
        lambda r: reverse("referral-edit", args=[r.pk]),
        None,
        lambda p: expect(p, {"police_contributor"}, {"police_contributor"}, 200),
    ),
    "referral-detail": (
        "submitted",
        "get",
        lambda r: reverse("referral-detail", args=[r.pk]),
        None,
        lambda p: expect(p, SEES_SUBMITTED, SEES_SUBMITTED, 200),
    ),
    "referral-triage": (
        "submitted",
        "post",
        lambda r: reverse("referral-triage", args=[r.pk]),
        {"pseudonym": "Child S", "note": "Threshold met"},
        lambda p: expect(p, {"business_manager"}, SEES_SUBMITTED, 302),
    ),
    "referral-decide": (
        "triaged",
        "post",
        lambda r: reverse("referral-decide", args=[r.pk]),
        {"decision": "notify", "rationale": "Serious harm"},
        lambda p: expect(p, {"subgroup_chair"}, SEES_SUBMITTED, 302),
    ),
    "referral-withdraw": (
        "submitted",
        "post",
        lambda r: reverse("referral-withdraw", args=[r.pk]),
        {"withdraw-reason": "Sent in error"},
        lambda p: expect(p, {"business_manager", "police_contributor"}, SEES_SUBMITTED, 302),
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_every_referral_view_answers_each_persona_as_the_policy_says(
    request, client, world, name, persona
):
    fixture, method, url, data, expected = VIEWS[name]
    referral = request.getfixturevalue(fixture) if fixture else None
    client.force_login(world[persona])
    response = getattr(client, method)(url(referral), data)
    assert response.status_code == expected(persona)


@pytest.mark.parametrize("name", VIEWS)
def test_every_referral_view_sends_an_anonymous_visitor_to_sign_in(request, client, world, name):
    fixture, method, url, data, _ = VIEWS[name]
    referral = request.getfixturevalue(fixture) if fixture else None
    response = getattr(client, method)(url(referral), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_the_views_table_covers_every_referral_url():
    from referrals.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(VIEWS)


def form_data(**overrides):
    data = {
        "given_names": "Robin",
        "family_name": "Fictional",
        "sex": "not_known",
        "incident_date": "2026-11-02",
        "nature": "serious_harm",
        "case_outline": "A fictional outline.",
        "urgency": "routine",
        "criteria": ["working_together"],
    }
    data.update(overrides)
    return data


def test_a_referrer_starts_fills_and_submits_a_referral(client, world):
    client.force_login(world["police_contributor"])
    edit_url = client.post(reverse("referral-start"))["Location"]
    police = world.police.pk
    response = client.post(edit_url, form_data(referring_agency=police, submit="1"))
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referral-detail", args=[referral.pk])
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.criteria == ["working_together"]


def test_submitting_with_gaps_saves_the_draft_and_names_each_gap(client, world, draft):
    client.force_login(world["police_contributor"])
    url = reverse("referral-edit", args=[draft.pk])
    data = form_data(case_outline="", nature="", referring_agency=world.police.pk, submit="1")
    data["other_agencies"] = "A fictional charity"
    html = client.post(url, data).content.decode()
    assert "There is a problem" in html
    assert "Give an outline of the case" in html
    assert "Say whether the child died or was seriously harmed" in html
    assert "Your draft is saved" in html
    assert "A fictional charity" in html
    draft.refresh_from_db()
    assert draft.other_agencies == "A fictional charity"
    assert draft.status == ReferralStatus.DRAFT


def test_a_bad_date_changes_nothing_and_keeps_the_input(client, world, draft):
    client.force_login(world["police_contributor"])
    url = reverse("referral-edit", args=[draft.pk])
    html = client.post(
        url, form_data(incident_date="2026-13-45", case_outline="New text", save="1")
    ).content.decode()
    assert "Enter a real date" in html
    assert "New text" in html
    draft.refresh_from_db()
    assert draft.case_outline != "New text"


def test_the_referrer_sees_the_outcome_and_not_the_case(client, world, decided):
    client.force_login(world["police_contributor"])
    html = client.get(reverse("referral-detail", args=[decided.pk])).content.decode()
    assert "Outcome: Ask the local authority to notify the Panel" in html
    assert "Go to the case" not in html


def test_the_sub_group_sees_the_referral_without_the_childs_identity(client, world, submitted):
    client.force_login(world["subgroup_chair"])
    html = client.get(reverse("referral-detail", args=[submitted.pk])).content.decode()
    assert "A fictional outline of the incident." in html
    assert "Fictional" not in html.replace("A fictional outline", "")


def test_another_agency_cannot_see_or_guess_a_referral(client, world, submitted):
    client.force_login(world["health_contributor"])
    assert client.get(reverse("referral-detail", args=[submitted.pk])).status_code == 404
    assert (
        "Referral " + str(submitted.pk) not in client.get(reverse("referral-list")).content.decode()
    )


def test_a_drafts_are_private_to_their_author(client, world, draft):
    client.force_login(world["business_manager"])
    assert f"Referral {draft.pk}" not in client.get(reverse("referral-list")).content.decode()


def test_triage_without_a_case_or_name_is_refused_on_the_page(client, world, submitted):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("referral-triage", args=[submitted.pk]), {"note": "Looked at it"}
    )
    html = response.content.decode()
    assert "Enter a case name, or choose an existing case" in html
    assert "Looked at it" in html
    submitted.refresh_from_db()
    assert submitted.status == ReferralStatus.SUBMITTED


def test_triage_cannot_attach_a_case_the_business_unit_cannot_see(client, world, submitted):
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("referral-triage", args=[submitted.pk]),
        {"case": world.other_case.pk, "note": "x"},
    )
    assert "Select a valid choice" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.case is None
