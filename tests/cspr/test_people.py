"""People are read with their partnership, and can still be locked; the signed-in
person is read with their roles and whether they have unread notifications."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cspr.backends import PeopleBackend
from cspr.models import Reminder, ReminderKind, ReminderStatus, Role, User
from cspr.services.people import person_sync_groups
from tests.conftest import fresh
from tests.factories import DeadlineFactory, UserFactory


@pytest.mark.django_db
def test_a_person_comes_with_their_partnership(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        person = User.objects.get(pk=world["business_manager"].pk)
        assert person.partnership.name == world["business_manager"].partnership.name


@pytest.mark.django_db(transaction=True)
def test_a_person_can_be_locked_with_their_partnership_joined(world):
    """PostgreSQL will not lock the nullable side of an outer join: only the person's
    row is locked, however the lock is asked for."""
    person = world["business_manager"]
    with transaction.atomic():
        assert User.objects.select_for_update().get(pk=person.pk) == person
        assert person.partnership.people.select_for_update().filter(pk=person.pk).exists()
    changed, created = User.objects.update_or_create(
        username=person.username, defaults={"job_title": "Fictional business manager"}
    )
    assert not created and changed.job_title == "Fictional business manager"


# --- The signed-in person, as each request reads them (cspr.backends.PeopleBackend).


@pytest.mark.django_db
def test_the_signed_in_person_comes_with_their_roles_and_unread_state_in_one_query(
    world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        person = PeopleBackend().get_user(world["police_contributor"].pk)
        assert person.roles == {Role.AGENCY_CONTRIBUTOR}
        assert person.has_unread_notifications is False
        assert person.partnership == world.partnership


@pytest.mark.django_db
def test_a_person_without_roles_is_read_with_none(world, django_assert_num_queries):
    nobody = UserFactory(partnership=world.partnership)
    with django_assert_num_queries(1):
        assert PeopleBackend().get_user(nobody.pk).roles == frozenset()


@pytest.mark.django_db
def test_a_group_named_like_two_roles_gives_no_role_it_does_not_name(world):
    """The names come back as a list, never split from one string: a group whose name
    reads like two roles is one (unknown) role."""
    person = UserFactory(partnership=world.partnership)
    for name in ('role:x","business_unit', "role:x,business_unit", "role:x\x1fbusiness_unit"):
        person.groups.add(Group.objects.create(name=name))
    roles = PeopleBackend().get_user(person.pk).roles
    assert Role.BUSINESS_UNIT not in roles
    assert roles == fresh(person).roles
    assert not PeopleBackend().get_user(person.pk).has_role(Role.BUSINESS_UNIT)


@pytest.mark.django_db
def test_a_persons_unread_notification_is_seen_until_it_is_read(world):
    manager = world["business_manager"]
    deadline = DeadlineFactory(case=world.case)
    reminder = Reminder.objects.create(
        deadline=deadline,
        recipient=manager,
        kind=ReminderKind.DUE_TODAY,
        for_day=deadline.due_on,
        due_on=deadline.due_on,
        status=ReminderStatus.NOTIFIED,
    )
    assert PeopleBackend().get_user(manager.pk).has_unread_notifications is True
    reminder.read_at = timezone.now()
    reminder.save()
    assert PeopleBackend().get_user(manager.pk).has_unread_notifications is False


@pytest.mark.django_db
def test_a_role_taken_away_counts_from_the_next_request(client, world):
    manager = world["business_manager"]
    client.force_login(manager)
    case_page = reverse("case-detail", args=[world.case.pk])
    assert client.get(case_page).status_code == 200
    person_sync_groups(user=manager, roles=set())
    assert client.get(case_page).status_code == 404


@pytest.mark.django_db
def test_an_inactive_person_is_not_signed_in(world):
    person = world["business_manager"]
    person.is_active = False
    person.save()
    assert PeopleBackend().get_user(person.pk) is None
    assert PeopleBackend().get_user(10**9) is None
