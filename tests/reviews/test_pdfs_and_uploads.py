"""The report's versions uploaded through the draft-upload page (bad files refused on the
page with nothing stored; good ones kept byte for byte and served only as downloads), and
the "review has started" letter as a real PDF, kept as sent. Fictional people only."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cspr.models import CaseEvent
from reviews import services
from reviews.models import ReportDraft, StartLetter
from tests.reviews import builders
from tests.security.test_uploads import DOCM, DOCX, EXE, PDF, TEXT

TODAY = timezone.localdate()
DRAFT_TYPES = "The file must be a PDF or Word document"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """This test's own MEDIA_ROOT, no virus scanner, the usual limit."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMAV_URL = ""
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    return settings.MEDIA_ROOT


def stored_files(root):
    return sorted(p for p in Path(root).rglob("*") if p.is_file()) if Path(root).exists() else []


def page_text(response):
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(
        "&#x27;", "'"
    )


def error_summary(response):
    html = response.content.decode()
    start = html.find('class="govuk-error-summary"')
    if start < 0:
        return ""
    end = html.find("</ul>", start)
    return " ".join(re.sub(r"<[^>]+>", " ", html[start:end]).split()).replace("&#x27;", "'")


# --- Uploading a version of the report -------------------------------------------------------


@pytest.fixture
def review(world):
    return builders.started(world)


def upload(client, world, name, data, content_type="application/pdf"):
    return client.post(
        reverse("draft-upload", args=[world.case.pk]),
        {
            "file": SimpleUploadedFile(name, data, content_type=content_type),
            "note": "Second half rewritten (fictional).",
        },
    )


BAD = {
    "an executable renamed .pdf": ("report.pdf", EXE, DRAFT_TYPES),
    "a text file named .pdf": ("report.pdf", TEXT, DRAFT_TYPES),
    "a Word document with macros": ("report.docx", DOCM, DRAFT_TYPES),
    "an empty file": ("report.pdf", b"", "The selected file is empty"),
    # Django's parser keeps only what follows the last / or \ of a name; a drive is left.
    "a name with a drive and folder": (
        "C:report.pdf",
        PDF,
        "The file name must not include a folder or drive",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_is_refused_on_the_upload_page_and_nothing_is_stored(
    client, world, review, media, case
):
    name, data, message = BAD[case]
    client.force_login(world["reviewer"])
    events = CaseEvent.objects.count()
    response = upload(client, world, name, data)
    assert response.status_code == 200
    assert message in error_summary(response)
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert "Second half rewritten (fictional).</textarea>" in response.content.decode()
    assert not ReportDraft.objects.exists()
    assert stored_files(media) == []
    assert CaseEvent.objects.count() == events


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words(
    client, world, review, media, settings
):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(world["reviewer"])
    response = upload(client, world, "report.pdf", PDF + bytes(2048))
    assert response.status_code == 200
    assert "The file must be smaller than 1 KB" in error_summary(response)
    assert not ReportDraft.objects.exists()
    assert stored_files(media) == []


def test_the_upload_page_tells_the_limit_before_anything_is_chosen(client, world, review, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(world["reviewer"])
    response = client.get(reverse("draft-upload", args=[world.case.pk]))
    assert "A PDF or Word document, smaller than 1 KB." in page_text(response)


GOOD = {
    "a PDF": ("report-v2.pdf", PDF, "application/pdf"),
    "a Word document": ("report-v2.docx", DOCX, DOCX_TYPE),
}


@pytest.mark.parametrize("kind", GOOD)
def test_a_good_file_becomes_the_next_version(client, world, review, media, kind):
    name, data, content_type = GOOD[kind]
    client.force_login(world["reviewer"])
    response = upload(client, world, name, data, content_type="application/octet-stream")
    assert response["Location"] == reverse("review-report", args=[world.case.pk])
    draft = ReportDraft.objects.get()
    assert (draft.number, draft.original_name, draft.content_type, draft.size) == (
        1,
        name,
        content_type,
        len(data),
    )
    assert [p.read_bytes() for p in stored_files(media)] == [data]
    report = client.get(response["Location"])
    assert "New version of the report uploaded" in page_text(report)
    assert reverse("draft-download", args=[world.case.pk, draft.pk]) in report.content.decode()
    assert f"{name}, {len(data)}" in page_text(report)


@pytest.mark.parametrize("kind", GOOD)
def test_a_version_downloads_as_an_attachment_with_the_bytes_uploaded(client, world, review, kind):
    name, data, content_type = GOOD[kind]
    client.force_login(world["reviewer"])
    upload(client, world, name, data)
    client.force_login(world["subgroup_chair"])
    response = client.get(
        reverse("draft-download", args=[world.case.pk, ReportDraft.objects.get().pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


# --- The letter that the review has started ----------------------------------------------------

ADDRESSEE = "Sam Fictional, Designated Safeguarding Lead"


@pytest.fixture
def letter(client, world):
    """A started review, its reviewer Rowan Ashdown, the child's family name distinctive,
    and a letter to the police prepared on the letters page."""
    reviewer = world["reviewer"]
    reviewer.first_name, reviewer.last_name = "Rowan", "Ashdown"
    reviewer.save()
    child = world.case.child
    child.family_name = "Quillborough"
    child.save()
    builders.started(world)
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("review-letters", args=[world.case.pk]),
        {"kind": "agency", "agency": world.police.pk, "addressee": ADDRESSEE, "organisation": ""},
    )
    assert response.status_code == 302
    return StartLetter.objects.get()


def letter_link(client, world):
    """The letter's PDF as the letters page links to it."""
    html = client.get(reverse("review-letters", args=[world.case.pk])).content.decode()
    (href,) = re.findall(r'href="([^"]+\.pdf)"', html)
    return href


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
    return " ".join(f"{text} {metadata}".split())


def record_sent(client, world, letter):
    response = client.post(
        reverse("letter-sent", args=[world.case.pk, letter.pk]),
        {f"sent-{letter.pk}-sent_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    return letter


def test_the_letter_is_a_pdf_naming_the_case_partnership_start_reviewer_and_addressee(
    client, world, letter
):
    response = client.get(letter_link(client, world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for expected in (
        "Child Q",
        "Northtown Safeguarding Children Partnership",
        f"The review started on {TODAY.day} {TODAY:%B %Y}",
        "The independent reviewer is Rowan Ashdown",
        ADDRESSEE,
    ):
        assert expected in text, expected


def test_the_letter_never_names_the_childs_family(client, world, letter):
    text = pdf_text(client.get(letter_link(client, world)).content)
    assert "Child Q" in text
    assert "quillborough" not in text.lower()


def test_once_sent_the_letter_downloads_as_the_stored_copy_each_time(client, world, letter):
    letter = record_sent(client, world, letter)
    first = b"".join(client.get(letter_link(client, world)).streaming_content)
    second = b"".join(client.get(letter_link(client, world)).streaming_content)
    assert first == second
    assert hashlib.sha256(first).hexdigest() == letter.copy_sha256
    assert letter.copy.read() == first


def test_the_copy_sent_stays_the_same_after_the_reviewers_appointment_ends(client, world, letter):
    letter = record_sent(client, world, letter)
    review = letter.review
    services.appointment_end(
        appointment=review.appointments.get(),
        ended_on=TODAY,
        reason="The reviewer withdrew (fictional).",
        by=world["business_manager"],
    )
    # A letter made from the case now no longer names a reviewer: the change is real.
    unsent = services.letter_prepare(
        review=review,
        kind="referrer",
        agency=None,
        addressee="Drew Fictional, school nurse",
        organisation="",
        by=world["business_manager"],
    )
    assert "Rowan Ashdown" not in pdf_text(services.letter_render(unsent))

    response = client.get(reverse("letter-pdf", args=[world.case.pk, letter.pk]))
    sent = b"".join(response.streaming_content)
    assert hashlib.sha256(sent).hexdigest() == letter.copy_sha256
    assert "The independent reviewer is Rowan Ashdown" in pdf_text(sent)
