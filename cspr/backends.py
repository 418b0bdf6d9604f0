"""How the signed-in person is read on each request.

Every signed-in page asks two things of the person besides their row: their roles (what
they may see and do) and whether they have an unread notification (the header's count).
Asked one at a time, that was two more queries on every page. `PeopleBackend` reads both
with the person, in the one query Django makes for them anyway. Nothing is kept between
requests: a role taken away, or a notification read, counts from the next request on.

The two are written in SQL (`RawSQL`): built with the ORM, the two subqueries took
longer for Django to compile on every request than the two queries they replaced.
"""

import json

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import BooleanField, TextField
from django.db.models.expressions import RawSQL

from cspr.models import Reminder, ReminderStatus, User
from cspr.models.tenancy import ROLE_PREFIX, roles_named

# The names of the person's role groups, as a list: PostgreSQL's ARRAY (a list in Python),
# SQLite's JSON array (text, read by `_names`); never one joined string, so that no
# group's name can pass for two. Compared case for case (as PostgreSQL compares them
# for `User.roles`; SQLite's LIKE there ignores case).
_ROLE_NAMES = {
    "postgresql": "ARRAY(SELECT {names})",
    "sqlite": "(SELECT json_group_array(name) FROM (SELECT {names}))",
}
_ROLE_GROUPS = (
    "g.name FROM {group} g JOIN {member} m ON m.group_id = g.id"
    " WHERE m.user_id = {user}.id AND substr(g.name, 1, %s) = %s"
)
_UNREAD = (
    "EXISTS(SELECT 1 FROM {reminder} r WHERE r.recipient_id = {user}.id"
    " AND r.status = %s AND r.read_at IS NULL)"
)


def _people_signed_in():
    """People as a request reads the signed-in one: each with `role_names` (their role
    groups' names) and `has_unread` (whether a notification of theirs is unread). The
    SQL names the person's table as the outermost query does: not for use inside another
    query, where Django would give that table another name."""
    tables = {
        "group": Group._meta.db_table,
        "member": User.groups.through._meta.db_table,
        "user": User._meta.db_table,
        "reminder": Reminder._meta.db_table,
    }
    names = _ROLE_NAMES[connection.vendor].format(names=_ROLE_GROUPS.format(**tables))
    # Fixed SQL and the models' own table names; every value is a parameter.
    role_names = RawSQL(names, (len(ROLE_PREFIX), ROLE_PREFIX), TextField())  # noqa: S611  # nosec B611
    unread = RawSQL(_UNREAD.format(**tables), (ReminderStatus.NOTIFIED,), BooleanField())  # noqa: S611, E501  # nosec B611
    return User.objects.annotate(role_names=role_names, has_unread=unread)


def _names(value):
    return json.loads(value) if isinstance(value, str) else list(value or ())


class PeopleBackend(ModelBackend):
    """Django's password backend (sign-in is unchanged), reading the signed-in person
    with their roles and unread state (`_people_signed_in`): two queries fewer a page."""

    def get_user(self, user_id):
        try:
            user = _people_signed_in().get(pk=user_id)
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        user._roles = roles_named(_names(user.role_names))
        # `cspr.selectors.unread_count` asks the database only when this says there are.
        user.has_unread_notifications = bool(user.has_unread)
        return user
