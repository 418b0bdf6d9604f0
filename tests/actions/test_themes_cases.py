"""Themes on a case: who applies and removes them, the timeline row, the history kept,
and who sees the page."""

import pytest
from django.urls import reverse

from actions.models import CaseTheme, Theme
from actions.services.themes import case_themes_set
from cspr.errors import TransitionNotAllowed
from cspr.models import CaseEvent, EventKind
from tests.conftest import PERSONAS


def theme(name):
    return Theme.objects.get(name=name)


def themes_of(case):
    return sorted(CaseTheme.objects.filter(case=case).values_list("theme__name", flat=True))


def changes(case):
    return list(
        CaseEvent.objects.filter(case=case, kind=EventKind.THEMES_CHANGED)
        .order_by("id")
        .values_list("summary", flat=True)
    )


def test_applying_themes_records_who_applied_them_and_one_timeline_row(world):
    manager = world["business_manager"]
    added, removed = case_themes_set(
        case=world.case, themes=[theme("Neglect"), theme("Safe sleep")], by=manager
    )
    assert ([t.name for t in added], removed) == (["Neglect", "Safe sleep"], [])
    assert themes_of(world.case) == ["Neglect", "Safe sleep"]
    row = CaseTheme.objects.get(case=world.case, theme__name="Neglect")
    assert row.added_by == manager
    assert row.history.get().history_user == manager
    assert changes(world.case) == ["Themes changed: added Neglect, Safe sleep"]
    assert CaseEvent.objects.get(kind=EventKind.THEMES_CHANGED).by == manager


def test_removing_a_theme_keeps_its_history_with_who_removed_it(world):
    case_themes_set(
        case=world.case,
        themes=[theme("Neglect"), theme("Safe sleep")],
        by=world["business_manager"],
    )
    row = CaseTheme.objects.get(case=world.case, theme__name="Safe sleep")
    chair = world["subgroup_chair"]
    case_themes_set(case=world.case, themes=[theme("Neglect"), theme("Domestic abuse")], by=chair)
    assert themes_of(world.case) == ["Domestic abuse", "Neglect"]
    removal = CaseTheme.history.filter(id=row.pk).order_by("-history_date").first()
    assert (removal.history_type, removal.history_user) == ("-", chair)
    assert removal.history_change_reason == "Removed"
    assert changes(world.case)[-1] == "Themes changed: added Domestic abuse; removed Safe sleep"


def test_saving_the_same_themes_changes_nothing(world):
    manager = world["business_manager"]
    case_themes_set(case=world.case, themes=[theme("Neglect")], by=manager)
    assert case_themes_set(case=world.case, themes=[theme("Neglect")], by=manager) == ([], [])
    assert len(changes(world.case)) == 1


def test_a_theme_no_longer_offered_stays_where_it_was_applied(world):
    manager = world["business_manager"]
    old = theme("Multi-agency working")
    case_themes_set(case=world.case, themes=[old], by=manager)
    old.is_active = False
    old.save()
    case_themes_set(case=world.case, themes=[theme("Neglect")], by=manager)
    assert themes_of(world.case) == ["Multi-agency working", "Neglect"]
    with pytest.raises(TransitionNotAllowed, match="No longer offered"):
        case_themes_set(case=world.other_case, themes=[old], by=world["stranger"])


@pytest.mark.parametrize("persona", ["subgroup_member", "subgroup_chair"])
def test_the_sub_group_applies_themes(world, persona):
    case_themes_set(case=world.case, themes=[theme("Neglect")], by=world[persona])
    assert themes_of(world.case) == ["Neglect"]


@pytest.mark.parametrize(
    "persona",
    ["executive", "police_contributor", "health_contributor", "reviewer", "administrator"],
)
def test_nobody_else_applies_themes(world, persona):
    with pytest.raises(TransitionNotAllowed):
        case_themes_set(case=world.case, themes=[theme("Neglect")], by=world[persona])
    assert not CaseTheme.objects.exists()
    assert not changes(world.case)


def test_another_partnership_cannot_theme_the_case(world):
    with pytest.raises(TransitionNotAllowed):
        case_themes_set(case=world.case, themes=[theme("Neglect")], by=world["stranger"])
    assert not CaseTheme.objects.exists()


# ------------------------------------------------------------------------------ the page

SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive", "reviewer"}
APPLIES = {"business_manager", "subgroup_member", "subgroup_chair"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_themes_page_answers_each_persona(client, world, persona):
    client.force_login(world[persona])
    response = client.get(reverse("case-themes", args=[world.case.pk]))
    assert response.status_code == (200 if persona in SEES else 404)
    if persona in SEES:
        form_shown = 'name="themes"' in response.content.decode()
        assert form_shown is (persona in APPLIES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_saving_themes_from_the_page_answers_each_persona(client, world, persona):
    client.force_login(world[persona])
    response = client.post(
        reverse("case-themes", args=[world.case.pk]), {"themes": [theme("Neglect").pk]}
    )
    expected = 302 if persona in APPLIES else 403 if persona in SEES else 404
    assert response.status_code == expected
    assert themes_of(world.case) == (["Neglect"] if persona in APPLIES else [])


def test_the_page_lists_the_themes_with_who_applied_them(client, world):
    case_themes_set(case=world.case, themes=[theme("Safe sleep")], by=world["subgroup_member"])
    client.force_login(world["reviewer"])
    html = client.get(reverse("case-themes", args=[world.case.pk])).content.decode()
    assert "Safe sleep" in html and str(world["subgroup_member"]) in html
    assert "Save the themes" not in html


def test_unticking_every_theme_removes_them(client, world):
    case_themes_set(case=world.case, themes=[theme("Neglect")], by=world["business_manager"])
    client.force_login(world["business_manager"])
    response = client.post(reverse("case-themes", args=[world.case.pk]), {})
    assert response.status_code == 302
    assert themes_of(world.case) == []
    assert changes(world.case)[-1] == "Themes changed: removed Neglect"


def test_a_theme_that_is_not_offered_is_refused_on_the_page(client, world):
    retired = Theme.objects.create(name="Retired theme (fictional)", is_active=False)
    client.force_login(world["business_manager"])
    response = client.post(reverse("case-themes", args=[world.case.pk]), {"themes": [retired.pk]})
    assert response.status_code == 200
    assert "Choose themes from the list" in response.content.decode()
    assert not CaseTheme.objects.exists()
