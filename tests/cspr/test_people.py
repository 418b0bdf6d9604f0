"""People are read with their partnership, and can still be locked."""

import pytest
from django.db import transaction

from cspr.models import User


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
