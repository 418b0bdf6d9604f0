"""Two mirrored partnerships to probe access with: Northtown (the `world` personas) and
its Southvale twin, whose business manager is the `world` stranger.

Every workflow object a URL can name is built on demand in both partnerships from the
same recipe (`Sides.build`), so each permission probe has the own-partnership object
and the same kind of object in the other partnership. The action plans' and learning
objects are built with the ORM directly (`tests.security.actions_states`).
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.utils import timezone

from cspr import access
from cspr.deadline_rules import Rule
from cspr.models import AgencyType, CalendarDay, Case, ChildRecord, Reminder, Role
from cspr.models.reminders import ReminderKind, ReminderStatus
from cspr.services.deadlines import deadline_set
from tests.factories import AgencyFactory, UserFactory
from tests.security.actions_states import ACTION_STATES

D = datetime.date

# A surname no page may show to someone who may not see the child of that partnership.
CHILD_SURNAME = {"northtown": "Quillfeather", "southvale": "Zanderwick"}
# In every name of the partnership's own: its agencies, its partnership.
PLACE = {"northtown": "Northtown", "southvale": "Southvale"}
# Case names unlike any example text a page shows (a hint says `such as "Child Q"`).
PSEUDONYM = {"northtown": "Child Northwick", "southvale": "Child Southwick"}


@dataclass
class Side:
    """One partnership's people and objects; looks like `World` to the test helpers."""

    key: str
    partnership: object
    case: object
    police: object
    health: object
    children: object
    icb: object
    people: dict
    objects: dict = field(default_factory=dict)

    def __getitem__(self, persona):
        return self.people[persona]


def _southvale(world):
    southvale = world.other_partnership

    def agency(name, kind):
        return AgencyFactory(partnership=southvale, name=f"Southvale {name}", type=kind)

    police = agency("Police", AgencyType.POLICE)
    health = agency("Health Trust", AgencyType.HEALTH_PROVIDER)
    children = agency("Children's Services", AgencyType.LOCAL_AUTHORITY)
    icb = agency("ICB", AgencyType.INTEGRATED_CARE_BOARD)

    def person(username, roles, agency=None):
        return UserFactory(username=username, partnership=southvale, agency=agency, roles=roles)

    people = {
        "business_manager": world["stranger"],
        "subgroup_member": person("s-member", [Role.SUBGROUP_MEMBER], health),
        "subgroup_chair": person("s-chair", [Role.SUBGROUP_CHAIR], children),
        "executive": person("s-executive", [Role.EXECUTIVE], children),
        "police_contributor": person("s-police", [Role.AGENCY_CONTRIBUTOR], police),
        "health_contributor": person("s-health", [Role.AGENCY_CONTRIBUTOR], health),
        "reviewer": person("s-reviewer", [Role.INDEPENDENT_REVIEWER]),
        "police_executive": person("s-police-exec", [Role.EXECUTIVE], police),
        "icb_executive": person("s-icb-exec", [Role.EXECUTIVE], icb),
    }
    case = world.other_case
    access.grant_agency(case, police)
    access.grant_person(case, people["reviewer"])
    return Side("southvale", southvale, case, police, health, children, icb, people)


def _northtown(world):
    icb = AgencyFactory(
        partnership=world.partnership, name="Northtown ICB", type=AgencyType.INTEGRATED_CARE_BOARD
    )
    people = {p: u for p, u in world.people.items() if p != "stranger"}
    people["police_executive"] = UserFactory(
        username="police-exec",
        partnership=world.partnership,
        agency=world.police,
        roles=[Role.EXECUTIVE],
    )
    people["icb_executive"] = UserFactory(
        username="icb-exec", partnership=world.partnership, agency=icb, roles=[Role.EXECUTIVE]
    )
    return Side(
        "northtown",
        world.partnership,
        world.case,
        world.police,
        world.health,
        world.children,
        icb,
        people,
    )


def _future(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def _deadline(side):
    return deadline_set(
        case=side.case,
        rule=Rule.NOTIFICATION,
        anchor_date=D(2026, 11, 4),
        anchor_event="the local authority became aware",
        by=side["business_manager"],
    )


def _reminder(side):
    deadline = side.objects["deadline"]
    return Reminder.objects.create(
        deadline=deadline,
        kind=ReminderKind.BEFORE,
        days_before=3,
        recipient=side["business_manager"],
        for_day=deadline.due_on - datetime.timedelta(days=3),
        due_on=deadline.due_on,
        status=ReminderStatus.NOTIFIED,
        collected_at=timezone.now(),
    )


def _notification(side):
    from referrals.notifications import notification_open

    return notification_open(case=side.case, date_aware=D(2026, 11, 4), by=side["business_manager"])


def _notified(side):
    from tests.rapid_reviews.test_rapid_reviews import notify

    return notify(side)


def _review(side):
    from rapid_reviews import services

    return services.rapid_review_open(case=side.case, by=side["business_manager"])


def _police_request(side):
    from rapid_reviews import services

    return services.information_request_send(
        rapid_review=side.objects["review"],
        agency=side.police,
        due_on=_future(1),
        note="",
        by=side["business_manager"],
    )


def _submitted_return(side):
    from rapid_reviews import services
    from tests.rapid_reviews.test_returns import COMPLETE, ROW

    request = side.objects["police_request"]
    services.return_save_draft(
        information_return=request.information_return,
        fields=COMPLETE,
        rows=[ROW],
        by=side["police_contributor"],
    )
    services.return_submit(
        information_return=request.information_return, by=side["police_contributor"]
    )
    return request


def _attachment(side):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rapid_reviews.services.attachments import return_attachment_add

    return return_attachment_add(
        information_return=side.objects["police_request"].information_return,
        upload=SimpleUploadedFile("notes.txt", b"Fictional notes.\n", "text/plain"),
        by=side["police_contributor"],
    )


def _meeting(side):
    from tests.rapid_reviews.test_decision import meet

    return meet(side, side.objects["review"])


def _approved(side):
    from rapid_reviews import services

    return services.recommendation_approve(
        rapid_review=side.objects["review"], by=side["subgroup_chair"]
    )


def _decided(side):
    from rapid_reviews import services
    from rapid_reviews.models import DistributionEntry

    review = side.objects["review"]
    for persona in ("executive", "police_executive", "icb_executive"):
        services.partner_sign_off(rapid_review=review, by=side[persona])
    DistributionEntry.objects.create(
        partnership=side.partnership, role="Designated Doctor", position=0
    )
    return review


def _reported(side):
    from rapid_reviews import services

    return services.report_sent(
        rapid_review=side.objects["review"],
        sent_on=timezone.localdate(),
        by=side["business_manager"],
    )


def _referral(status):
    def recipe(side):
        from referrals import services
        from tests.referrals.conftest import make_draft

        referral = make_draft(
            side, child={"given_names": "Robin", "family_name": CHILD_SURNAME[side.key]}
        )
        if status == "draft":
            return referral
        referral = services.referral_submit(referral=referral, by=side["police_contributor"])
        if status == "submitted":
            return referral
        return services.referral_triage(
            referral=referral,
            pseudonym=f"{PSEUDONYM[side.key]} (referred)",
            note="Meets the threshold",
            by=side["business_manager"],
        )

    return recipe


def _panel_says(outcome):
    """The Panel's response to the rapid review's report: a local CSPR agreed, or the case
    taken into a national review."""

    def recipe(side):
        from rapid_reviews import services

        today = timezone.localdate()
        return services.panel_response_record(
            rapid_review=side.objects["review"],
            outcome=outcome,
            letter_date=today,
            received_on=today,
            text="The Panel's letter (fictional).",
            information_due_on=None,
            by=side["business_manager"],
        )

    return recipe


def _local_review(side):
    from reviews.models import LocalReview

    return LocalReview.objects.get(case=side.case)


def _local_step(step):
    """A `tests.reviews.builders` step on the side's local review, which it returns."""

    def recipe(side):
        from tests.reviews import builders

        getattr(builders, step)(side, _local_review(side))
        return _local_review(side)

    return recipe


def _local_commissioned(side):
    from tests.reviews import builders

    return builders.commission(side)


def _local_appointed(side):
    from tests.reviews import builders

    return builders.appoint(side, _local_review(side))


def _local_terms(side):
    """A version of the terms of reference the chair and the reviewer have yet to agree."""
    from reviews import services
    from tests.reviews import builders

    return services.terms_save(
        review=_local_review(side),
        fields=builders.TERMS,
        change_note="First draft",
        by=side["subgroup_chair"],
    )


def _local_ready(side):
    """Everything commissioning needs before the start."""
    from tests.reviews import builders

    review = _local_review(side)
    builders.agree_terms(side, review)
    return builders.prepare(side, review)


def _local_member(side):
    return _local_review(side).members.get()


def _local_checkpoint(side):
    return _local_review(side).checkpoints.get()


def _local_letter(side):
    from reviews import services

    return services.letter_prepare(
        review=_local_review(side),
        kind="referrer",
        agency=None,
        addressee="Sam Fictional, Designated Safeguarding Lead",
        organisation="",
        by=side["business_manager"],
    )


def _local_request(side):
    from reviews import services

    return services.reviewer_request_send(
        review=_local_review(side),
        kind="information",
        text="Please send the practitioners' accounts (fictional).",
        due_on=_future(7),
        by=side["business_manager"],
    )


def _local_draft(side):
    from tests.reviews import builders

    return builders.upload_draft(side, _local_review(side)).drafts.get()


def backdate_approval(review, days):
    """The report approved `days` ago rather than today (a copy cannot go before it)."""
    from reviews.models import LocalReview

    LocalReview.objects.filter(pk=review.pk).update(
        approved_at=timezone.now() - datetime.timedelta(days=days)
    )


def _local_copies_sent(side):
    """Approved, and the final copy sent, 30 days ago: 7 working days' notice have passed
    today."""
    from tests.reviews import builders

    backdate_approval(_local_review(side), 30)
    return builders.send_copies(side, _local_review(side), on=_future(-30))


def _local_process(side):
    """An open parallel process beside the review: it holds publication."""
    from reviews import services

    return services.parallel_process_record(
        case=side.case,
        data={"kind": "police_investigation", "lead_body": "The police force (fictional)"},
        by=side["business_manager"],
    )


# state: (states it needs first, recipe(side) -> the object). Each runs once per side.
STATES = {
    "case": ((), None),
    "deadline": ((), _deadline),
    "reminder": (("deadline",), _reminder),
    "notification": ((), _notification),
    "notified": ((), _notified),
    "review": (("notified",), _review),
    "police_request": (("review",), _police_request),
    "submitted_return": (("police_request",), _submitted_return),
    "attachment": (("police_request",), _attachment),
    "submitted_attachment": (
        ("attachment", "submitted_return"),
        lambda side: side.objects["attachment"],
    ),
    "meeting": (("review",), _meeting),
    "approved": (("meeting",), _approved),
    "decided": (("approved",), _decided),
    "reported": (("decided",), _reported),
    "draft": ((), _referral("draft")),
    "submitted": ((), _referral("submitted")),
    "triaged": ((), _referral("triaged")),
    # The local review, from the Panel's response agreeing one (tests.reviews.builders).
    "local_agreed": (("reported",), _panel_says("agrees_local_cspr")),
    "local_commissioned": (("local_agreed",), _local_commissioned),
    "local_appointed": (("local_commissioned",), _local_appointed),
    "local_terms": (("local_appointed",), _local_terms),
    "local_ready": (("local_appointed",), _local_ready),
    "local_member": (("local_ready",), _local_member),
    "local_started": (("local_ready",), _local_step("start")),
    "local_checkpoint": (("local_started",), _local_checkpoint),
    "local_letter": (("local_started",), _local_letter),
    "local_request": (("local_started",), _local_request),
    "local_draft": (("local_started",), _local_draft),
    "local_assured": (("local_draft",), _local_step("assure")),
    "local_approved": (("local_assured",), _local_step("approve")),
    "local_planned": (("local_approved",), _local_step("plan")),
    "local_copies_sent": (("local_planned",), _local_copies_sent),
    "local_process": ((), _local_process),
    "local_held": (("local_planned", "local_process"), lambda side: _local_review(side)),
    "national": (("reported",), _panel_says("national_review")),
    # Action plans, learning and reporting (tests.security.actions_states).
    **ACTION_STATES,
}


class Sides:
    """Northtown and Southvale, and the states built in both so far."""

    def __init__(self, world):
        self.world = world
        self.north = _northtown(world)
        self.south = _southvale(world)
        for side in (self.north, self.south):
            ChildRecord.objects.filter(case=side.case).update(family_name=CHILD_SURNAME[side.key])
            Case.objects.filter(pk=side.case.pk).update(pseudonym=PSEUDONYM[side.key])
            side.case.refresh_from_db()
        self.calendar_day = CalendarDay.objects.create(
            day=D(2026, 11, 6), is_working=False, title="One-off", source="administrator"
        )

    def build(self, state):
        """Build `state` (and what it needs) in both partnerships; idempotent."""
        needs, recipe = STATES[state]
        for need in needs:
            self.build(need)
        for side in (self.north, self.south):
            if state not in side.objects:
                side.objects[state] = recipe(side) if recipe else side.case
        return self


@pytest.fixture
def sides(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded documents
    return Sides(world)


def user_for(sides, persona):
    """The person behind a persona name; "anonymous" is nobody."""
    if persona == "anonymous":
        return None
    if persona == "stranger":
        return sides.world["stranger"]
    return sides.north[persona]


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client
