"""Uploaded files: refused unless small, named plainly and of an accepted kind by content;
scanned by clamd when it is set up (and refused when it cannot answer); stored under
random names nobody can fetch without the access check; served only as downloads."""

import io
import logging
import os
import socketserver
import stat
import struct
import tempfile
import threading
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cspr import uploads
from cspr.errors import Incomplete, TransitionNotAllowed
from rapid_reviews import services
from rapid_reviews.models import ReturnAttachment
from rapid_reviews.services.attachments import return_attachment_add, return_attachment_remove
from tests.conftest import PERSONAS
from tests.rapid_reviews.test_rapid_reviews import future, notify
from tests.rapid_reviews.test_returns import COMPLETE, ROW

SEES = {"business_manager", "subgroup_member", "subgroup_chair", "executive"}
POLICE = "police_contributor"
EVERYONE = [*PERSONAS, "anonymous"]
VIRUS_MARKER = b"FICTIONAL-TEST-VIRUS"  # the fake clamd below reports files containing it

# --- Files of each kind (fictional content) -----------------------------------------------

PDF = b"%PDF-1.4\n% Fictional statement\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(32)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"\xff\xd9"
TEXT = b"Notes of a fictional strategy discussion.\n"
CSV = b"date,source,event\n2026-10-01,Police log,Call-out\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64) + b"This program"
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
DOC = uploads.OLE_MAGIC + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(64)
OLE_NOT_WORD = uploads.OLE_MAGIC + bytes(504) + "Workbook".encode("utf-16-le") + bytes(64)
WORD_TYPES = (
    b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": WORD_TYPES, "word/document.xml": b"<w:document/>"})
DOCM = zipped(
    {
        "[Content_Types].xml": WORD_TYPES.replace(b"document.main", b"document.macroEnabled.main"),
        "word/document.xml": b"<w:document/>",
        "word/vbaProject.bin": b"\x00",
    }
)
PLAIN_ZIP = zipped({"payload.exe": EXE})

GOOD = [
    ("statement.pdf", PDF, "application/pdf"),
    ("statement.docx", DOCX, uploads.DOCX.content_type),
    ("old-statement.doc", DOC, "application/msword"),
    ("notes.txt", TEXT, "text/plain"),
    ("contacts.csv", CSV, "text/csv"),
    ("body-map.png", PNG, "image/png"),
    ("scan.JPG", JPEG, "image/jpeg"),
]
TYPE_MESSAGE = "The file must be a PDF, Word document, text file, CSV file, PNG or JPEG"
BAD = {
    "a renamed executable": ("statement.pdf", EXE, TYPE_MESSAGE),
    "an executable": ("setup.exe", EXE, TYPE_MESSAGE),
    "HTML named as text": ("notes.txt", HTML, TYPE_MESSAGE),
    "HTML": ("page.html", HTML, TYPE_MESSAGE),
    "SVG named as an image": ("diagram.png", SVG, TYPE_MESSAGE),
    "SVG": ("diagram.svg", SVG, TYPE_MESSAGE),
    "an archive named as Word": ("statement.docx", PLAIN_ZIP, TYPE_MESSAGE),
    "Word with macros": ("statement.docx", DOCM, TYPE_MESSAGE),
    "a spreadsheet named as Word": ("statement.doc", OLE_NOT_WORD, TYPE_MESSAGE),
    "a PDF named as an image": ("photo.jpg", PDF, TYPE_MESSAGE),
    "an empty file": ("statement.pdf", b"", "The selected file is empty"),
    "a drive in the name": ("C:statement.pdf", PDF, "must not include a folder or drive"),
}


# --- The world: the police's return on Child Q's rapid review --------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every test stores into its own MEDIA_ROOT, with no virus scanner unless it sets one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMAV_URL = ""
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    return settings.MEDIA_ROOT


def stored_files(root):
    return sorted(p for p in Path(root).rglob("*") if p.is_file()) if Path(root).exists() else []


@pytest.fixture
def review(world):
    notify(world)
    return services.rapid_review_open(case=world.case, by=world["business_manager"])


def request_to(world, review, agency):
    return services.information_request_send(
        rapid_review=review, agency=agency, due_on=future(1), note="", by=world["business_manager"]
    )


@pytest.fixture
def police_return(world, review):
    return request_to(world, review, world.police).information_return


@pytest.fixture
def health_return(world, review):
    from cspr import access

    access.grant_agency(world.case, world.health)
    return request_to(world, review, world.health).information_return


def a_file(name="statement.pdf", data=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def attach(world, information_return, persona=POLICE, **file):
    return return_attachment_add(
        information_return=information_return, upload=a_file(**file), by=world[persona]
    )


def submit(world, information_return):
    services.return_save_draft(
        information_return=information_return, fields=COMPLETE, rows=[ROW], by=world[POLICE]
    )
    services.return_submit(information_return=information_return, by=world[POLICE])


@pytest.fixture
def draft_attachment(world, police_return):
    return attach(world, police_return)


@pytest.fixture
def submitted_attachment(world, police_return):
    attachment = attach(world, police_return)
    submit(world, police_return)
    return attachment


def upload(client, information_return, name="statement.pdf", data=PDF, content_type=None):
    return client.post(
        reverse("attachment-upload", args=[information_return.request_id]),
        {"file": SimpleUploadedFile(name, data, content_type=content_type or "application/pdf")},
    )


def download_url(attachment):
    return reverse(
        "attachment-download",
        args=[attachment.information_return.request_id, attachment.pk],
    )


def remove_url(attachment):
    return reverse(
        "attachment-remove", args=[attachment.information_return.request_id, attachment.pk]
    )


# --- Every view over every persona ------------------------------------------------------------


def _expect(allowed, seen=frozenset(), ok=200):
    return lambda p: 302 if p == "anonymous" else ok if p in allowed else 403 if p in seen else 404


# name: (method, url builder, data builder, expected status builder), on a draft return
# with one police attachment. A draft's documents are the agency's own (like its rows).
VIEWS = {
    "attachment-list": (
        "get",
        lambda a: reverse("attachment-list", args=[a.information_return.request_id]),
        None,
        _expect(SEES | {POLICE}),
    ),
    "attachment-upload": (
        "post",
        lambda a: reverse("attachment-upload", args=[a.information_return.request_id]),
        lambda: {"file": a_file(name="second.pdf")},
        _expect({POLICE}, seen=SEES, ok=302),
    ),
    "attachment-download": ("get", download_url, None, _expect({POLICE})),
    "attachment-remove": ("post", remove_url, lambda: {}, _expect({POLICE}, ok=302)),
}

# The same views once the return is submitted (locked): the partnership sees the documents;
# nobody adds or removes any (the agency is told the return is locked).
SUBMITTED_VIEWS = {
    **VIEWS,
    "attachment-upload": (*VIEWS["attachment-upload"][:3], _expect({POLICE}, seen=SEES, ok=302)),
    "attachment-download": ("get", download_url, None, _expect(SEES | {POLICE})),
    "attachment-remove": ("post", remove_url, lambda: {}, _expect({POLICE}, seen=SEES, ok=302)),
}


def ask(client, world, persona, view, attachment):
    method, url, data, _ = view
    if persona != "anonymous":
        client.force_login(world[persona])
    return getattr(client, method)(url(attachment), data() if data else None)


def footprint(attachment):
    return (
        ReturnAttachment.objects.count(),
        ReturnAttachment.objects.filter(removed_at__isnull=True).count(),
    )


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("name", VIEWS)
def test_every_attachment_view_answers_each_persona_on_a_draft(
    client, world, draft_attachment, name, persona, django_capture_on_commit_callbacks
):
    view = VIEWS[name]
    before = footprint(draft_attachment)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, world, persona, view, draft_attachment)
    assert response.status_code == view[3](persona)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("sign-in"))
    if persona != POLICE:
        # Refused: nothing changed, and the agency itself can (so it was the permission).
        assert footprint(draft_attachment) == before
        client.logout()
        response = ask(client, world, POLICE, view, draft_attachment)
        assert response.status_code == view[3](POLICE)


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("name", SUBMITTED_VIEWS)
def test_every_attachment_view_answers_each_persona_once_submitted(
    client, world, submitted_attachment, name, persona
):
    view = SUBMITTED_VIEWS[name]
    before = footprint(submitted_attachment)
    response = ask(client, world, persona, view, submitted_attachment)
    assert response.status_code == view[3](persona)
    assert footprint(submitted_attachment) == before  # locked: nobody adds or removes
    if view[3](persona) >= 400 or persona == "anonymous":
        client.logout()
        reads = name in ("attachment-list", "attachment-download")
        control = "business_manager" if reads else POLICE
        assert ask(client, world, control, view, submitted_attachment).status_code == view[3](
            control
        )


def test_the_business_unit_sees_a_drafts_documents_only_once_it_is_submitted(
    client, world, police_return
):
    attachment = attach(world, police_return, name="statement-of-events.pdf")
    client.force_login(world["business_manager"])
    page = reverse("request-detail", args=[police_return.request_id])
    assert "statement-of-events.pdf" not in client.get(page).content.decode()
    assert client.get(download_url(attachment)).status_code == 404
    submit(world, police_return)
    html = client.get(page).content.decode()
    assert "statement-of-events.pdf" in html and download_url(attachment) in html
    assert client.get(download_url(attachment)).status_code == 200


def test_another_agencys_attachment_is_404_under_either_request(
    client, world, police_return, health_return
):
    theirs = attach(world, health_return, persona="health_contributor")
    client.force_login(world[POLICE])
    under_mine = reverse("attachment-download", args=[police_return.request_id, theirs.pk])
    under_theirs = reverse("attachment-download", args=[health_return.request_id, theirs.pk])
    assert client.get(under_mine).status_code == 404
    assert client.get(under_theirs).status_code == 404
    removing = reverse("attachment-remove", args=[police_return.request_id, theirs.pk])
    assert client.post(removing).status_code == 404
    assert not ReturnAttachment.objects.get(pk=theirs.pk).is_removed
    client.force_login(world["health_contributor"])
    assert client.get(under_theirs).status_code == 200  # the control: it is there


def test_an_attachment_is_only_reached_through_its_own_request(
    client, world, police_return, health_return
):
    submit(world, police_return)
    theirs = attach(world, health_return, persona="health_contributor")
    services.return_save_draft(
        information_return=health_return,
        fields=COMPLETE,
        rows=[ROW],
        by=world["health_contributor"],
    )
    services.return_submit(information_return=health_return, by=world["health_contributor"])
    client.force_login(world["business_manager"])  # who may see both returns
    wrong = reverse("attachment-download", args=[police_return.request_id, theirs.pk])
    assert client.get(wrong).status_code == 404
    assert client.get(download_url(theirs)).status_code == 200


# --- Refused files: the message on the page, nothing stored ----------------------------------


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_is_refused_on_the_page_and_nothing_is_stored(
    client, world, police_return, media, case
):
    name, data, message = BAD[case]
    client.force_login(world[POLICE])
    response = upload(client, police_return, name=name, data=data, content_type="application/pdf")
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert 'enctype="multipart/form-data"' in html
    assert not ReturnAttachment.objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words(
    client, world, police_return, media
):
    client.force_login(world[POLICE])
    too_big = PDF + bytes(20 * 1024 * 1024)
    html = upload(client, police_return, data=too_big).content.decode()
    assert "The file must be smaller than 20 MB" in html
    assert not ReturnAttachment.objects.exists() and stored_files(media) == []


def test_the_limit_is_a_setting(client, world, police_return, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(world[POLICE])
    html = upload(client, police_return, data=PDF + bytes(1024 * 1024)).content.decode()
    assert "The file must be smaller than 1 MB" in html
    assert (
        "smaller than 1 MB"
        in client.get(
            reverse("attachment-upload", args=[police_return.request_id])
        ).content.decode()
    )


def test_no_file_chosen_is_an_error_on_the_page(client, world, police_return):
    client.force_login(world[POLICE])
    response = client.post(reverse("attachment-upload", args=[police_return.request_id]), {})
    assert "Select a file to upload" in response.content.decode()


def test_folders_in_a_crafted_name_never_reach_the_disk(client, world, police_return, media):
    """Django's parser keeps only the last part of a name; the stored path is random anyway."""
    client.force_login(world[POLICE])
    boundary = "fictionalboundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="../../../etc/statement.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    client.post(
        reverse("attachment-upload", args=[police_return.request_id]),
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    attachment = ReturnAttachment.objects.get()
    assert attachment.original_name == "statement.pdf"
    assert [p.parent for p in stored_files(media)] == [Path(attachment.file.path).parent]
    assert all(str(p).startswith(str(media)) for p in stored_files(media))


@pytest.mark.parametrize(
    "name", ["../statement.pdf", "a/b.pdf", "a\\b.pdf", "C:b.pdf", ".htaccess", "b\u202efdp.exe"]
)
def test_names_with_folders_drives_hidden_or_control_characters_are_refused(name):
    with pytest.raises(uploads.UploadRefused):
        uploads.clean_name(name)


def test_the_message_names_the_kinds_a_feature_accepts():
    assert uploads.type_message(uploads.DOCUMENTS) == "The file must be a PDF or Word document"
    assert uploads.type_message((uploads.PNG, uploads.JPEG)) == "The file must be a PNG or JPEG"


# --- Good files: stored privately, downloaded as attachments ---------------------------------


@pytest.mark.parametrize("name,data,content_type", GOOD)
def test_a_good_file_is_stored_under_a_random_name_and_downloads_as_an_attachment(
    client, world, police_return, media, name, data, content_type
):
    client.force_login(world[POLICE])
    response = upload(client, police_return, name=name, data=data, content_type="text/html")
    assert response.status_code == 302
    attachment = ReturnAttachment.objects.get()
    assert (attachment.original_name, attachment.size) == (name, len(data))
    assert attachment.content_type == content_type  # what it is, not what the browser said
    assert attachment.scan_result == "not_scanned"
    (path,) = stored_files(media)
    assert Path(name).stem not in str(path.relative_to(media)) and path.suffix == ""
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_bytes() == data

    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=UTF-8''{name}" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_name_with_accents_and_quotes_downloads_safely(client, world, police_return):
    attachment = attach(world, police_return, name='Résumé "final"; v2.pdf')
    client.force_login(world[POLICE])
    disposition = client.get(download_url(attachment))["Content-Disposition"]
    assert disposition == (
        'attachment; filename="R_sum_ _final_; v2.pdf"; '
        "filename*=UTF-8''R%C3%A9sum%C3%A9%20_final_%3B%20v2.pdf"
    )


def test_the_request_page_lists_documents_and_offers_the_upload_form_without_javascript(
    client, world, draft_attachment
):
    client.force_login(world[POLICE])
    request_id = draft_attachment.information_return.request_id
    html = client.get(reverse("request-detail", args=[request_id])).content.decode()
    assert "Supporting documents" in html and "statement.pdf" in html
    assert download_url(draft_attachment) in html and remove_url(draft_attachment) in html
    assert 'enctype="multipart/form-data"' in html and 'class="govuk-file-upload"' in html
    assert f'action="{reverse("attachment-upload", args=[request_id])}"' in html


def test_the_return_page_leads_the_agency_to_its_documents(client, world, police_return):
    client.force_login(world[POLICE])
    html = client.get(reverse("return-edit", args=[police_return.request_id])).content.decode()
    assert reverse("attachment-list", args=[police_return.request_id]) in html


def test_removing_deletes_the_file_and_keeps_who_did_it(
    client, world, draft_attachment, media, django_capture_on_commit_callbacks
):
    client.force_login(world[POLICE])
    assert "Remove statement.pdf?" in client.get(remove_url(draft_attachment)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_url(draft_attachment))
    assert response.status_code == 302
    draft_attachment.refresh_from_db()
    assert draft_attachment.removed_by == world[POLICE] and draft_attachment.removed_at
    assert stored_files(media) == []
    latest = draft_attachment.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        world[POLICE],
        "Attachment removed",
    )
    assert client.get(download_url(draft_attachment)).status_code == 404
    listing = reverse("attachment-list", args=[draft_attachment.information_return.request_id])
    assert download_url(draft_attachment) not in client.get(listing).content.decode()


def test_a_locked_return_takes_no_documents_until_the_business_unit_unlocks_it(
    client, world, police_return
):
    attachment = attach(world, police_return)
    submit(world, police_return)
    with pytest.raises(TransitionNotAllowed, match="locked"):
        attach(world, police_return, name="late.pdf")
    with pytest.raises(TransitionNotAllowed, match="locked"):
        return_attachment_remove(attachment=attachment, by=world[POLICE])
    client.force_login(world[POLICE])
    response = upload(client, police_return, name="late.pdf")
    assert response.status_code == 302 and ReturnAttachment.objects.count() == 1
    services.return_unlock(
        information_return=police_return, reason="Missing statement", by=world["business_manager"]
    )
    assert upload(client, police_return, name="late.pdf").status_code == 302
    assert ReturnAttachment.objects.count() == 2


def test_the_submission_on_the_timeline_counts_the_documents(world, police_return):
    attach(world, police_return)
    removed = attach(world, police_return, name="wrong-child.pdf")
    attach(world, police_return, name="scan.png", data=PNG)
    return_attachment_remove(attachment=removed, by=world[POLICE])
    submit(world, police_return)
    event = world.case.events.get(kind="return_submitted")
    assert event.summary.endswith("(1 chronology rows, 2 supporting documents)")


def test_the_history_says_who_added_a_document(world, police_return):
    attachment = attach(world, police_return)
    first = attachment.history.get()
    assert (first.history_user, first.history_change_reason) == (
        world[POLICE],
        "Attachment added",
    )
    assert attachment.uploaded_by == world[POLICE]
    assert len(attachment.sha256) == 64


# --- Virus scanning with a fake clamd ---------------------------------------------------------


class FakeClamd(socketserver.BaseRequestHandler):
    """Speaks clamd's INSTREAM: reads the chunks, answers OK or FOUND."""

    mode = "answer"

    def handle(self):
        if self.mode == "silent":
            threading.Event().wait(2)
            return
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            size = struct.unpack("!L", self._exactly(4))[0]
            if not size:
                break
            data += self._exactly(size)
        if self.mode == "error":
            self.request.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        elif VIRUS_MARKER in data:
            self.request.sendall(b"stream: Eicar-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")

    def _exactly(self, n):
        out = b""
        while len(out) < n:
            part = self.request.recv(n - len(out))
            if not part:
                raise ConnectionError
            out += part
        return out


def serve(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def clamd(settings):
    class Handler(FakeClamd):
        pass

    server = serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler))
    server.daemon_threads = True
    settings.CLAMAV_URL = f"tcp://127.0.0.1:{server.server_address[1]}"
    settings.CLAMAV_TIMEOUT = 1.0
    yield Handler
    server.shutdown()
    server.server_close()


def test_a_clean_file_is_scanned_and_stored(client, world, police_return, clamd):
    client.force_login(world[POLICE])
    assert upload(client, police_return).status_code == 302
    assert ReturnAttachment.objects.get().scan_result == "clean"


def test_an_infected_file_is_refused_and_logged(client, world, police_return, clamd, media, caplog):
    client.force_login(world[POLICE])
    with caplog.at_level(logging.WARNING, logger="cspr.uploads"):
        html = upload(client, police_return, data=PDF + VIRUS_MARKER).content.decode()
    assert "The file contains a virus" in html
    assert not ReturnAttachment.objects.exists() and stored_files(media) == []
    assert "virus found (Eicar-Signature)" in caplog.text


@pytest.mark.parametrize("trouble", ["unreachable", "silent", "error"])
def test_when_clamd_cannot_vouch_for_a_file_the_upload_is_refused(
    client, world, police_return, clamd, settings, media, caplog, trouble
):
    if trouble == "unreachable":
        with socketserver.TCPServer(("127.0.0.1", 0), FakeClamd) as closed:
            port = closed.server_address[1]
        settings.CLAMAV_URL = f"tcp://127.0.0.1:{port}"
    else:
        clamd.mode = trouble
        settings.CLAMAV_TIMEOUT = 0.5
    client.force_login(world[POLICE])
    with caplog.at_level(logging.ERROR, logger="cspr.uploads"):
        html = upload(client, police_return).content.decode()
    assert "The file could not be checked for viruses. Try again later." in html
    assert not ReturnAttachment.objects.exists() and stored_files(media) == []
    assert "Upload refused" in caplog.text


def test_clamd_over_a_unix_socket(world, police_return, settings):
    folder = tempfile.mkdtemp(prefix="clamd-")  # a short path: sockets allow ~100 characters
    path = os.path.join(folder, "clamd.ctl")
    server = serve(socketserver.ThreadingUnixStreamServer(path, FakeClamd))
    try:
        settings.CLAMAV_URL = f"unix://{path}"
        assert attach(world, police_return).scan_result == "clean"
        with pytest.raises(Incomplete, match="contains a virus"):
            attach(world, police_return, data=PDF + VIRUS_MARKER)
    finally:
        server.shutdown()
        server.server_close()
        os.unlink(path)
        os.rmdir(folder)


def test_without_clamav_files_are_accepted_and_marked_not_scanned(world, police_return):
    assert attach(world, police_return).scan_result == "not_scanned"


def test_the_deploy_check_warns_when_uploads_are_not_scanned(settings):
    assert [w.id for w in uploads.check_virus_scanning()] == ["cspr.W101"]
    settings.CLAMAV_URL = "tcp://clamav:3310"
    assert uploads.check_virus_scanning() == []


# --- Nothing serves MEDIA_ROOT ----------------------------------------------------------------


def test_no_url_serves_media_files(client, world, draft_attachment):
    from django.urls import get_resolver
    from django.views import static

    def views(resolver):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern)
            else:
                yield pattern.callback

    assert static.serve not in set(views(get_resolver()))
    client.force_login(world["business_manager"])
    assert client.get(f"/media/{draft_attachment.file.name}").status_code == 404
    assert client.get(f"/{draft_attachment.file.name}").status_code == 404
    with pytest.raises(ValueError):
        draft_attachment.file.url  # noqa: B018


def test_media_root_must_not_overlap_a_public_folder(settings, tmp_path):
    assert uploads.check_media_is_private() == []
    settings.STATIC_ROOT = tmp_path / "public"
    settings.MEDIA_ROOT = tmp_path / "public" / "media"
    assert [e.id for e in uploads.check_media_is_private()] == ["cspr.E101"]


# --- The chronology import has the same checks ----------------------------------------------


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("chronology.csv", HTML, "The file must be a CSV file ending in .csv"),
        ("chronology.csv", PDF, "The file must be a CSV file ending in .csv"),
        ("chronology.csv", EXE, "The file must be a CSV file ending in .csv"),
        ("chronology.csv", b"", "The selected file is empty"),
        ("chronology.csv", CSV + bytes(1024 * 1024), "The file must be smaller than 1 MB"),
        ("C:chronology.csv", CSV, "must not include a folder or drive"),
    ],
)
def test_the_chronology_import_refuses_what_is_not_a_csv(
    client, world, police_return, name, data, message
):
    client.force_login(world[POLICE])
    response = client.post(
        reverse("chronology-import", args=[police_return.request_id]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not police_return.entries.exists()
