"""Uploaded files: checked, scanned, stored and served one way for every feature.

- **Checked** (`check`): not empty, not larger than `UPLOAD_MAX_BYTES`, a plain file name,
  and of a kind the feature accepts by its extension *and* its content (magic bytes):
  a `.docx` must be a Word package, not any zip; a `.pdf` must start like a PDF; text
  must not be HTML, SVG or binary. The browser's claimed content type is never trusted.
- **Scanned** (`scan`): by ClamAV's clamd over its INSTREAM protocol when `CLAMAV_URL`
  is set. Then it fails closed: a file clamd cannot vouch for (unreachable, timeout, an
  error) is refused like an infected one. With `CLAMAV_URL` empty, nothing is scanned.
- **Stored** (`private_storage`, `RandomName`): under MEDIA_ROOT with a random name and no
  extension; the uploaded name is kept only in the database, for display and downloads.
  No URL serves MEDIA_ROOT: files leave only through `attachment_response`, after the
  feature's access check.

A feature's form uses `UploadField(kinds=...)` for the cheap checks; its service calls
`accept` (check and scan) before it stores, so no caller can store an unscanned file.
"""

import hashlib
import logging
import os
import socket
import struct
import time
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django import forms
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

logger = logging.getLogger(__name__)

MB = 1024 * 1024
SNIFF_BYTES = 8192
CHUNK_BYTES = 64 * 1024


class UploadRefused(Exception):
    """The file is not accepted: `message` is for the person, `reason` for the log."""

    def __init__(self, message, *, reason):
        super().__init__(message)
        self.message = message
        self.reason = reason


# --- Kinds of file, recognised by content -------------------------------------------------

EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE
    b"\x7fELF",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Other kinds' signatures: never text, however few odd bytes follow.
BINARY_MAGIC = (OLE_MAGIC, ZIP_MAGIC, b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")
# What a browser would take for markup if it ever sniffed a text file.
MARKUP = (b"<html", b"<script", b"<svg", b"<!doctype", b"<?xml", b"<body", b"<iframe", b"<head")


def _is_pdf(head, upload):
    return head.startswith(b"%PDF-")


def _is_png(head, upload):
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(head, upload):
    return head.startswith(b"\xff\xd8\xff")


def _is_docx(head, upload):
    """A Word package: a zip with the Word main part and no macros."""
    if not head.startswith(ZIP_MAGIC):
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if not {"[Content_Types].xml", "word/document.xml"} <= names:
                return False
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return False
            types = package.getinfo("[Content_Types].xml")
            if types.file_size > MB:  # no Word package needs more; a bomb might
                return False
            return b"macroenabled" not in package.read(types).lower()
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return False
    finally:
        upload.seek(0)


def _is_doc(head, upload):
    """An OLE compound file holding a WordDocument stream (not a spreadsheet or an installer)."""
    if not head.startswith(OLE_MAGIC):
        return False
    return "WordDocument".encode("utf-16-le") in _read_all(upload)


def _is_text(head, upload):
    """Text, not markup and not binary. The encoding is the reader's business."""
    if b"\x00" in head or head.startswith(EXECUTABLE_MAGIC + BINARY_MAGIC):
        return False
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if start.startswith(b"<"):
        return False
    return not any(tag in head[:1024].lower() for tag in MARKUP)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # how the refusal names it: "The file must be a PDF or Word document"
    extensions: tuple
    content_type: str
    matches: object  # (first bytes, upload) -> bool


PDF = Kind("pdf", "PDF", (".pdf",), "application/pdf", _is_pdf)
DOCX = Kind(
    "docx",
    "Word document",
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    _is_docx,
)
DOC = Kind("doc", "Word document", (".doc",), "application/msword", _is_doc)
TEXT = Kind("text", "text file", (".txt",), "text/plain", _is_text)
CSV = Kind("csv", "CSV file", (".csv",), "text/csv", _is_text)
PNG = Kind("png", "PNG", (".png",), "image/png", _is_png)
JPEG = Kind("jpeg", "JPEG", (".jpg", ".jpeg"), "image/jpeg", _is_jpeg)

DOCUMENTS = (PDF, DOCX, DOC)
IMAGES = (PNG, JPEG)
TEXTS = (TEXT, CSV)


def kinds_label(kinds):
    """ "PDF, Word document or PNG": each label once, in order."""
    labels = list(dict.fromkeys(kind.label for kind in kinds))
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def type_message(kinds):
    label = kinds_label(kinds)
    article = "an" if label[:1].lower() in "aeio" else "a"
    return f"The file must be {article} {label}"


def size_label(size):
    if size >= MB and size % MB == 0:
        return f"{size // MB} MB"
    if size >= MB:
        return f"{size / MB:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def max_bytes():
    return settings.UPLOAD_MAX_BYTES


# --- Checking ------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """What a checked upload is: its safe display name, kind, size and digest."""

    name: str
    kind: Kind
    size: int
    sha256: str
    scan_result: str = ""

    @property
    def content_type(self):
        return self.kind.content_type


def clean_name(name):
    """The uploaded name as a person may see it again; refuses folders, drives, hidden files
    and control characters (Django's parser already drops "../" parts; this refuses what is
    left, such as "C:name.pdf")."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise UploadRefused("The selected file has no name", reason="no name")
    if (
        any(sep in name for sep in ("/", "\\", ":"))
        or name.startswith(".")
        or any(unicodedata.category(char).startswith("C") for char in name)
    ):
        raise UploadRefused(
            "The file name must not include a folder or drive: rename the file and try again",
            reason="path in name",
        )
    if len(name) > 200:
        stem, extension = os.path.splitext(name)
        name = stem[: 200 - len(extension)] + extension
    return name


def _read_all(upload):
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _digest(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK_BYTES):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def check(upload, *, kinds, limit=None, wrong_type=None):
    """Refuse (`UploadRefused`) an upload that is empty, too big, badly named, or not one of
    `kinds` by both extension and content. Returns what it is. Reads the file, no network."""
    limit = limit or max_bytes()
    if upload is None or not upload.size:
        raise UploadRefused("The selected file is empty", reason="empty")
    if upload.size > limit:
        raise UploadRefused(f"The file must be smaller than {size_label(limit)}", reason="too big")
    name = clean_name(upload.name)
    wrong_type = wrong_type or type_message(kinds)
    extension = os.path.splitext(name)[1].lower()
    kind = next((k for k in kinds if extension in k.extensions), None)
    if kind is None:
        raise UploadRefused(wrong_type, reason=f"extension {extension[:10]!r}")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(EXECUTABLE_MAGIC) or not kind.matches(head, upload):
        raise UploadRefused(wrong_type, reason=f"content is not {kind.name}")
    return Checked(name=name, kind=kind, size=upload.size, sha256=_digest(upload))


class UploadField(forms.FileField):
    """A form's file input that runs `check`: each feature passes the kinds it accepts."""

    def __init__(self, *, kinds, limit=None, wrong_type=None, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", "Select a file")
        kwargs["error_messages"].setdefault("empty", "The selected file is empty")
        super().__init__(**kwargs)
        self.kinds, self.limit, self.wrong_type = kinds, limit, wrong_type
        accept = ",".join(extension for kind in kinds for extension in kind.extensions)
        self.widget.attrs.setdefault("accept", accept)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                upload.checked = check(
                    upload, kinds=self.kinds, limit=self.limit, wrong_type=self.wrong_type
                )
            except UploadRefused as refused:
                raise forms.ValidationError(refused.message, code="upload") from refused
        return upload


# --- Virus scanning ------------------------------------------------------------------


class ScanResult:
    CLEAN = "clean"
    NOT_SCANNED = "not_scanned"
    CHOICES = [(CLEAN, "No virus found"), (NOT_SCANNED, "Not checked: no virus scanner set up")]


NOT_CHECKED = "The file could not be checked for viruses. Try again later."
INFECTED = "The file contains a virus. Do not send it: tell your IT or security team."


class ScannerError(Exception):
    pass


def _connect(url, timeout):
    parts = urlsplit(url)
    if parts.scheme == "tcp" and parts.hostname:
        return socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout)
    if parts.scheme == "unix" and parts.path:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(parts.path)
        except BaseException:
            sock.close()
            raise
        return sock
    raise ImproperlyConfigured(
        "CLAMAV_URL must look like tcp://host:3310 or unix:///path/to/clamd.ctl"
    )


def clamd_instream(fileobj, *, url, timeout):
    """Send the file to clamd (INSTREAM: length-prefixed chunks, a zero-length end) and
    return its reply, e.g. "stream: OK". `ScannerError` for anything short of a reply."""
    deadline = time.monotonic() + timeout

    def remaining():
        left = deadline - time.monotonic()
        if left <= 0:
            raise ScannerError("timed out")
        return left

    try:
        with _connect(url, timeout) as sock:
            sock.settimeout(remaining())
            sock.sendall(b"zINSTREAM\0")
            fileobj.seek(0)
            while chunk := fileobj.read(CHUNK_BYTES):
                sock.settimeout(remaining())
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.settimeout(remaining())
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                sock.settimeout(remaining())
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as error:  # refused, reset, broken pipe, timeout
        raise ScannerError(f"{type(error).__name__}: {error}") from error
    finally:
        fileobj.seek(0)
    text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if not text:
        raise ScannerError("no reply")
    return text


def scan(upload, *, checked=None, user=None):
    """Scan with clamd when `CLAMAV_URL` is set: the `ScanResult`, or `UploadRefused` for a
    virus or when clamd cannot say (fail closed); both are logged. Not set: NOT_SCANNED."""
    url = settings.CLAMAV_URL
    if not url:
        return ScanResult.NOT_SCANNED
    about = {
        "user": getattr(user, "pk", None),
        "sha256": checked.sha256 if checked else "",
        "size": upload.size,
    }
    try:
        reply = clamd_instream(upload, url=url, timeout=settings.CLAMAV_TIMEOUT)
    except ScannerError as error:
        logger.error("Upload refused: virus scanner unavailable (%s) %s", error, about)
        raise UploadRefused(NOT_CHECKED, reason="scanner unavailable") from error
    if reply.endswith(" OK"):
        return ScanResult.CLEAN
    if reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
        logger.warning("Upload refused: virus found (%s) %s", signature, about)
        raise UploadRefused(INFECTED, reason=f"virus {signature}")
    logger.error("Upload refused: virus scanner answered %r %s", reply[:200], about)
    raise UploadRefused(NOT_CHECKED, reason="scanner error")


def accept(upload, *, kinds, user=None, limit=None):
    """Check and scan an upload: what a service calls before it stores anything."""
    checked = check(upload, kinds=kinds, limit=limit)
    result = scan(upload, checked=checked, user=user)
    return Checked(checked.name, checked.kind, checked.size, checked.sha256, result)


# --- Storage and serving ---------------------------------------------------------------


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT, readable by the service's own user only, and with no URL at all."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    def url(self, name):
        raise ValueError("Uploaded files have no URL: serve them with attachment_response")


_private_storage = PrivateStorage()


def private_storage():
    return _private_storage


@deconstructible
class RandomName:
    """`upload_to` for uploads: "uploads/<folder>/<yyyy>/<random>", never the uploaded name."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        from django.utils import timezone

        return f"uploads/{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def download_name(name):
    """A name safe in a header: no control characters, quotes or folder separators."""
    name = "".join(
        "_" if char in '"\\/:' or unicodedata.category(char).startswith("C") else char
        for char in unicodedata.normalize("NFC", name or "")
    ).strip(" .")
    return name[:200] or "download"


def content_disposition(name):
    """attachment, with an ASCII fallback and the exact UTF-8 name (RFC 6266, 5987)."""
    name = download_name(name)
    fallback = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment_response(stored, *, filename, content_type):
    """Serve a stored file as a download, never rendered: attachment disposition, the
    stored (checked) content type, nosniff, no caching, and a sandbox if opened anyway."""
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Deployment checks -----------------------------------------------------------------


def _inside(path, folder):
    try:
        return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == (
            os.path.abspath(folder)
        )
    except ValueError:
        return False


@checks.register(checks.Tags.security)
def check_media_is_private(app_configs=None, **kwargs):
    """MEDIA_ROOT must not be, or be inside, a folder whitenoise or staticfiles serve."""
    media = str(settings.MEDIA_ROOT)
    public = [settings.STATIC_ROOT, getattr(settings, "WHITENOISE_ROOT", None)]
    public += [d[1] if isinstance(d, tuple) else d for d in settings.STATICFILES_DIRS]
    errors = []
    for folder in filter(None, public):
        if _inside(media, str(folder)) or _inside(str(folder), media):
            errors.append(
                checks.Error(
                    f"MEDIA_ROOT ({media}) overlaps a publicly served folder ({folder}).",
                    hint="Uploaded files must never be served without an access check.",
                    id="cspr.E101",
                )
            )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_virus_scanning(app_configs=None, **kwargs):
    if settings.CLAMAV_URL:
        return []
    return [
        checks.Warning(
            "CLAMAV_URL is not set: uploaded files are not scanned for viruses.",
            hint="Run the clamav service and set CLAMAV_URL (docs/security.md).",
            id="cspr.W101",
        )
    ]
