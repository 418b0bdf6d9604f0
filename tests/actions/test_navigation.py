"""How people find the action and learning pages: the home page's links for each role, and
the case page's links to the case's action plans and themes."""

import pytest
from django.urls import reverse

from tests.actions.builders import action_on, plan_for
from tests.conftest import PERSONAS

WIDE = {"business_manager", "subgroup_member", "subgroup_chair", "executive"}


def home_links(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_home_page_links_each_person_to_the_pages_they_may_use(client, world, persona):
    page = home_links(client, world[persona])
    shown = {
        name
        for name in (
            "action-list",
            "barrier-list",
            "exception-report",
            "annual-report",
            "learning-event-list",
            "equality-analysis",
        )
        if f'href="{reverse(name)}"' in page
    }
    if persona in WIDE or persona == "stranger":
        expected = {
            "action-list",
            "barrier-list",
            "exception-report",
            "annual-report",
            "learning-event-list",
        }
        if persona in ("business_manager", "stranger"):
            expected.add("equality-analysis")
    elif persona in ("police_contributor", "health_contributor"):
        expected = {"action-list"}
    else:
        expected = set()
    assert shown == expected
    # Every link shown opens for that person.
    for name in shown:
        assert client.get(reverse(name)).status_code == 200


def test_the_case_page_links_the_partnership_to_the_action_plans_and_themes(client, world):
    plan_for(world)
    url = reverse("case-detail", args=[world.case.pk])
    plans_link = f'href="{reverse("action-plans", args=[world.case.pk])}"'
    themes_link = f'href="{reverse("case-themes", args=[world.case.pk])}"'
    for persona in WIDE:
        client.force_login(world[persona])
        page = client.get(url).content.decode()
        assert plans_link in page and themes_link in page
    # The reviewer sees the themes, never the action plans.
    client.force_login(world["reviewer"])
    page = client.get(url).content.decode()
    assert themes_link in page and plans_link not in page


def test_an_agency_with_an_action_on_the_case_is_linked_to_its_own_actions(client, world):
    action_on(plan_for(world), world.police, world=world)
    client.force_login(world["police_contributor"])
    page = client.get(reverse("case-detail", args=[world.case.pk])).content.decode()
    assert "Your agency&#x27;s actions on this case" in page or "Your agency's actions" in page
    plans = client.get(reverse("action-plans", args=[world.case.pk]))
    assert plans.status_code == 200
