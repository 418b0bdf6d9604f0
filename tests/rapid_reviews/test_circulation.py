"""Circulating the report, wider dissemination, and the anonymised learning briefing."""

import pytest
from django.urls import reverse

from cspr.errors import Incomplete, TransitionNotAllowed
from rapid_reviews import services
from rapid_reviews.models import Circulation, DistributionEntry, LearningBriefing
from tests.conftest import PERSONAS
from tests.rapid_reviews.test_decision import meet

SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive", "reviewer"}


@pytest.fixture
def decided(world, review, executives):
    meet(world, review)
    services.recommendation_approve(rapid_review=review, by=world["subgroup_chair"])
    for executive in executives.values():
        services.partner_sign_off(rapid_review=review, by=executive)
    for position, role in enumerate(["Designated Doctor", "Designated Nurse"]):
        DistributionEntry.objects.create(
            partnership=world.partnership, role=role, position=position
        )
    return review


def test_circulation_records_each_named_professional_once(world, decided):
    assert services.report_circulate(rapid_review=decided, by=world["business_manager"]) == 2
    assert list(Circulation.objects.values_list("recipient", flat=True)) == [
        "Designated Doctor",
        "Designated Nurse",
    ]
    with pytest.raises(TransitionNotAllowed, match="already"):
        services.report_circulate(rapid_review=decided, by=world["business_manager"])


def test_the_report_is_not_circulated_before_the_partners_decide(world, review):
    meet(world, review)
    with pytest.raises(TransitionNotAllowed, match="signed off"):
        services.report_circulate(rapid_review=review, by=world["business_manager"])


def test_wider_dissemination_needs_the_chair_an_executive_or_the_business_manager(world, decided):
    manager = world["business_manager"]
    with pytest.raises(TransitionNotAllowed, match="Business Manager"):
        services.dissemination_record(
            rapid_review=decided, recipient="Head teacher", reason="x", by=manager
        )
    manager.is_business_manager = True
    manager.save()
    entry = services.dissemination_record(
        rapid_review=decided,
        recipient="Head teacher (fictional)",
        reason="School learning",
        by=manager,
    )
    assert (entry.is_wider, entry.approved_by) == (True, manager)
    services.dissemination_record(
        rapid_review=decided,
        recipient="GP practice",
        reason="Primary care",
        by=world["subgroup_chair"],
    )
    for persona in ("subgroup_member", "police_contributor"):
        with pytest.raises(TransitionNotAllowed):
            services.dissemination_record(
                rapid_review=decided, recipient="x", reason="y", by=world[persona]
            )


def test_a_briefing_that_names_the_child_is_not_published(world, review):
    child = world.case.child
    with pytest.raises(Incomplete, match="names the child"):
        services.briefing_save(
            rapid_review=review,
            title="Learning from Child Q",
            body=f"{child.given_names} was seen by several agencies.",
            publish=True,
            by=world["business_manager"],
        )
    briefing = services.briefing_save(
        rapid_review=review,
        title="Learning from Child Q",
        body="Child Q was seen by several agencies.",
        publish=True,
        by=world["business_manager"],
    )
    assert briefing.published_on is not None
    with pytest.raises(TransitionNotAllowed, match="published"):
        services.briefing_save(
            rapid_review=review, title="x", body="y", publish=False, by=world["business_manager"]
        )


def test_only_the_business_unit_writes_the_briefing(world, review):
    with pytest.raises(TransitionNotAllowed):
        services.briefing_save(
            rapid_review=review, title="x", body="y", publish=False, by=world["subgroup_chair"]
        )


VIEWS = {
    "report-circulate": (
        "post",
        None,
        lambda p: 302 if p == "business_manager" else 403 if p in SEES else 404,
    ),
    "dissemination-record": (
        "post",
        {"wider-recipient": "Head teacher", "wider-reason": "School learning"},
        lambda p: 302 if p in {"subgroup_chair", "executive"} else 403 if p in SEES else 404,
    ),
    "briefing-edit": ("get", None, lambda p: 200 if p in SEES else 404),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", VIEWS)
def test_every_circulation_view_answers_each_persona(client, world, decided, name, persona):
    method, data, expected = VIEWS[name]
    client.force_login(world[persona])
    response = getattr(client, method)(reverse(name, args=[world.case.pk]), data)
    assert response.status_code == expected(persona)


def test_publishing_a_briefing_from_the_page(client, world, review):
    client.force_login(world["business_manager"])
    url = reverse("briefing-edit", args=[world.case.pk])
    response = client.post(
        url, {"title": "Learning", "body": "Child Q: fictional learning.", "publish": "1"}
    )
    assert response.status_code == 302
    assert LearningBriefing.objects.get().published_on
    client.force_login(world["executive"])
    assert "Child Q: fictional learning." in client.get(url).content.decode()
