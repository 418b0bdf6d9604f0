"""Partnerships, their agencies (each with its contributors' group), and their people
with their roles and second-factor devices, as the admin's services would leave them
(`agency_create`, `person_sync_groups`)."""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from cspr.models import Agency, AgencyType, Partnership, Role, User
from cspr.scale import BENCH_DEVICE, BENCH_PASSWORD, device_key
from cspr.scale.text import AGENCIES, AREAS, FAMILY, GIVEN
from rapid_reviews.models import DistributionEntry

PARTNER_TYPES = (AgencyType.LOCAL_AUTHORITY, AgencyType.POLICE, AgencyType.INTEGRATED_CARE_BOARD)
# Agencies (by position in text.AGENCIES) with a second contributor.
SECOND_CONTRIBUTOR = (0, 1, 3)
DISTRIBUTION = [
    "Designated Doctor",
    "Designated Nurse",
    "Police Head of Safeguarding",
    "Detective Chief Inspector, Child Protection Investigation Team",
    "Deputy Director, Children's Services",
]


@dataclass
class AgencyRow:
    id: int
    number: int  # 1-based within the partnership
    name: str
    type: str
    group_id: int
    contributors: list = field(default_factory=list)  # user ids, c1 first
    lead: int | None = None


@dataclass
class Place:
    """One partnership as the seed knows it."""

    number: int
    id: int
    name: str
    area: str
    agencies: list
    business_unit: list = field(default_factory=list)  # manager first
    chair: int = 0
    members: list = field(default_factory=list)
    executives: dict = field(default_factory=dict)  # agency type -> user id
    reviewer: int = 0
    names: dict = field(default_factory=dict)  # user id -> "Given Family"

    @cached_property
    def agency_by_id(self):
        return {a.id: a for a in self.agencies}

    @property
    def manager(self):
        return self.business_unit[0]

    def agency_of_type(self, kind):
        return next(a for a in self.agencies if a.type == kind)


def seed_people(writer, preset, rng, *, now):
    """[Place] for each partnership, with every row written to `writer`."""
    role_groups = dict(Group.objects.filter(name__startswith="role:").values_list("name", "pk"))
    password = make_password(BENCH_PASSWORD, salt="cspr-scale-bench")
    joined = now - datetime.timedelta(days=int(365 * preset.years) + 30)
    places = []
    for number in range(1, preset.partnerships + 1):
        area = AREAS[(number - 1) % len(AREAS)]
        if number > len(AREAS):
            area = f"{area} {number}"
        name = f"{area} Safeguarding Children Partnership"
        pid = writer.add(
            Partnership, {"name": name, "short_name": f"{area} SCP", "created_at": joined}
        )
        agencies = []
        for index, (pattern, kind) in enumerate(AGENCIES, start=1):
            group_id = writer.add(Group, {"name": f"agency:scale-p{number:02d}-a{index:02d}"})
            agency_name = pattern.format(area=area)
            agency_id = writer.add(
                Agency,
                {"partnership_id": pid, "name": agency_name, "type": kind, "group_id": group_id},
            )
            agencies.append(AgencyRow(agency_id, index, agency_name, kind, group_id))
        place = Place(number, pid, name, area, agencies)
        for position, role in enumerate(DISTRIBUTION):
            writer.add(
                DistributionEntry,
                {
                    "partnership_id": pid,
                    "role": role,
                    "name": _person_name(rng),
                    "email": "",
                    "position": position,
                },
            )
        _seed_partnership_people(writer, place, rng, role_groups, password, joined)
        places.append(place)
    return places


def _person_name(rng):
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def _seed_partnership_people(writer, place, rng, role_groups, password, joined):
    prefix = f"p{place.number:02d}"
    agency = {a.type: a for a in reversed(place.agencies)}  # the first of each type

    def person(suffix, title, role, agency_row=None, *, manager=False, lead=False):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        username = f"{prefix}-{suffix}"
        user_id = writer.add(
            User,
            {
                "password": password,
                "is_superuser": False,
                "username": username,
                "first_name": given,
                "last_name": family,
                "email": f"{username}@example.org",
                "is_staff": False,
                "is_active": True,
                "date_joined": joined,
                "partnership_id": place.id,
                "agency_id": agency_row.id if agency_row else None,
                "job_title": title,
                "is_business_manager": manager,
                "is_agency_lead": lead,
            },
        )
        groups = [role_groups[Role.group_name(role)]]
        if role == Role.AGENCY_CONTRIBUTOR:
            groups.append(agency_row.group_id)
        for group_id in groups:
            writer.add(User.groups.through, {"user_id": user_id, "group_id": group_id})
        writer.add(
            TOTPDevice,
            {
                "user_id": user_id,
                "name": BENCH_DEVICE,
                "confirmed": True,
                "key": device_key(username),
                "created_at": joined,
                "last_used_at": None,
            },
        )
        place.names[user_id] = f"{given} {family}"
        return user_id

    place.business_unit = [
        person("manager", "Business Manager", Role.BUSINESS_UNIT, manager=True),
        person("officer1", "Project Support Officer", Role.BUSINESS_UNIT),
        person("officer2", "Project Support Officer", Role.BUSINESS_UNIT),
    ]
    la, police, icb = (agency[kind] for kind in PARTNER_TYPES)
    place.chair = person("chair", "CSPR Sub-group Chair", Role.SUBGROUP_CHAIR, la)
    place.members = [
        person("member1", "Named Nurse", Role.SUBGROUP_MEMBER, agency[AgencyType.HEALTH_PROVIDER]),
        person("member2", "Head of Inclusion", Role.SUBGROUP_MEMBER, agency[AgencyType.EDUCATION]),
    ]
    for number, (row, title) in enumerate(
        [
            (la, "Director of Children's Services"),
            (police, "Assistant Chief Constable"),
            (icb, "Chief Nursing Officer"),
        ],
        start=1,
    ):
        place.executives[row.type] = person(f"exec{number}", title, Role.EXECUTIVE, row)
    place.reviewer = person("reviewer", "Independent Reviewer", Role.INDEPENDENT_REVIEWER)
    for row in place.agencies:
        count = 2 if row.number - 1 in SECOND_CONTRIBUTOR else 1
        for c in range(1, count + 1):
            lead = c == 1 and row.number % 3 != 0  # most agencies name a lead
            user_id = person(
                f"a{row.number:02d}-c{c}",
                "Safeguarding Lead" if lead else "Safeguarding Practitioner",
                Role.AGENCY_CONTRIBUTOR,
                row,
                lead=lead,
            )
            row.contributors.append(user_id)
            if lead:
                row.lead = user_id
