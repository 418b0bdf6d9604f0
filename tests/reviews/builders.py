"""Builders for a local review in each state, on the `world` (or a security `Side`):
each takes the world and the states before it, so tests, the permission matrix and the
fuzzing all start from the same records. Fictional people only."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cspr.models import AgencyType, Role
from reviews import services
from tests.factories import AgencyFactory, UserFactory

D = datetime.date
CONSIDERATIONS = {
    "knowledge_and_engagement": "Led three reviews; engages families well (fictional).",
    "research_knowledge": "Published on neglect (fictional).",
    "complex_circumstances": "Fifteen years in frontline practice (fictional).",
    "communicating_findings": "Clear reports and briefings (fictional).",
}
NO_CONFLICT = {"declared": False, "details": "", "decision": ""}
TERMS = {
    "period_from": D(2025, 1, 1),
    "period_to": D(2026, 10, 31),
    "key_lines_of_enquiry": "How well did agencies share information about the child?",
    "scope": "Police, health and children's services.",
    "equality_considerations": "The child's disability and how it shaped practice.",
}
METHODOLOGY = {
    "methodology": "silp",
    "methodology_detail": "",
    "family_engagement": "The reviewer meets the family twice.",
    "practitioner_engagement": "A practitioner learning event.",
    "systems_approach": "SILP is a systems approach; no blame.",
    "quality_markers": "Checked against the NSPCC quality markers at each stage.",
    "joint_review_note": "",
}
# A tiny PDF and a Word package (cspr.uploads checks content, not just names).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def executives(world):
    """The three safeguarding partners' executives of the world's partnership."""
    icb = AgencyFactory(
        partnership=world.partnership,
        name=f"{world.partnership.name.split()[0]} ICB (reviews)",
        type=AgencyType.INTEGRATED_CARE_BOARD,
    )
    return [
        world["executive"],
        UserFactory(partnership=world.partnership, agency=world.police, roles=[Role.EXECUTIVE]),
        UserFactory(partnership=world.partnership, agency=icb, roles=[Role.EXECUTIVE]),
    ]


def agreed(world, outcome="agrees_local_cspr"):
    """The case through its rapid review to the Panel's response (a local review agreed)."""
    from rapid_reviews import services as rapid
    from rapid_reviews.models import RapidReview
    from tests.rapid_reviews.test_decision import meet
    from tests.rapid_reviews.test_rapid_reviews import notify

    manager = world["business_manager"]
    review = RapidReview.objects.filter(case=world.case).first()
    if review is None:
        notify(world)
        review = rapid.rapid_review_open(case=world.case, by=manager)
    meet(world, review)
    rapid.recommendation_approve(rapid_review=review, by=world["subgroup_chair"])
    for executive in executives(world):
        rapid.partner_sign_off(rapid_review=review, by=executive)
    today = timezone.localdate()
    rapid.report_sent(rapid_review=review, sent_on=today, by=manager)
    rapid.panel_response_record(
        rapid_review=review,
        outcome=outcome,
        letter_date=today,
        received_on=today,
        text="The Panel's letter (fictional).",
        information_due_on=None,
        by=manager,
    )
    world.case.refresh_from_db()
    return review


# --- One step each, on a review that has had the steps before (for composing states).


def commission(world):
    """The local review of `world.case`, whose Panel response agreed one."""
    return services.local_review_commission(case=world.case, by=world["business_manager"])


def appoint(world, review):
    return services.reviewer_appoint(
        review=review,
        reviewer=world["reviewer"],
        appointed_on=timezone.localdate(),
        considerations=CONSIDERATIONS,
        conflict=NO_CONFLICT,
        by=world["business_manager"],
    )


def agree_terms(world, review):
    terms = services.terms_save(
        review=review, fields=TERMS, change_note="First draft", by=world["subgroup_chair"]
    )
    services.terms_agree(terms=terms, by=world["subgroup_chair"])
    return services.terms_agree(terms=terms, by=world["reviewer"])


def prepare(world, review):
    """The methodology, a review group member, the family told, the chronology template."""
    manager = world["business_manager"]
    services.methodology_agree(review=review, data=METHODOLOGY, by=manager)
    services.group_member_add(
        review=review,
        group="review",
        name="Pat Fictional",
        role="Detective Inspector",
        agency=world.police,
        seniority="Head of the public protection unit",
        involvement="",
        by=manager,
    )
    services.family_engagement_record(
        review=review,
        kind="informed",
        on=timezone.localdate(),
        family_member="Mother",
        by_whom="Business Manager (fictional)",
        summary="Told about the review by letter and a visit.",
        consent="",
        by=manager,
    )
    services.chronology_template_agree(
        review=review,
        chronology_from=D(2025, 1, 1),
        chronology_to=D(2026, 10, 31),
        guidance="One row per contact.",
        by=manager,
    )
    review.refresh_from_db()
    return review


def start(world, review):
    return services.local_review_start(
        review=review,
        started_on=timezone.localdate(),
        monitoring_interval_weeks=4,
        by=world["business_manager"],
    )


def pdf_upload(name="report-v1.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def upload_draft(world, review):
    services.report_draft_upload(
        review=review, upload=pdf_upload(), note="First full draft", by=world["reviewer"]
    )
    review.refresh_from_db()
    return review


ALL_MET = {
    point: {"met": True, "comment": "Yes (fictional)."}
    for point in (
        "answered",
        "in_scope",
        "methodology",
        "accurate",
        "evidenced",
        "language",
        "publishable",
    )
}


def assure(world, review):
    services.quality_assurance_record(
        review=review,
        draft=review.drafts.first(),
        answers=ALL_MET,
        decision="ready",
        note="",
        by=world["subgroup_chair"],
    )
    review.refresh_from_db()
    return review


def approve(world, review):
    return services.report_approve(review=review, by=world["executive"])


PLAN = {
    "legal_advice_taken": True,
    "legal_advice_on": None,  # today, when planned
    "legal_advice": "Publish with the names removed (fictional).",
    "communications_advice": "A press statement on the day.",
    "wider_agencies_informed": "All partner agencies.",
    "impact_on_family": "The family's named contact meets them first.",
    "impact_on_practitioners": "Practitioners are briefed the week before.",
    "impact_on_others": "",
    "family_named_contact": "Business Manager (fictional)",
    "planned_on": None,  # 30 days from today, unless given
}


def plan(world, review, planned_on=None):
    today = timezone.localdate()
    services.publication_plan_save(
        review=review,
        data=PLAN
        | {
            "legal_advice_on": today,
            "planned_on": planned_on or today + datetime.timedelta(days=30),
        },
        by=world["business_manager"],
    )
    review.refresh_from_db()
    return review


def send_copies(world, review, on=None):
    """The final copy to the Panel and the Secretary of State, on `on` (default today)."""
    on = on or timezone.localdate()
    services.final_copy_record(
        review=review, panel_sent_on=on, secretary_of_state_sent_on=on, by=world["business_manager"]
    )
    review.refresh_from_db()
    return review


# --- Whole states, from a case that has only its child record.


def commissioned(world):
    agreed(world)
    return commission(world)


def ready_to_start(world):
    """Commissioned, with everything the start needs."""
    review = commissioned(world)
    appoint(world, review)
    agree_terms(world, review)
    return prepare(world, review)


def started(world):
    return start(world, ready_to_start(world))


def drafted(world):
    return upload_draft(world, started(world))


def quality_assured(world):
    return assure(world, drafted(world))


def approved(world):
    return approve(world, quality_assured(world))


def planned(world, planned_on=None):
    return plan(world, approved(world), planned_on)
