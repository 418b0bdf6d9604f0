"""Stored files no record names (`manage.py orphaned_files`): listed, kept while young,
removed only with --commit, and never a file a record or its history names."""

import datetime
import io
import os

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command

from cspr.services.stored_files import _holds_a_file
from cspr.uploads import private_storage
from rapid_reviews import services
from rapid_reviews.models import PackPdf
from rapid_reviews.services.pack import pack_pdf_prepare
from tests.rapid_reviews.conftest import police_draft_return
from tests.rapid_reviews.test_returns import COMPLETE, ROW


@pytest.fixture
def stored(world, settings, tmp_path):
    """A kept pack PDF (named by its row), an orphan two hours old and one just written."""
    settings.MEDIA_ROOT = tmp_path
    information_return = police_draft_return(world)
    services.return_save_draft(
        information_return=information_return,
        fields=COMPLETE,
        rows=[ROW],
        by=world["police_contributor"],
    )
    services.return_submit(information_return=information_return, by=world["police_contributor"])
    pack_pdf_prepare(review=information_return.request.rapid_review)
    storage = private_storage()
    old = storage.save("uploads/returns/2025/0a1b2c3d", ContentFile(b"a purged case's file"))
    two_hours_ago = (datetime.datetime.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(storage.path(old), (two_hours_ago, two_hours_ago))
    young = storage.save("uploads/packs/2026/4e5f6a7b", ContentFile(b"its row not yet saved"))
    return {"kept": PackPdf.objects.get().file.name, "old": old, "young": young}


def run(*args):
    out = io.StringIO()
    call_command("orphaned_files", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_the_old_orphan_only_and_removes_nothing(stored):
    output = run()
    storage = private_storage()
    assert stored["old"] in output
    assert stored["young"] not in output and stored["kept"] not in output
    assert "Dry run: nothing was removed" in output
    assert all(storage.exists(name) for name in stored.values())


def test_commit_removes_the_orphan_and_keeps_what_a_record_names(stored):
    output = run("--commit")
    storage = private_storage()
    assert "Removed 1 files that no record names" in output
    assert not storage.exists(stored["old"])
    assert storage.exists(stored["kept"]) and storage.exists(stored["young"])
    assert "Every stored file is named by a record." in run()


def test_a_name_kept_only_in_a_history_row_counts_as_named():
    history = apps.get_model("rapid_reviews", "HistoricalReturnAttachment")
    assert _holds_a_file(history, history._meta.get_field("file"))
    assert not _holds_a_file(history, history._meta.get_field("original_name"))
