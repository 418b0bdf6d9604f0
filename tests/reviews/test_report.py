"""The report (R9): drafts uploaded as numbered versions, the sub-group's quality
assurance of the newest, and the executive's approval or return."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import DeadlineStatus, EventKind
from reviews import services
from reviews.models import QualityAssurance, ReportDraft, ReviewStatus
from tests.reviews import builders
from tests.reviews.conftest import changed_by, last_event, refused, stored_files, travel

pytestmark = pytest.mark.usefixtures("today")

D = datetime.date
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
POINTS = list(builders.ALL_MET)


def word_package(parts=("[Content_Types].xml", "word/document.xml")):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for part in parts:
            package.writestr(part, "<?xml version='1.0'?><w:document/>")
    return buffer.getvalue()


def upload(world, review, persona="reviewer", file=None, note="Second thoughts (fictional)."):
    return services.report_draft_upload(
        review=review, upload=file or builders.pdf_upload(), note=note, by=world[persona]
    )


def assure(world, review, draft=None, answers=None, decision="ready", note="", persona=None):
    return services.quality_assurance_record(
        review=review,
        draft=draft or review.drafts.first(),
        answers=builders.ALL_MET if answers is None else answers,
        decision=decision,
        note=note,
        by=world[persona or "subgroup_chair"],
    )


@pytest.fixture
def started(world):
    return builders.started(world)


@pytest.fixture
def drafted(world):
    return builders.drafted(world)


@pytest.fixture
def assured(world):
    return builders.quality_assured(world)


# --------------------------------------------------------------------------------- drafts


def test_the_reviewer_uploads_a_pdf_as_version_one(world, started, media):
    draft = upload(world, started)
    assert (draft.number, draft.original_name, draft.content_type) == (
        1,
        "report-v1.pdf",
        "application/pdf",
    )
    assert draft.size == len(builders.PDF)
    assert draft.file.read() == builders.PDF
    (stored,) = stored_files(media)
    assert "report-v1" not in stored.name  # kept under a random name
    assert last_event(world.case, EventKind.DRAFT_UPLOADED).by == world["reviewer"]
    assert changed_by(draft) == world["reviewer"]


def test_a_word_document_is_accepted(world, started):
    file = SimpleUploadedFile("report.docx", word_package(), content_type="application/zip")
    draft = upload(world, started, file=file)
    assert draft.content_type == DOCX_TYPE


def test_each_upload_is_the_next_version(world, started):
    upload(world, started)
    second = upload(world, started, persona="business_manager")
    assert second.number == 2
    assert list(started.drafts.values_list("number", flat=True)) == [2, 1]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"A plain text file with a PDF name.", "must be a PDF or Word document"),
        ("report.pdf", b"MZ\x90\x00 an executable", "must be a PDF or Word document"),
        ("report.exe", b"%PDF-1.4 but named as a program", "must be a PDF or Word document"),
        ("report.txt", b"Some notes.", "must be a PDF or Word document"),
        ("report.docx", b"PK\x03\x04 not a Word package", "must be a PDF or Word document"),
        ("report.pdf", b"", "empty"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_word_document_is_refused_and_not_stored(
    world, started, media, name, content, message
):
    with pytest.raises(Incomplete, match=message) as refusal:
        upload(world, started, file=SimpleUploadedFile(name, content))
    assert set(refusal.value.fields) == {"file"}
    assert not ReportDraft.objects.exists()
    assert stored_files(media) == []


def test_a_zip_without_the_word_document_part_is_refused(world, started, media):
    file = SimpleUploadedFile("report.docx", word_package(parts=("[Content_Types].xml",)))
    with pytest.raises(Incomplete) as refusal:
        upload(world, started, file=file)
    assert set(refusal.value.fields) == {"file"}
    assert stored_files(media) == []


def test_a_draft_whose_record_fails_leaves_no_file_behind(world, started, media, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the timeline is unavailable")

    monkeypatch.setattr("reviews.services.report.record_event", broken)
    with pytest.raises(RuntimeError):
        upload(world, started)
    assert not ReportDraft.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("persona", refused("business_manager", "reviewer"))
def test_only_the_reviewer_or_the_business_unit_uploads_a_draft(world, started, media, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the reviewer, or the business unit"):
        upload(world, started, persona=persona)
    assert not ReportDraft.objects.exists()
    assert stored_files(media) == []


def test_a_reviewer_no_longer_appointed_uploads_nothing(world, started):
    services.appointment_end(
        appointment=services.current_appointment(started),
        ended_on=D(2026, 12, 4),
        reason="Withdrew (fictional).",
        by=world["business_manager"],
    )
    with pytest.raises(TransitionNotAllowed, match="Only the reviewer, or the business unit"):
        upload(world, started)


def test_drafts_wait_until_the_review_has_started(world, media):
    review = builders.commissioned(world)
    builders.appoint(world, review)
    with pytest.raises(TransitionNotAllowed, match="while the review is under way"):
        upload(world, review)
    assert stored_files(media) == []


@pytest.mark.parametrize("state", ["quality_assured", "approved"])
def test_no_draft_is_uploaded_once_the_report_has_passed_quality_assurance(world, media, state):
    review = getattr(builders, state)(world)
    with pytest.raises(TransitionNotAllowed, match="while the review is under way"):
        upload(world, review)
    assert review.drafts.count() == 1
    assert len(stored_files(media)) == 1


# --------------------------------------------------------------------- quality assurance


def test_the_chair_passes_the_newest_draft_to_the_executive(world, drafted):
    check = assure(world, drafted)
    drafted.refresh_from_db()
    assert drafted.status == ReviewStatus.READY_FOR_EXECUTIVE
    assert (check.draft, check.decision, check.recorded_by) == (
        drafted.drafts.get(),
        "ready",
        world["subgroup_chair"],
    )
    assert check.answers["accurate"] == {"met": True, "comment": "Yes (fictional)."}
    assert last_event(world.case, EventKind.QUALITY_ASSURED).by == world["subgroup_chair"]
    assert changed_by(check) == world["subgroup_chair"]
    assert changed_by(drafted) == world["subgroup_chair"]


def test_sending_a_draft_back_needs_a_note_to_the_reviewer(world, drafted):
    with pytest.raises(Incomplete) as refusal:
        assure(world, drafted, decision="back", note=" ")
    assert set(refusal.value.fields) == {"note"}
    assert not QualityAssurance.objects.exists()


def test_a_draft_sent_back_stays_with_the_reviewer(world, drafted):
    answers = {**builders.ALL_MET, "language": {"met": False, "comment": "Too technical."}}
    assure(world, drafted, answers=answers, decision="back", note="Plainer language, please.")
    drafted.refresh_from_db()
    assert drafted.status == ReviewStatus.UNDER_WAY
    assert upload(world, drafted).number == 2


@pytest.mark.parametrize("point", POINTS)
def test_each_of_the_seven_points_must_be_answered(world, drafted, point):
    answers = {**builders.ALL_MET, point: {"met": None, "comment": "Not sure."}}
    with pytest.raises(Incomplete) as refusal:
        assure(world, drafted, answers=answers)
    assert set(refusal.value.fields) == {f"{point}_met"}


@pytest.mark.parametrize("point", POINTS)
def test_each_of_the_seven_points_needs_a_comment(world, drafted, point):
    answers = {**builders.ALL_MET, point: {"met": True, "comment": "  "}}
    with pytest.raises(Incomplete) as refusal:
        assure(world, drafted, answers=answers)
    assert set(refusal.value.fields) == {f"{point}_comment"}


@pytest.mark.parametrize("point", POINTS)
def test_a_draft_goes_to_the_executive_only_when_every_point_is_met(world, drafted, point):
    answers = {**builders.ALL_MET, point: {"met": False, "comment": "Not yet."}}
    with pytest.raises(TransitionNotAllowed, match="Every point must be met"):
        assure(world, drafted, answers=answers)
    drafted.refresh_from_db()
    assert drafted.status == ReviewStatus.UNDER_WAY
    assert not QualityAssurance.objects.exists()


def test_the_decision_is_ready_or_back(world, drafted):
    with pytest.raises(Incomplete) as refusal:
        assure(world, drafted, decision="maybe")
    assert set(refusal.value.fields) == {"decision"}


def test_only_the_newest_draft_is_quality_assured(world, drafted):
    first = drafted.drafts.get()
    upload(world, drafted)
    with pytest.raises(TransitionNotAllowed, match="Check the newest version, 2"):
        assure(world, drafted, draft=first)


def test_there_is_nothing_to_assure_before_a_draft(world, started):
    with pytest.raises(TransitionNotAllowed, match="No draft yet"):
        assure(world, started, draft=ReportDraft(pk=0))


@pytest.mark.parametrize("persona", refused("subgroup_chair"))
def test_only_the_chair_records_the_quality_assurance(world, drafted, persona):
    with pytest.raises(TransitionNotAllowed, match="The sub-group chair records"):
        assure(world, drafted, persona=persona)
    drafted.refresh_from_db()
    assert drafted.status == ReviewStatus.UNDER_WAY


# ------------------------------------------------------------------- the executive's decision


def test_the_executive_approves_the_draft_the_sub_group_passed(world, assured):
    review = services.report_approve(review=assured, by=world["executive"])
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    assert review.approved_draft == assured.drafts.get()
    assert review.approved_by == world["executive"]
    assert last_event(world.case, EventKind.REPORT_APPROVED).by == world["executive"]
    assert changed_by(review) == world["executive"]


def test_approval_within_six_months_meets_the_completion_target(world, assured):
    review = services.report_approve(review=assured, by=world["executive"])
    target = review.completion_deadline
    target.refresh_from_db()
    assert (target.status, target.completed_on) == (DeadlineStatus.MET, D(2026, 12, 4))


def test_a_late_report_is_still_approved_and_the_target_is_missed(world, drafted):
    with travel(D(2027, 6, 7)):  # the target was Friday 4 June 2027
        assure(world, drafted)
        review = services.report_approve(review=drafted, by=world["executive"])
    assert review.status == ReviewStatus.APPROVED
    target = review.completion_deadline
    target.refresh_from_db()
    assert (target.status, target.completed_on) == (DeadlineStatus.MISSED, D(2027, 6, 7))


def test_approval_ends_the_monitoring_still_waiting(world, assured):
    request = services.reviewer_request_send(
        review=assured,
        kind="information",
        text="Please send the interview notes (fictional).",
        due_on=D(2026, 12, 18),
        by=world["business_manager"],
    )
    checkpoint = assured.checkpoints.get(held_on__isnull=True)
    services.report_approve(review=assured, by=world["executive"])
    for deadline in (checkpoint.deadline, request.deadline):
        deadline.refresh_from_db()
        assert (deadline.status, deadline.reason) == (
            DeadlineStatus.WAIVED,
            "The final report is approved.",
        )
        assert not deadline.reminders.filter(status="pending").exists()


def test_approval_needs_the_sub_groups_quality_assurance_first(world, drafted):
    with pytest.raises(TransitionNotAllowed, match="quality assured"):
        services.report_approve(review=drafted, by=world["executive"])
    drafted.refresh_from_db()
    assert drafted.status == ReviewStatus.UNDER_WAY


def test_the_executive_approves_the_newest_version_passed_after_a_return(world, assured):
    services.report_return(review=assured, reason="Shorter, please.", by=world["executive"])
    assured.refresh_from_db()
    second = upload(world, assured)
    assure(world, assured, draft=second)
    review = services.report_approve(review=assured, by=world["executive"])
    assert review.approved_draft == second


def test_the_executive_sends_the_report_back_with_the_reason(world, assured):
    review = services.report_return(
        review=assured, reason="The conclusions need evidence.", by=world["executive"]
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.UNDER_WAY
    assert review.approved_draft is None
    event = last_event(world.case, EventKind.REPORT_RETURNED)
    assert (event.by, event.note) == (world["executive"], "The conclusions need evidence.")
    assert changed_by(review) == world["executive"]


def test_sending_the_report_back_needs_the_reason(world, assured):
    with pytest.raises(Incomplete) as refusal:
        services.report_return(review=assured, reason=" ", by=world["executive"])
    assert set(refusal.value.fields) == {"reason"}
    assured.refresh_from_db()
    assert assured.status == ReviewStatus.READY_FOR_EXECUTIVE


def test_only_a_report_waiting_for_the_executive_is_sent_back(world, drafted):
    with pytest.raises(TransitionNotAllowed, match="Only a report waiting for the executive"):
        services.report_return(review=drafted, reason="No.", by=world["executive"])


@pytest.mark.parametrize("persona", refused("executive"))
def test_only_the_executive_approves(world, assured, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the executive"):
        services.report_approve(review=assured, by=world[persona])
    assured.refresh_from_db()
    assert assured.status == ReviewStatus.READY_FOR_EXECUTIVE


@pytest.mark.parametrize("persona", refused("executive"))
def test_only_the_executive_sends_the_report_back(world, assured, persona):
    with pytest.raises(TransitionNotAllowed, match="Only the executive"):
        services.report_return(review=assured, reason="Not good enough.", by=world[persona])
    assured.refresh_from_db()
    assert assured.status == ReviewStatus.READY_FOR_EXECUTIVE
