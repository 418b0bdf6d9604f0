"""Personas and a small world to test against.

One partnership (Northtown) with police, health and children's services agencies, a
case the police have been asked about, and a second partnership (Southvale) whose
business manager is the stranger every permission test tries.
"""

from dataclasses import dataclass

import pytest

from cspr import access
from cspr.models import AgencyType, Role
from tests.factories import AgencyFactory, CaseFactory, PartnershipFactory, UserFactory


@dataclass
class World:
    partnership: object
    other_partnership: object
    police: object
    health: object
    children: object
    case: object
    other_case: object
    people: dict

    def __getitem__(self, persona):
        return self.people[persona]


PERSONAS = [
    "business_manager",
    "subgroup_member",
    "subgroup_chair",
    "executive",
    "police_contributor",
    "health_contributor",
    "reviewer",
    "administrator",
    "stranger",
]


@pytest.fixture
def world(db):
    northtown = PartnershipFactory(name="Northtown Safeguarding Children Partnership")
    southvale = PartnershipFactory(name="Southvale Safeguarding Children Partnership")
    police = AgencyFactory(partnership=northtown, name="Northtown Police", type=AgencyType.POLICE)
    health = AgencyFactory(
        partnership=northtown, name="Northtown Health Trust", type=AgencyType.HEALTH_PROVIDER
    )
    children = AgencyFactory(
        partnership=northtown,
        name="Northtown Children's Services",
        type=AgencyType.LOCAL_AUTHORITY,
    )

    def person(username, roles, partnership=northtown, agency=None):
        return UserFactory(username=username, partnership=partnership, agency=agency, roles=roles)

    people = {
        "business_manager": person("manager", [Role.BUSINESS_UNIT]),
        "subgroup_member": person("member", [Role.SUBGROUP_MEMBER], agency=health),
        "subgroup_chair": person("chair", [Role.SUBGROUP_CHAIR], agency=children),
        "executive": person("executive", [Role.EXECUTIVE], agency=children),
        "police_contributor": person("police", [Role.AGENCY_CONTRIBUTOR], agency=police),
        "health_contributor": person("health", [Role.AGENCY_CONTRIBUTOR], agency=health),
        "reviewer": person("reviewer", [Role.INDEPENDENT_REVIEWER]),
        "administrator": person("admin", [Role.ADMINISTRATOR], partnership=None),
        "stranger": person("stranger", [Role.BUSINESS_UNIT], partnership=southvale),
    }
    people["administrator"].is_staff = True
    people["administrator"].save()
    case = CaseFactory(
        partnership=northtown, pseudonym="Child Q", created_by=people["business_manager"]
    )
    access.grant_agency(case, police)
    access.grant_person(case, people["reviewer"])
    other_case = CaseFactory(partnership=southvale, pseudonym="Child Z")
    return World(northtown, southvale, police, health, children, case, other_case, people)


def fresh(user):
    """The same person re-read, so cached roles do not hide a change."""
    return type(user).objects.get(pk=user.pk)


def restore_kernel_rows():
    """Put back the rows the data migrations wrote (the role groups, the official calendar,
    the retention rules and the learning themes), which a transactional test's flush
    empties."""
    import importlib

    from django.apps import apps as django_apps
    from django.contrib.auth.models import Group

    from cspr.services.calendar import calendar_import_official
    from cspr.working_days import SHIPPED_LIST, read_official_list

    for role in Role:
        Group.objects.get_or_create(name=Role.group_name(role))
    calendar_import_official(holidays=read_official_list(SHIPPED_LIST.read_text(encoding="utf-8")))
    seed_themes = importlib.import_module("actions.migrations.0002_seed_themes")
    seed_themes.seed(django_apps, None)
    seed_retention = importlib.import_module("cspr.migrations.0014_retention_defaults")
    seed_retention.seed(django_apps, None)


@pytest.fixture
def kernel_rows(transactional_db):
    """Transactional tests' flushes also empty the rows the data migrations wrote: put
    them back first. Ask for it before `world`."""
    restore_kernel_rows()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put the kernel rows back for the tests that
    follow in the same process: with the tests spread over processes (pytest-xdist), a
    transactional test no longer always runs after the others."""
    yield
    # After the last test the test database is gone (nothing follows to need the rows).
    if nextitem is None:
        return
    if _flushes(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            restore_kernel_rows()


def _flushes(item):
    """Whether the test ran in a transactional database, which Django flushes after it:
    asked for as a fixture, or with `django_db(transaction=True)`."""
    if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    from pytest_django.fixtures import validate_django_db

    transaction, reset_sequences, *_ = validate_django_db(marker)
    return bool(transaction or reset_sequences)  # a sequence reset is transactional too


def verified_device(user):
    """The person's authenticator app, set up (made on first use)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


@pytest.fixture(autouse=True)
def _force_login_passes_both_factors(monkeypatch):
    """`client.force_login(user)` stands for a person who signed in with their password
    and their second factor, just now. Tests of the sign-in itself post to its pages."""
    from django.test import Client

    from cspr.authentication import PROVED_AT, SIGNED_IN_AT, now

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session["otp_device_id"] = verified_device(user).persistent_id
        session[SIGNED_IN_AT] = session[PROVED_AT] = now()
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
