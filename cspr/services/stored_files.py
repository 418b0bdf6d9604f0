"""Stored files that no record points to, and their removal.

Every file the service stores sits under `uploads/` in the private storage (cspr.uploads)
and is named by a row: an attachment, evidence, a report draft, a start letter, a kept
pack PDF, or a history row of one of them. A file no row names is an orphan: before
2026-11-30 a retention purge deleted a case's rows but, failing on the files, left them
on disk (`cspr.services.retention._remove_files_on_commit`). Those files hold case
content that should already be gone.

A file younger than `MIN_AGE` is never an orphan: a file is written just before the row
that names it is committed.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import FileField
from django.utils import timezone

from cspr.uploads import private_storage

ROOT = "uploads"
MIN_AGE = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    modified: datetime.datetime


def _named_by_rows():
    """Every stored file name any row holds: the file fields, and the history rows' copies
    of them (django-simple-history keeps a file field as text)."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if _holds_a_file(model, field):
                rows = model._base_manager.exclude(**{field.attname: ""})
                names |= set(rows.values_list(field.attname, flat=True))
    names.discard(None)
    return names


def _holds_a_file(model, field):
    if isinstance(field, FileField):
        return True
    tracked = getattr(model, "instance_type", None)  # the model a history model copies
    if tracked is None:
        return False
    try:
        return isinstance(tracked._meta.get_field(field.name), FileField)
    except FieldDoesNotExist:
        return False


def _walk(storage, folder):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


def orphaned_files(*, now=None):
    """The stored files, older than MIN_AGE, that no row names: oldest first."""
    storage = private_storage()
    if not storage.exists(ROOT):
        return []
    now = now or timezone.now()
    named = _named_by_rows()
    found = []
    for name in _walk(storage, ROOT):
        if name in named:
            continue
        modified = storage.get_modified_time(name)
        if now - modified >= MIN_AGE:
            found.append(StoredFile(name, storage.size(name), modified))
    return sorted(found, key=lambda stored: (stored.modified, stored.name))


def orphaned_files_remove(files):
    """Remove the files (from `orphaned_files`) that still no row names. Returns how many."""
    storage, named, removed = private_storage(), _named_by_rows(), 0
    for stored in files:
        if stored.name not in named and storage.exists(stored.name):
            storage.delete(stored.name)
            removed += 1
    return removed
