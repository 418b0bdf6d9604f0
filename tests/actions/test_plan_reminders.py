"""An agency is reminded of its own actions' due dates, even on a case it was never
granted (it sees its actions without the case), and no other agency is."""

import datetime

import time_machine
from django.urls import reverse

from cspr.models import Reminder, ReminderStatus
from cspr.services.reminder_sweep import reminders_sweep
from tests.actions.builders import action_on, plan_for
from tests.cspr.test_reminders import at

D = datetime.date


def health_action_due(world, due_on):
    """A health action on Child Q, whose case the health agency was never granted."""
    with time_machine.travel(at(2027, 3, 1), tick=False):
        plan = plan_for(world)
        return action_on(plan, world.health, due_on, world=world)


def told(world, persona):
    return Reminder.objects.filter(recipient=world[persona], status=ReminderStatus.NOTIFIED)


def test_the_owning_agency_is_reminded_and_its_notification_opens_the_action(client, world):
    action = health_action_due(world, D(2027, 3, 4))
    reminders_sweep(now=at(2027, 3, 2, 8))
    reminder = told(world, "health_contributor").get()
    assert reminder.deadline == action.deadline
    assert not told(world, "police_contributor").filter(deadline=action.deadline).exists()

    link = reverse("action-detail", args=[world.case.pk, action.pk])
    with time_machine.travel(at(2027, 3, 2, 9), tick=False):
        client.force_login(world["health_contributor"])
        page = client.get(reverse("notification-list")).content.decode()
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200


def test_an_agency_that_no_longer_owns_the_action_is_no_longer_told(world):
    action = health_action_due(world, D(2027, 3, 4))
    reminders_sweep(now=at(2027, 3, 2, 8))
    assert told(world, "health_contributor").exists()
    contributor = world["health_contributor"]
    contributor.agency = world.children
    contributor.save()
    from cspr.access import reminders_visible_to

    assert not reminders_visible_to(contributor).filter(deadline=action.deadline).exists()
