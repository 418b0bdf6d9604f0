"""The access policy: who sees which case, the child's details, and what they may do."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cspr import access
from cspr.models import Role
from cspr.services.cases import case_grant_agency, case_grant_reviewer, case_revoke_agency
from tests.conftest import fresh
from tests.factories import CaseFactory, UserFactory

EXPECTED = {
    # persona: (sees the case, sees the child, may change)
    "business_manager": (True, True, True),
    "subgroup_member": (True, False, False),
    "subgroup_chair": (True, False, False),
    "executive": (True, False, False),
    "police_contributor": (True, True, False),  # the police were asked about the case
    "health_contributor": (False, False, False),  # another agency, not asked
    "reviewer": (True, True, False),
    "administrator": (False, False, False),
    "stranger": (False, False, False),  # another partnership's business manager
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_each_persona_gets_exactly_their_access(world, persona):
    user = world[persona]
    sees, sees_child, changes = EXPECTED[persona]
    allowed = access.case_permissions(user, world.case)
    assert (access.VIEW in allowed) is sees
    assert (access.VIEW_CHILD in allowed) is sees_child
    assert (access.CHANGE in allowed) is changes
    assert access.cases_visible_to(user).filter(pk=world.case.pk).exists() is sees


def test_the_business_unit_needs_no_grant_read_and_others_still_get_theirs(
    world, django_assert_num_queries
):
    manager, police = fresh(world["business_manager"]), fresh(world["police_contributor"])
    manager.roles, police.roles  # noqa: B018 (read once per person, as a request does)
    with django_assert_num_queries(0):
        allowed = access.case_permissions(manager, world.case)
    assert allowed == {access.VIEW, access.VIEW_TIMELINE, access.VIEW_CHILD, access.CHANGE}
    # An asked agency's contributor sees the case and the child through the grants.
    with django_assert_num_queries(1):
        assert access.case_permissions(police, world.case) == {access.VIEW, access.VIEW_CHILD}


@pytest.mark.parametrize("persona", [p for p in EXPECTED if p != "stranger"])
def test_nobody_here_sees_another_partnerships_case(world, persona):
    assert not access.can(world[persona], access.VIEW, world.other_case)
    assert not access.cases_visible_to(world[persona]).filter(pk=world.other_case.pk).exists()


def test_the_other_partnerships_business_manager_sees_only_their_own_case(world):
    assert list(access.cases_visible_to(world["stranger"])) == [world.other_case]


def test_access_case_is_404_when_unseen_and_403_when_seen_but_not_allowed(world):
    with pytest.raises(Http404):
        access.access_case(world["health_contributor"], world.case.pk)
    with pytest.raises(Http404):
        access.access_case(world["stranger"], world.case.pk, access.CHANGE)
    with pytest.raises(PermissionDenied):
        access.access_case(world["subgroup_chair"], world.case.pk, access.CHANGE)
    assert access.access_case(world["business_manager"], world.case.pk, access.CHANGE)


def test_a_grant_to_an_agency_of_another_partnership_still_shows_nothing(world):
    # Even a stray guardian row cannot leak across partnerships.
    access.grant_agency(world.other_case, world.police)
    assert not access.can(world["police_contributor"], access.VIEW, world.other_case)


def test_an_inactive_person_sees_nothing(world):
    manager = world["business_manager"]
    manager.is_active = False
    manager.save()
    assert not access.cases_visible_to(fresh(manager)).exists()
    assert not access.case_permissions(fresh(manager), world.case)


def test_granting_an_agency_lets_its_contributors_in_and_revoking_takes_it_back(world):
    health = fresh(world["health_contributor"])
    manager = world["business_manager"]
    case_grant_agency(case=world.case, agency=world.health, by=manager, reason="Asked")
    assert access.can(health, access.VIEW, world.case)
    assert list(access.agencies_granted(world.case)) == [world.health, world.police]
    case_revoke_agency(case=world.case, agency=world.health, by=manager, reason="Not involved")
    assert not access.can(health, access.VIEW, world.case)


def test_a_reviewer_sees_only_the_review_they_were_given(world):
    second = CaseFactory(partnership=world.partnership, pseudonym="Child R")
    reviewer = world["reviewer"]
    assert list(access.cases_visible_to(reviewer)) == [world.case]
    case_grant_reviewer(
        case=second, reviewer=reviewer, by=world["business_manager"], reason="Appointed"
    )
    assert set(access.cases_visible_to(reviewer)) == {world.case, second}


def test_only_a_reviewer_of_the_partnership_can_be_given_a_review(world):
    from cspr.errors import TransitionNotAllowed

    for person in (world["police_contributor"], UserFactory(roles=[Role.INDEPENDENT_REVIEWER])):
        with pytest.raises(TransitionNotAllowed):
            case_grant_reviewer(
                case=world.case, reviewer=person, by=world["business_manager"], reason="x"
            )


def test_the_case_list_query_count_does_not_grow_with_the_number_of_cases(
    world, django_assert_max_num_queries
):
    police = fresh(world["police_contributor"])

    def count_rows():
        with django_assert_max_num_queries(3):
            return len(list(access.cases_visible_to(police)))

    assert count_rows() == 1
    for _ in range(30):
        access.grant_agency(CaseFactory(partnership=world.partnership), world.police)
    assert count_rows() == 31


def test_the_list_filter_is_one_sql_query_using_the_direct_permission_tables(world):
    sql = str(access.cases_visible_to(fresh(world["police_contributor"])).query)
    assert "cspr_casegroupobjectpermission" in sql
    assert "guardian_groupobjectpermission" not in sql
