"""Commissioning a local review (R5, R6): only after the Panel agrees one; the methodology,
the chronology template, the two groups, the family log, the start with its six-month
target, and the letters that the review has started."""

import datetime

import pytest

from cspr.deadline_rules import Rule
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import DeadlineStatus, EventKind
from rapid_reviews import services as rapid
from reviews import services
from reviews.models import (
    GroupKind,
    LetterKind,
    LocalReview,
    Methodology,
    ProcessKind,
    ReviewStatus,
    StartLetter,
)
from tests.factories import AgencyFactory
from tests.reviews import builders
from tests.reviews.conftest import changed_by, last_event, refused, stored_files, travel

pytestmark = pytest.mark.usefixtures("today")

D = datetime.date
TODAY = D(2026, 12, 4)
CHRONOLOGY = (D(2025, 1, 1), D(2026, 10, 31))
MONITORING_WEEKS = 4


def manager(world):
    return world["business_manager"]


def agree_methodology(world, review, **changes):
    return services.methodology_agree(
        review=review, data={**builders.METHODOLOGY, **changes}, by=manager(world)
    )


def add_member(world, review, group="review", **changes):
    fields = {
        "group": group,
        "name": "Jo Fictional",
        "role": "Service manager",
        "agency": world.health,
        "seniority": "Head of safeguarding" if group == "review" else "",
        "involvement": "Health visitor to the family" if group == "practitioner" else "",
        **changes,
    }
    return services.group_member_add(review=review, by=manager(world), **fields)


def log_family(world, review, kind="informed", **changes):
    fields = {
        "kind": kind,
        "on": D(2026, 12, 3),
        "family_member": "Mother",
        "by_whom": "Business Manager (fictional)",
        "summary": "Told about the review at a home visit.",
        "consent": "",
        **changes,
    }
    return services.family_engagement_record(review=review, by=manager(world), **fields)


def agree_chronology(world, review, start=CHRONOLOGY[0], end=CHRONOLOGY[1]):
    return services.chronology_template_agree(
        review=review,
        chronology_from=start,
        chronology_to=end,
        guidance="One row per contact.",
        by=manager(world),
    )


def start(world, review, started_on=TODAY, weeks=MONITORING_WEEKS, by=None):
    return services.local_review_start(
        review=review,
        started_on=started_on,
        monitoring_interval_weeks=weeks,
        by=by or manager(world),
    )


def joint_review(world, **changes):
    """An open domestic homicide review of the case, reviewed jointly with the CSPR."""
    data = {
        "kind": ProcessKind.DOMESTIC_HOMICIDE_REVIEW,
        "lead_body": "Northtown Community Safety Partnership",
        "victim_aged_16_or_over": True,
        "referred_on": D(2026, 11, 20),
        "referred_to": "Community Safety Partnership",
        "is_joint_review": True,
        **changes,
    }
    return services.parallel_process_record(case=world.case, data=data, by=manager(world))


@pytest.fixture
def commissioned(world):
    return builders.commissioned(world)


@pytest.fixture
def ready(world):
    return builders.ready_to_start(world)


# ----------------------------------------------------------------------- commissioning


def test_it_commissions_the_local_review_once_the_panel_agrees_one(world):
    builders.agreed(world)
    review = services.local_review_commission(case=world.case, by=manager(world))
    assert review.status == ReviewStatus.COMMISSIONING
    assert review.commissioned_by == manager(world)
    assert last_event(world.case, EventKind.LOCAL_REVIEW_COMMISSIONED).by == manager(world)
    assert changed_by(review) == manager(world)


def test_it_refuses_to_commission_while_the_case_is_at_rapid_review(world):
    from tests.rapid_reviews.test_rapid_reviews import notify

    notify(world)
    rapid.rapid_review_open(case=world.case, by=manager(world))
    with pytest.raises(TransitionNotAllowed, match="only after the Panel's response agreeing"):
        services.local_review_commission(case=world.case, by=manager(world))
    assert not LocalReview.objects.filter(case=world.case).exists()


@pytest.mark.parametrize("outcome", ["national_review", "agrees_no_cspr", "reconsider"])
def test_it_refuses_to_commission_unless_the_panel_agreed_a_local_review(world, outcome):
    builders.agreed(world, outcome=outcome)
    with pytest.raises(TransitionNotAllowed, match="only after the Panel's response agreeing"):
        services.local_review_commission(case=world.case, by=manager(world))
    assert not LocalReview.objects.filter(case=world.case).exists()


def test_it_refuses_to_commission_when_the_panels_latest_response_no_longer_agrees(world):
    rapid_review = builders.agreed(world)
    rapid.panel_response_record(
        rapid_review=rapid_review,
        outcome="more_information",
        letter_date=D(2026, 12, 4),
        received_on=D(2026, 12, 4),
        text="The Panel asks for more (fictional).",
        information_due_on=D(2026, 12, 18),
        by=manager(world),
    )
    with pytest.raises(TransitionNotAllowed, match="only after the Panel's response agreeing"):
        services.local_review_commission(case=world.case, by=manager(world))


def test_it_commissions_a_case_once(world, commissioned):
    with pytest.raises(TransitionNotAllowed, match="already been commissioned"):
        services.local_review_commission(case=world.case, by=manager(world))
    assert LocalReview.objects.filter(case=world.case).count() == 1


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_commissions(world, persona):
    builders.agreed(world)
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        services.local_review_commission(case=world.case, by=world[persona])
    assert not LocalReview.objects.filter(case=world.case).exists()


# ------------------------------------------------------------------------- methodology


def test_it_records_the_methodology_and_how_it_meets_each_commitment(world, commissioned):
    review = agree_methodology(world, commissioned)
    review.refresh_from_db()
    assert review.methodology == Methodology.SILP
    assert review.systems_approach == builders.METHODOLOGY["systems_approach"]
    assert review.methodology_is_agreed
    assert review.methodology_agreed_by == manager(world)
    assert last_event(world.case, EventKind.METHODOLOGY_AGREED).by == manager(world)
    assert changed_by(review) == manager(world)


def test_it_needs_a_methodology_chosen(world, commissioned):
    with pytest.raises(Incomplete) as refusal:
        agree_methodology(world, commissioned, methodology="")
    assert set(refusal.value.fields) == {"methodology"}


@pytest.mark.parametrize("methodology", [Methodology.BESPOKE, Methodology.HYBRID])
def test_a_bespoke_or_hybrid_approach_needs_to_say_how_it_works(world, commissioned, methodology):
    with pytest.raises(Incomplete) as refusal:
        agree_methodology(world, commissioned, methodology=methodology, methodology_detail=" ")
    assert set(refusal.value.fields) == {"methodology_detail"}
    review = agree_methodology(
        world, commissioned, methodology=methodology, methodology_detail="SILP with interviews."
    )
    assert review.methodology_detail == "SILP with interviews."


@pytest.mark.parametrize(
    "commitment",
    ["family_engagement", "practitioner_engagement", "systems_approach", "quality_markers"],
)
def test_the_methodology_must_show_each_commitment(world, commissioned, commitment):
    with pytest.raises(Incomplete) as refusal:
        agree_methodology(world, commissioned, **{commitment: ""})
    assert set(refusal.value.fields) == {commitment}
    commissioned.refresh_from_db()
    assert not commissioned.methodology_is_agreed


def test_a_joint_review_methodology_says_how_it_meets_both_reviews(world, commissioned):
    joint_review(world)
    with pytest.raises(Incomplete) as refusal:
        agree_methodology(world, commissioned)
    assert set(refusal.value.fields) == {"joint_review_note"}
    review = agree_methodology(
        world, commissioned, joint_review_note="One panel meets the DHR statutory guidance too."
    )
    assert review.methodology_is_agreed


def test_the_methodology_is_fixed_once_the_review_has_started(world):
    review = builders.started(world)
    with pytest.raises(TransitionNotAllowed, match="fixed when the review started"):
        agree_methodology(world, review, methodology=Methodology.LEARNING_TOGETHER)
    review.refresh_from_db()
    assert review.methodology == Methodology.SILP


def test_a_methodology_changed_since_the_page_opened_is_not_overwritten(world, commissioned):
    from cspr.concurrency import EditConflict
    from reviews.services.commissioning import METHODOLOGY_FIELDS, fields_version

    opened = fields_version(commissioned, METHODOLOGY_FIELDS)
    agree_methodology(world, commissioned)
    with pytest.raises(EditConflict):
        services.methodology_agree(
            review=commissioned,
            data={**builders.METHODOLOGY, "methodology": Methodology.LEARNING_TOGETHER},
            by=manager(world),
            version=opened,
        )
    commissioned.refresh_from_db()
    assert commissioned.methodology == Methodology.SILP


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_records_the_methodology(world, commissioned, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        services.methodology_agree(
            review=commissioned, data=builders.METHODOLOGY, by=world[persona]
        )
    commissioned.refresh_from_db()
    assert not commissioned.methodology_is_agreed


# --------------------------------------------------------------------- chronology template


def test_it_agrees_the_chronology_template(world, commissioned):
    review = agree_chronology(world, commissioned)
    review.refresh_from_db()
    assert (review.chronology_from, review.chronology_to) == (D(2025, 1, 1), D(2026, 10, 31))
    assert review.chronology_is_agreed
    assert last_event(world.case, EventKind.CHRONOLOGY_TEMPLATE_AGREED).by == manager(world)
    assert changed_by(review) == manager(world)


def test_the_chronology_must_end_after_it_starts(world, commissioned):
    with pytest.raises(Incomplete) as refusal:
        agree_chronology(world, commissioned, start=D(2026, 10, 31), end=D(2025, 1, 1))
    assert set(refusal.value.fields) == {"chronology_to"}


def test_the_chronology_needs_both_dates(world, commissioned):
    with pytest.raises(Incomplete) as refusal:
        agree_chronology(world, commissioned, start=None, end=None)
    assert set(refusal.value.fields) == {"chronology_from", "chronology_to"}


def test_the_chronology_template_is_fixed_once_the_review_has_started(world):
    review = builders.started(world)
    with pytest.raises(TransitionNotAllowed, match="fixed when the review started"):
        agree_chronology(world, review, start=D(2024, 1, 1))


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_agrees_the_chronology_template(world, commissioned, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        services.chronology_template_agree(
            review=commissioned,
            chronology_from=D(2025, 1, 1),
            chronology_to=D(2026, 10, 31),
            guidance="",
            by=world[persona],
        )


# ------------------------------------------------------------------------------ groups


def test_it_adds_a_manager_to_the_review_group(world, commissioned):
    member = add_member(world, commissioned)
    assert (member.group, member.seniority, member.added_by) == (
        GroupKind.REVIEW,
        "Head of safeguarding",
        manager(world),
    )
    assert last_event(world.case, EventKind.GROUP_CHANGED).by == manager(world)
    assert changed_by(member) == manager(world)


def test_the_review_group_needs_managers_of_sufficient_seniority(world, commissioned):
    with pytest.raises(Incomplete) as refusal:
        add_member(world, commissioned, seniority=" ")
    assert set(refusal.value.fields) == {"seniority"}
    assert not commissioned.members.exists()


def test_the_practitioner_group_needs_their_work_with_the_family(world, commissioned):
    with pytest.raises(Incomplete) as refusal:
        add_member(world, commissioned, group="practitioner", involvement="")
    assert set(refusal.value.fields) == {"involvement"}
    member = add_member(world, commissioned, group="practitioner")
    assert member.involvement == "Health visitor to the family"


def test_a_group_member_comes_from_an_agency_of_the_partnership(world, commissioned):
    elsewhere = AgencyFactory(partnership=world.other_partnership, name="Southvale Police")
    with pytest.raises(Incomplete) as refusal:
        add_member(world, commissioned, agency=elsewhere)
    assert set(refusal.value.fields) == {"agency"}


def test_removing_a_member_keeps_the_row_with_who_removed_them(world, commissioned):
    member = add_member(world, commissioned)
    services.group_member_remove(member=member, by=manager(world))
    member.refresh_from_db()
    assert member.removed_at is not None
    assert member.removed_by == manager(world)
    assert commissioned.members.filter(pk=member.pk).exists()
    assert "left the review group" in last_event(world.case, EventKind.GROUP_CHANGED).summary
    assert changed_by(member) == manager(world)


def test_a_member_is_removed_once(world, commissioned):
    member = add_member(world, commissioned)
    services.group_member_remove(member=member, by=manager(world))
    with pytest.raises(TransitionNotAllowed, match="already left"):
        services.group_member_remove(member=member, by=manager(world))


def test_the_groups_no_longer_change_once_the_report_is_approved(world):
    review = builders.approved(world)
    with pytest.raises(TransitionNotAllowed, match="report is approved"):
        add_member(world, review)


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_adds_to_a_group(world, commissioned, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        services.group_member_add(
            review=commissioned,
            group="review",
            name="Jo Fictional",
            role="Service manager",
            agency=world.health,
            seniority="Head of safeguarding",
            involvement="",
            by=world[persona],
        )
    assert not commissioned.members.exists()


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_removes_from_a_group(world, commissioned, persona):
    member = add_member(world, commissioned)
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        services.group_member_remove(member=member, by=world[persona])
    member.refresh_from_db()
    assert member.removed_at is None


# -------------------------------------------------------------------------- family log


def test_it_logs_that_the_family_was_told(world, commissioned):
    entry = log_family(world, commissioned)
    assert (entry.kind, entry.on, entry.recorded_by) == ("informed", D(2026, 12, 3), manager(world))
    assert last_event(world.case, EventKind.FAMILY_ENGAGEMENT).by == manager(world)
    assert changed_by(entry) == manager(world)


def test_a_consent_entry_needs_the_familys_consent(world, commissioned):
    with pytest.raises(Incomplete) as refusal:
        log_family(world, commissioned, kind="consent", consent="")
    assert set(refusal.value.fields) == {"consent"}
    entry = log_family(world, commissioned, kind="consent", consent="partial")
    assert entry.consent == "partial"
    assert "consent with conditions" in last_event(world.case, EventKind.FAMILY_ENGAGEMENT).summary


def test_not_contacting_the_family_needs_the_reason(world, commissioned):
    with pytest.raises(Incomplete, match="why the family is not contacted") as refusal:
        log_family(world, commissioned, kind="not_contacted", summary="")
    assert set(refusal.value.fields) == {"summary"}


def test_a_family_entry_cannot_be_dated_in_the_future(world, commissioned, today):
    with pytest.raises(Incomplete) as refusal:
        log_family(world, commissioned, on=today + datetime.timedelta(days=1))
    assert set(refusal.value.fields) == {"on"}
    assert not commissioned.family_log.exists()


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_records_contact_with_the_family(world, commissioned, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        services.family_engagement_record(
            review=commissioned,
            kind="informed",
            on=D(2026, 12, 3),
            family_member="Mother",
            by_whom="",
            summary="Told.",
            consent="",
            by=world[persona],
        )
    assert not commissioned.family_log.exists()


# ----------------------------------------------------------------------------- the start


def prepare_except(world, review, skip):
    """Commissioning done but for `skip` (one of the checklist's items)."""
    builders.appoint(world, review)
    if skip != "terms":
        builders.agree_terms(world, review)
    if skip == "reviewer":
        services.appointment_end(
            appointment=services.current_appointment(review),
            ended_on=D(2026, 12, 4),
            reason="Withdrew (fictional).",
            by=manager(world),
        )
    if skip != "methodology":
        agree_methodology(world, review)
    if skip != "group":
        add_member(world, review)
    if skip != "family":
        log_family(world, review)
    if skip != "chronology":
        agree_chronology(world, review)
    review.refresh_from_db()
    return review


CHECKLIST = {
    "reviewer": "appoint the independent reviewer",
    "terms": "agree the terms of reference with the reviewer",
    "methodology": "agree the methodology",
    "group": "form the review group",
    "family": "tell the family about the review",
    "chronology": "agree the chronology template",
}


@pytest.mark.parametrize("item", list(CHECKLIST))
def test_it_does_not_start_until_every_item_of_the_checklist_is_done(world, commissioned, item):
    review = prepare_except(world, commissioned, item)
    with pytest.raises(TransitionNotAllowed) as refusal:
        start(world, review)
    message = str(refusal.value)
    assert CHECKLIST[item] in message
    assert not [what for key, what in CHECKLIST.items() if key != item and what in message]
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMMISSIONING
    assert review.completion_deadline is None


def test_terms_agreed_by_the_chair_alone_do_not_let_the_review_start(world, commissioned):
    review = prepare_except(world, commissioned, "terms")
    terms = services.terms_save(
        review=review, fields=builders.TERMS, change_note="", by=world["subgroup_chair"]
    )
    services.terms_agree(terms=terms, by=world["subgroup_chair"])
    with pytest.raises(TransitionNotAllowed, match="agree the terms of reference"):
        start(world, review)


def test_a_practitioner_group_alone_does_not_form_the_review_group(world, commissioned):
    review = prepare_except(world, commissioned, "group")
    add_member(world, review, group="practitioner")
    with pytest.raises(TransitionNotAllowed, match="form the review group"):
        start(world, review)


def test_a_review_group_member_who_was_removed_does_not_count(world, ready):
    for member in ready.members.all():
        services.group_member_remove(member=member, by=manager(world))
    with pytest.raises(TransitionNotAllowed, match="form the review group"):
        start(world, ready)


def test_a_contact_with_the_family_is_not_telling_them_about_the_review(world, commissioned):
    review = prepare_except(world, commissioned, "family")
    log_family(world, review, kind="contact", summary="A phone call about the funeral.")
    with pytest.raises(TransitionNotAllowed, match="tell the family"):
        start(world, review)


def test_deciding_not_to_contact_the_family_yet_lets_the_review_start(world, commissioned):
    review = prepare_except(world, commissioned, "family")
    log_family(world, review, kind="not_contacted", summary="Police advise waiting until trial.")
    assert start(world, review).status == ReviewStatus.UNDER_WAY


def test_an_open_joint_review_needs_its_note_before_the_start(world, ready):
    joint_review(world)
    with pytest.raises(TransitionNotAllowed, match="meets both reviews' requirements"):
        start(world, ready)
    agree_methodology(world, ready, joint_review_note="Meets the DHR guidance too (fictional).")
    assert start(world, ready).status == ReviewStatus.UNDER_WAY


def test_a_concluded_joint_review_no_longer_needs_the_note(world, ready):
    process = joint_review(world)
    services.parallel_process_conclude(
        process=process, concluded_on=D(2026, 12, 4), outcome="Stood down.", by=manager(world)
    )
    assert start(world, ready).status == ReviewStatus.UNDER_WAY


def test_a_dhr_not_reviewed_jointly_needs_no_note(world, ready):
    joint_review(world, is_joint_review=False)
    assert start(world, ready).status == ReviewStatus.UNDER_WAY


def test_starting_sets_the_six_month_completion_target(world, ready):
    review = start(world, ready, started_on=D(2026, 12, 4))
    target = review.completion_deadline
    assert review.status == ReviewStatus.UNDER_WAY
    assert (review.started_on, review.started_by) == (D(2026, 12, 4), manager(world))
    assert (target.rule, target.anchor_date, target.due_on) == (
        Rule.CSPR_COMPLETION,
        D(2026, 12, 4),
        D(2027, 6, 4),
    )
    assert target.status == DeadlineStatus.OPEN
    assert last_event(world.case, EventKind.LOCAL_REVIEW_STARTED).by == manager(world)
    assert changed_by(review) == manager(world)


def test_the_target_counts_from_the_initiation_date_given(world):
    with travel(D(2026, 11, 30)):
        ready = builders.ready_to_start(world)
    review = start(world, ready, started_on=D(2026, 12, 1))
    assert review.completion_deadline.due_on == D(2027, 6, 1)


def test_starting_plans_the_first_monitoring_checkpoint(world, ready):
    review = start(world, ready, weeks=2)
    (checkpoint,) = review.checkpoints.all()
    assert checkpoint.deadline.rule == Rule.MONITORING_CHECKPOINT
    assert checkpoint.deadline.due_on == D(2026, 12, 18)
    assert not checkpoint.is_held


def test_the_start_date_cannot_be_before_commissioning(world, ready):
    with pytest.raises(Incomplete) as refusal:
        start(world, ready, started_on=D(2026, 12, 3))
    assert set(refusal.value.fields) == {"started_on"}


def test_the_start_date_cannot_be_in_the_future(world, ready):
    with pytest.raises(Incomplete) as refusal:
        start(world, ready, started_on=D(2026, 12, 7))
    assert set(refusal.value.fields) == {"started_on"}


@pytest.mark.parametrize("weeks", [0, 27])
def test_the_monitoring_interval_is_between_one_and_26_weeks(world, ready, weeks):
    with pytest.raises(Incomplete) as refusal:
        start(world, ready, weeks=weeks)
    assert set(refusal.value.fields) == {"monitoring_interval_weeks"}


def test_a_review_starts_once(world, ready):
    start(world, ready)
    with pytest.raises(TransitionNotAllowed, match="already started"):
        start(world, ready)
    assert ready.checkpoints.count() == 1


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_starts_the_review(world, ready, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        start(world, ready, by=world[persona])
    ready.refresh_from_db()
    assert ready.status == ReviewStatus.COMMISSIONING


# ----------------------------------------------------------------------------- letters


def prepare_letter(world, review, kind=LetterKind.AGENCY, agency=None, by=None):
    return services.letter_prepare(
        review=review,
        kind=kind,
        agency=world.police if agency is None and kind == LetterKind.AGENCY else agency,
        addressee="Head of Safeguarding (fictional)",
        organisation="",
        by=by or manager(world),
    )


def test_the_letters_wait_until_the_review_has_started(world, ready):
    with pytest.raises(TransitionNotAllowed, match="once the review has started"):
        prepare_letter(world, ready)
    assert not StartLetter.objects.exists()


def test_a_letter_to_an_agency_names_an_agency_of_the_partnership(world):
    review = builders.started(world)
    elsewhere = AgencyFactory(partnership=world.other_partnership, name="Southvale Health")
    with pytest.raises(Incomplete) as refusal:
        prepare_letter(world, review, agency=elsewhere)
    assert set(refusal.value.fields) == {"agency"}
    letter = prepare_letter(world, review)
    assert letter.organisation == "Northtown Police"


def test_a_letter_recorded_as_sent_keeps_the_pdf_sent(world, media):
    import hashlib

    review = builders.started(world)
    letter = prepare_letter(world, review)
    services.letter_record_sent(letter=letter, sent_on=D(2026, 12, 4), by=manager(world))
    letter.refresh_from_db()
    assert (letter.sent_on, letter.sent_by) == (D(2026, 12, 4), manager(world))
    kept = letter.copy.read()
    assert kept.startswith(b"%PDF-")
    assert hashlib.sha256(kept).hexdigest() == letter.copy_sha256
    assert len(stored_files(media)) == 1
    assert last_event(world.case, EventKind.LETTER_SENT).by == manager(world)
    assert changed_by(letter) == manager(world)


def test_a_letter_is_recorded_as_sent_once(world):
    review = builders.started(world)
    letter = prepare_letter(world, review, kind=LetterKind.REFERRER)
    services.letter_record_sent(letter=letter, sent_on=D(2026, 12, 4), by=manager(world))
    with pytest.raises(TransitionNotAllowed, match="already|recorded as sent"):
        services.letter_record_sent(letter=letter, sent_on=D(2026, 12, 4), by=manager(world))


def test_a_letter_saying_the_review_started_cannot_predate_the_start(world):
    with travel(D(2026, 11, 30)):
        ready = builders.ready_to_start(world)
    review = start(world, ready, started_on=D(2026, 12, 2))
    letter = prepare_letter(world, review)
    with pytest.raises(Incomplete) as refusal:
        services.letter_record_sent(letter=letter, sent_on=D(2026, 12, 1), by=manager(world))
    assert set(refusal.value.fields) == {"sent_on"}


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_prepares_the_letters(world, persona):
    review = builders.started(world)
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        prepare_letter(world, review, by=world[persona])


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_records_a_letter_as_sent(world, persona):
    review = builders.started(world)
    letter = prepare_letter(world, review)
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        services.letter_record_sent(letter=letter, sent_on=D(2026, 12, 4), by=world[persona])
    letter.refresh_from_db()
    assert not letter.is_sent


def test_nobody_leaves_a_group_once_the_report_is_approved(world):
    review = builders.approved(world)
    member = review.members.get()
    with pytest.raises(TransitionNotAllowed, match="can no longer change"):
        services.group_member_remove(member=member, by=world["business_manager"])
    member.refresh_from_db()
    assert member.removed_at is None
