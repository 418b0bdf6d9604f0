"""The independent reviewer (R6): the appointment with its five considerations, the access
it grants to this case only, its end, a sign-in for a new reviewer, and the terms of
reference agreed by the sub-group chair and the reviewer."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from cspr import access as case_access
from cspr.concurrency import EditConflict
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import EventKind, Role, User
from reviews import services
from reviews.models import ReviewerAppointment, TermsOfReference
from reviews.services.terms import terms_version
from tests.conftest import fresh
from tests.factories import CaseFactory, UserFactory
from tests.reviews import builders
from tests.reviews.conftest import changed_by, last_event, refused

pytestmark = pytest.mark.usefixtures("today")

D = datetime.date
TODAY = D(2026, 12, 4)
AGREED_BY_BOTH = "agreed by the sub-group chair and the reviewer"
DRAFTERS = ("business_manager", "subgroup_member", "subgroup_chair")
CONFLICT = {
    "declared": True,
    "details": "Supervised the social worker in 2019 (fictional).",
    "decision": "Not close enough to affect the review; the chair reads each draft.",
}


def manager(world):
    return world["business_manager"]


def a_reviewer(world, partnership=None, **kwargs):
    """An independent reviewer who has not been given any case."""
    return UserFactory(
        partnership=partnership or world.partnership, roles=[Role.INDEPENDENT_REVIEWER], **kwargs
    )


def appoint(world, review, reviewer=None, considerations=None, conflict=None, **kwargs):
    return services.reviewer_appoint(
        review=review,
        reviewer=reviewer or world["reviewer"],
        appointed_on=kwargs.pop("appointed_on", D(2026, 12, 4)),
        considerations=builders.CONSIDERATIONS if considerations is None else considerations,
        conflict=builders.NO_CONFLICT if conflict is None else conflict,
        by=kwargs.pop("by", manager(world)),
    )


def end(world, appointment, ended_on=TODAY, reason="Withdrew (fictional).", by=None):
    return services.appointment_end(
        appointment=appointment, ended_on=ended_on, reason=reason, by=by or manager(world)
    )


@pytest.fixture
def commissioned(world):
    return builders.commissioned(world)


@pytest.fixture
def appointed(world, commissioned):
    builders.appoint(world, commissioned)
    return commissioned


# ------------------------------------------------------------------------- appointment


def test_it_appoints_the_reviewer_with_the_five_considerations(world, commissioned):
    appointment = appoint(world, commissioned)
    assert appointment.reviewer == world["reviewer"]
    assert appointment.research_knowledge == builders.CONSIDERATIONS["research_knowledge"]
    assert not appointment.conflict_declared
    assert services.current_appointment(commissioned) == appointment
    event = last_event(world.case, EventKind.REVIEWER_APPOINTED)
    assert event.by == manager(world)
    assert event.note == "No conflict of interest declared."
    assert changed_by(appointment) == manager(world)


@pytest.mark.parametrize("consideration", list(builders.CONSIDERATIONS))
def test_each_consideration_must_be_recorded(world, commissioned, consideration):
    with pytest.raises(Incomplete) as refusal:
        appoint(
            world,
            commissioned,
            considerations={**builders.CONSIDERATIONS, consideration: "  "},
        )
    assert set(refusal.value.fields) == {consideration}
    assert not ReviewerAppointment.objects.exists()


@pytest.mark.parametrize("missing", ["details", "decision"])
def test_a_declared_conflict_needs_its_details_and_the_groups_decision(
    world, commissioned, missing
):
    with pytest.raises(Incomplete) as refusal:
        appoint(world, commissioned, conflict={**CONFLICT, missing: ""})
    assert set(refusal.value.fields) == {f"conflict_{missing}"}
    assert not ReviewerAppointment.objects.exists()


def test_a_declared_conflict_is_kept_with_the_decision(world, commissioned):
    appointment = appoint(world, commissioned, conflict=CONFLICT)
    assert appointment.conflict_declared
    assert appointment.conflict_decision == CONFLICT["decision"]
    assert CONFLICT["decision"] in last_event(world.case, EventKind.REVIEWER_APPOINTED).note


def test_a_conflict_not_declared_keeps_no_details(world, commissioned):
    appointment = appoint(world, commissioned, conflict={**CONFLICT, "declared": False})
    assert (appointment.conflict_details, appointment.conflict_decision) == ("", "")


@pytest.mark.parametrize(
    "who",
    ["subgroup_member", "another_partnerships_reviewer", "inactive_reviewer"],
)
def test_the_reviewer_must_be_an_active_independent_reviewer_of_the_partnership(
    world, commissioned, who
):
    person = {
        "subgroup_member": lambda: world["subgroup_member"],
        "another_partnerships_reviewer": lambda: a_reviewer(world, world.other_partnership),
        "inactive_reviewer": lambda: a_reviewer(world, is_active=False),
    }[who]()
    with pytest.raises(Incomplete) as refusal:
        appoint(world, commissioned, reviewer=person)
    assert set(refusal.value.fields) == {"reviewer"}
    assert not ReviewerAppointment.objects.exists()


def test_the_appointment_cannot_be_dated_in_the_future(world, commissioned):
    with pytest.raises(Incomplete) as refusal:
        appoint(world, commissioned, appointed_on=D(2026, 12, 5))
    assert set(refusal.value.fields) == {"appointed_on"}


def test_a_review_has_one_current_reviewer(world, appointed):
    with pytest.raises(TransitionNotAllowed, match="has a reviewer"):
        appoint(world, appointed, reviewer=a_reviewer(world))
    assert ReviewerAppointment.objects.filter(review=appointed).count() == 1


def test_another_reviewer_may_be_appointed_once_the_appointment_ends(world, appointed):
    end(world, services.current_appointment(appointed))
    successor = a_reviewer(world)
    appointment = appoint(world, appointed, reviewer=successor)
    assert services.current_appointment(appointed) == appointment


def test_the_appointment_lets_the_reviewer_see_this_case_and_no_other(world, commissioned):
    reviewer = a_reviewer(world)
    another_case = CaseFactory(partnership=world.partnership, pseudonym="Child P")
    assert not case_access.can(reviewer, case_access.VIEW, world.case)
    appoint(world, commissioned, reviewer=reviewer)
    reviewer = fresh(reviewer)
    assert case_access.can(reviewer, case_access.VIEW, world.case)
    assert not case_access.can(reviewer, case_access.VIEW, another_case)
    assert list(case_access.cases_visible_to(reviewer)) == [world.case]
    assert last_event(world.case, EventKind.ACCESS_GRANTED).by == manager(world)


def test_ending_the_appointment_takes_the_case_away_from_the_reviewer(world, commissioned):
    reviewer = a_reviewer(world)
    appointment = appoint(world, commissioned, reviewer=reviewer)
    end(world, appointment)
    assert not case_access.can(fresh(reviewer), case_access.VIEW, world.case)
    assert last_event(world.case, EventKind.ACCESS_REVOKED).by == manager(world)


def test_ending_the_appointment_records_when_why_and_who(world, appointed):
    appointment = end(world, services.current_appointment(appointed))
    appointment.refresh_from_db()
    assert (appointment.ended_on, appointment.ended_reason, appointment.ended_by) == (
        D(2026, 12, 4),
        "Withdrew (fictional).",
        manager(world),
    )
    assert services.current_appointment(appointed) is None
    assert last_event(world.case, EventKind.REVIEWER_APPOINTMENT_ENDED).by == manager(world)
    assert changed_by(appointment) == manager(world)


def test_ending_an_appointment_needs_the_reason(world, appointed):
    with pytest.raises(Incomplete) as refusal:
        end(world, services.current_appointment(appointed), reason=" ")
    assert set(refusal.value.fields) == {"reason"}
    assert services.current_appointment(appointed) is not None


def test_an_appointment_cannot_end_before_it_began(world, appointed):
    with pytest.raises(Incomplete) as refusal:
        end(world, services.current_appointment(appointed), ended_on=D(2026, 12, 3))
    assert set(refusal.value.fields) == {"ended_on"}


def test_an_appointment_ends_once(world, appointed):
    appointment = services.current_appointment(appointed)
    end(world, appointment)
    with pytest.raises(TransitionNotAllowed, match="already ended"):
        end(world, appointment)


def test_a_reviewer_no_longer_appointed_cannot_act_as_the_reviewer(world, appointed):
    end(world, services.current_appointment(appointed))
    terms = services.terms_save(
        review=appointed, fields=builders.TERMS, change_note="", by=manager(world)
    )
    with pytest.raises(TransitionNotAllowed, match=AGREED_BY_BOTH):
        services.terms_agree(terms=terms, by=fresh(world["reviewer"]))


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_appoints_the_reviewer(world, commissioned, persona):
    reviewer = a_reviewer(world)
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        appoint(world, commissioned, reviewer=reviewer, by=world[persona])
    assert not ReviewerAppointment.objects.exists()
    assert not case_access.can(fresh(reviewer), case_access.VIEW, world.case)


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_business_unit_ends_an_appointment(world, appointed, persona):
    appointment = services.current_appointment(appointed)
    with pytest.raises(TransitionNotAllowed, match="Only the business unit"):
        end(world, appointment, by=world[persona])
    assert services.current_appointment(appointed) == appointment


# --------------------------------------------------------------------- reviewer account


def create_account(world, email="sam.example@example.org", by=None, partnership=None):
    return services.reviewer_account_create(
        partnership=partnership or world.partnership,
        first_name="Sam",
        last_name="Example",
        email=email,
        by=by or manager(world),
    )


def test_a_new_reviewer_gets_a_sign_in_with_the_reviewer_role_only(world):
    user = create_account(world)
    user = fresh(user)
    assert user.roles == {Role.INDEPENDENT_REVIEWER}
    assert user.partnership == world.partnership
    assert (user.first_name, user.last_name, user.email) == (
        "Sam",
        "Example",
        "sam.example@example.org",
    )
    assert user.is_active
    assert changed_by(user) == manager(world)


def test_a_new_reviewer_sees_no_case_until_appointed(world):
    user = fresh(create_account(world))
    assert not case_access.cases_visible_to(user).exists()


def test_the_invitation_is_sent_only_when_the_account_is_saved(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        create_account(world)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["sam.example@example.org"]]


def test_the_invitation_links_to_choosing_a_password_on_the_site(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://cspr.northtown.example"
    with django_capture_on_commit_callbacks(execute=True):
        user = create_account(world)
    (message,) = mail.outbox
    link = re.search(r"https://cspr\.northtown\.example/\S+", message.body).group(0)
    uid, token = urlsplit(link).path.strip("/").split("/")[-2:]
    assert force_str(urlsafe_base64_decode(uid)) == str(user.pk)
    assert default_token_generator.check_token(fresh(user), token)


def test_an_e_mail_address_already_in_use_is_refused(world, django_capture_on_commit_callbacks):
    world["subgroup_member"].email = "Jo.Member@example.org"
    world["subgroup_member"].save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Incomplete) as refusal:
        create_account(world, email="jo.member@EXAMPLE.org")
    assert set(refusal.value.fields) == {"email"}
    assert mail.outbox == []
    assert not User.objects.filter(first_name="Sam", last_name="Example").exists()


@pytest.mark.parametrize("field", ["first_name", "last_name", "email"])
def test_the_account_needs_a_name_and_an_address(world, field):
    fields = {"first_name": "Sam", "last_name": "Example", "email": "sam@example.org", field: ""}
    with pytest.raises(Incomplete) as refusal:
        services.reviewer_account_create(partnership=world.partnership, by=manager(world), **fields)
    assert set(refusal.value.fields) == {field}


@pytest.mark.parametrize("persona", refused("business_manager"))
def test_only_the_partnerships_business_unit_adds_a_reviewer(
    world, persona, django_capture_on_commit_callbacks
):
    refusal = "Only the partnership's business unit"
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(TransitionNotAllowed, match=refusal),
    ):
        create_account(world, by=world[persona])
    assert not User.objects.filter(email="sam.example@example.org").exists()
    assert mail.outbox == []


def test_no_invitation_goes_to_an_account_since_deactivated(world):
    user = create_account(world)
    user.is_active = False
    user.save()
    assert services.reviewer_invitation_send(user=user) is False
    assert mail.outbox == []


# ------------------------------------------------------------------ terms of reference


def save_terms(world, review, persona="subgroup_chair", version=None, **changes):
    return services.terms_save(
        review=review,
        fields={**builders.TERMS, **changes},
        change_note="A change (fictional).",
        by=world[persona],
        version=version,
    )


def agree(world, terms, persona):
    return services.terms_agree(terms=terms, by=world[persona])


def test_saving_the_terms_makes_version_one(world, appointed):
    terms = save_terms(world, appointed)
    assert (terms.number, terms.saved_by) == (1, world["subgroup_chair"])
    assert not terms.is_agreed
    assert last_event(world.case, EventKind.TERMS_DRAFTED).by == world["subgroup_chair"]
    assert changed_by(terms) == world["subgroup_chair"]


def test_each_save_is_a_new_version_and_the_old_one_stays(world, appointed):
    first = save_terms(world, appointed)
    second = save_terms(world, appointed, persona="subgroup_member", scope="Police only.")
    assert second.number == 2
    first.refresh_from_db()
    assert first.scope == builders.TERMS["scope"]
    assert TermsOfReference.objects.filter(review=appointed).count() == 2


def test_saving_terms_that_did_not_change_is_refused(world, appointed):
    save_terms(world, appointed)
    with pytest.raises(TransitionNotAllowed, match="Nothing has changed since version 1"):
        save_terms(world, appointed)
    assert TermsOfReference.objects.filter(review=appointed).count() == 1


def test_the_terms_need_key_lines_of_enquiry(world, appointed):
    with pytest.raises(Incomplete) as refusal:
        save_terms(world, appointed, key_lines_of_enquiry="")
    assert set(refusal.value.fields) == {"key_lines_of_enquiry"}


def test_the_period_looked_at_must_end_after_it_starts(world, appointed):
    with pytest.raises(Incomplete) as refusal:
        save_terms(world, appointed, period_from=D(2026, 1, 1), period_to=D(2025, 1, 1))
    assert set(refusal.value.fields) == {"period_to"}


def test_a_version_saved_after_the_page_opened_is_an_edit_conflict(world, appointed):
    opened = terms_version(appointed)
    save_terms(world, appointed, persona="subgroup_member")
    with pytest.raises(EditConflict, match="saved a new version of the terms"):
        save_terms(world, appointed, version=opened, scope="Health only.")
    assert TermsOfReference.objects.filter(review=appointed).count() == 1
    assert save_terms(world, appointed, version=terms_version(appointed), scope="x").number == 2


def test_only_the_newest_version_can_be_agreed(world, appointed):
    first = save_terms(world, appointed)
    save_terms(world, appointed, scope="Police only.")
    with pytest.raises(TransitionNotAllowed, match="Version 2 is newer"):
        agree(world, first, "subgroup_chair")
    first.refresh_from_db()
    assert first.chair_agreed_at is None


@pytest.mark.parametrize("persona", ["subgroup_chair", "reviewer"])
def test_the_chair_and_the_reviewer_each_agree_once(world, appointed, persona):
    terms = save_terms(world, appointed)
    agree(world, terms, persona)
    with pytest.raises(TransitionNotAllowed, match="already agreed version 1"):
        agree(world, terms, persona)


@pytest.mark.parametrize("persona", ["subgroup_chair", "reviewer"])
def test_one_side_agreeing_does_not_make_the_terms_agreed(world, appointed, persona):
    terms = agree(world, save_terms(world, appointed), persona)
    assert not terms.is_agreed
    assert services.agreed_terms(appointed) is None
    assert last_event(world.case, EventKind.TERMS_AGREED).by == world[persona]
    assert changed_by(terms) == world[persona]


def test_the_terms_are_agreed_when_both_have_agreed(world, appointed):
    terms = save_terms(world, appointed)
    agree(world, terms, "reviewer")
    terms = agree(world, terms, "subgroup_chair")
    assert terms.is_agreed
    assert (terms.chair_agreed_by, terms.reviewer_agreed_by) == (
        world["subgroup_chair"],
        world["reviewer"],
    )
    assert services.agreed_terms(appointed) == terms
    assert "now the review's" in last_event(world.case, EventKind.TERMS_AGREED).summary


def test_a_change_after_agreement_is_a_new_version_and_the_agreed_one_stays(world, appointed):
    agreed = builders.agree_terms(world, appointed)
    later = save_terms(world, appointed, scope="Police, health, children's services, schools.")
    agreed.refresh_from_db()
    assert agreed.scope == builders.TERMS["scope"]
    assert agreed.is_agreed
    assert (later.number, later.is_agreed) == (2, False)
    assert services.agreed_terms(appointed) == agreed


def test_the_terms_no_longer_change_once_the_report_is_approved(world):
    review = builders.approved(world)
    with pytest.raises(TransitionNotAllowed, match="no longer change"):
        save_terms(world, review, scope="Later (fictional).")


@pytest.mark.parametrize("persona", refused(*DRAFTERS))
def test_only_the_business_unit_and_the_sub_group_draft_the_terms(world, appointed, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the business unit and the sub-group"):
        save_terms(world, appointed, persona=persona)
    assert not TermsOfReference.objects.exists()


@pytest.mark.parametrize("persona", refused("subgroup_chair", "reviewer"))
def test_only_the_chair_and_the_reviewer_agree_the_terms(world, appointed, persona):
    terms = save_terms(world, appointed)
    with pytest.raises(TransitionNotAllowed, match=AGREED_BY_BOTH):
        agree(world, terms, persona)
    terms.refresh_from_db()
    assert (terms.chair_agreed_at, terms.reviewer_agreed_at) == (None, None)


def test_a_reviewer_who_was_never_appointed_cannot_agree_the_terms(world, commissioned):
    terms = save_terms(world, commissioned)
    with pytest.raises(TransitionNotAllowed, match=AGREED_BY_BOTH):
        agree(world, terms, "reviewer")


def test_an_appointment_needs_its_date(world):
    review = builders.commissioned(world)
    with pytest.raises(Incomplete) as refusal:
        services.reviewer_appoint(
            review=review,
            reviewer=world["reviewer"],
            appointed_on=None,
            considerations=builders.CONSIDERATIONS,
            conflict=builders.NO_CONFLICT,
            by=world["business_manager"],
        )
    assert set(refusal.value.fields) == {"appointed_on"}
    assert not review.appointments.exists()


def test_ending_an_appointment_needs_its_date_and_keeps_the_access_until_then(world):
    review = builders.commissioned(world)
    appointment = builders.appoint(world, review)
    with pytest.raises(Incomplete) as refusal:
        services.appointment_end(
            appointment=appointment, ended_on=None, reason="Withdrew", by=world["business_manager"]
        )
    assert set(refusal.value.fields) == {"ended_on"}
    appointment.refresh_from_db()
    assert appointment.is_current
    assert case_access.can(fresh(world["reviewer"]), case_access.VIEW, world.case)
