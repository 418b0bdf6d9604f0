"""How the signed-in person is read on each request.

Every signed-in page asks two things of the person besides their row: their roles (what
they may see and do) and whether they have an unread notification (the header's count).
Asked one at a time, that was two more queries on every page. `PeopleBackend` reads both
with the person, in the one query Django makes for them anyway. Nothing is kept between
requests: a role taken away, or a notification read, counts from the next request on.
"""

import json

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Aggregate, Exists, OuterRef, Subquery, TextField

from cspr.models import Reminder, ReminderStatus, User
from cspr.models.tenancy import ROLE_PREFIX, roles_named


class NameList(Aggregate):
    """The names as a list: PostgreSQL's ARRAY_AGG (a list in Python), SQLite's JSON
    array (text, which `read` turns into the list). A list, not a joined string, so that
    no group's name can pass for two."""

    function = "ARRAY_AGG"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)

    @staticmethod
    def read(value):
        if value is None:  # no group at all: the subquery found no row
            return []
        return json.loads(value) if isinstance(value, str) else value


def people_signed_in():
    """People as a request reads the signed-in one: each with `role_names` (their role
    groups' names) and `has_unread` (whether a notification of theirs is unread)."""
    role_groups = (
        Group.objects.filter(user=OuterRef("pk"), name__startswith=ROLE_PREFIX)
        .order_by()
        .values("user")
        .annotate(names=NameList("name"))
        .values("names")
    )
    unread = Reminder.objects.filter(
        recipient=OuterRef("pk"), status=ReminderStatus.NOTIFIED, read_at__isnull=True
    )
    return User.objects.annotate(role_names=Subquery(role_groups), has_unread=Exists(unread))


class PeopleBackend(ModelBackend):
    """Django's password backend (sign-in is unchanged), reading the signed-in person
    with their roles and unread state (`people_signed_in`): two queries fewer a page."""

    def get_user(self, user_id):
        try:
            user = people_signed_in().get(pk=user_id)
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        user._roles = roles_named(NameList.read(user.role_names))
        # `cspr.selectors.unread_count` asks the database only when this says there are.
        user.has_unread_notifications = user.has_unread
        return user
