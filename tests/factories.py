"""Factories for the kernel, with fictional people only."""

import datetime

import factory
from django.contrib.auth.models import Group

from cspr.deadline_rules import Rule
from cspr.models import (
    Agency,
    AgencyType,
    Case,
    ChildRecord,
    Deadline,
    Partnership,
    Role,
    User,
)
from cspr.services.people import person_sync_groups


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Testshire {n} Safeguarding Children Partnership")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    type = AgencyType.OTHER
    group = factory.LazyAttribute(lambda o: Group.objects.create(name=f"agency:{o.name}"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    partnership = factory.SubFactory(PartnershipFactory)
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            person_sync_groups(user=self, roles=set(extracted))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    pseudonym = factory.Sequence(lambda n: f"Child {n}")
    created_by = factory.SubFactory(
        UserFactory, partnership=factory.SelfAttribute("..partnership"), roles=[Role.BUSINESS_UNIT]
    )
    child = factory.RelatedFactory(
        "tests.factories.ChildRecordFactory", factory_related_name="case"
    )


class ChildRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildRecord

    case = factory.SubFactory(CaseFactory, child=None)
    given_names = "Robin"
    family_name = factory.Sequence(lambda n: f"Fictional{n}")


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    case = factory.SubFactory(CaseFactory)
    rule = Rule.NOTIFICATION
    title = "Notify the Panel"
    period = 5
    anchor_event = "the local authority became aware"
    anchor_date = datetime.date(2026, 11, 2)
    due_on = datetime.date(2026, 11, 9)
    original_due_on = factory.SelfAttribute("due_on")
