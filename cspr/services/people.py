"""Writes to agencies and people (the administrator's work, through the admin)."""

import uuid

from django.contrib.auth.models import Group
from django.db import transaction

from cspr.models import Agency, Role
from cspr.services.audit import stamp


def agency_create(*, partnership, name, type, by):
    """Create an agency with the group its contributors will share."""
    with transaction.atomic():
        group = Group.objects.create(name=f"agency:{uuid.uuid4().hex[:12]}")
        agency = Agency(partnership=partnership, name=name, type=type, group=group)
        stamp(agency, by=by, reason="Agency created").save()
    return agency


def person_sync_groups(*, user, roles):
    """Put the person in exactly the role groups named, and in their agency's group
    (only while they are an agency contributor)."""
    wanted = {Role.group_name(role) for role in roles}
    role_groups = Group.objects.filter(name__startswith="role:")
    agency_groups = Group.objects.filter(agency__isnull=False)
    keep = set(user.groups.exclude(pk__in=role_groups).exclude(pk__in=agency_groups))
    groups = keep | set(role_groups.filter(name__in=wanted))
    if user.agency_id and Role.AGENCY_CONTRIBUTOR in roles:
        groups.add(user.agency.group)
    user.groups.set(groups)
    user._roles = None
