"""The collated pack as a PDF, kept between downloads (`rapid_reviews.models.PackPdf`).

WeasyPrint takes several seconds for a pack of a thousand chronology rows, so the whole
pack's PDF is kept. Whether the kept one is still right is decided by its content, not by
remembering every change that could alter it: the pack's HTML is rendered again (a small
fraction of the PDF's cost) and its SHA-256, less the line saying when it was made,
compared with the kept PDF's. As it is shared, the kept PDF says when it was made but not
for whom (who downloaded it is in the access log).

A worker makes it ahead of time when a return is submitted, unlocked or added to
(`pack_pdf_queue`); a download that finds it out of date makes and keeps it there and
then. A pack for one agency is made on each download, naming who asked for it.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cspr.models import Case
from rapid_reviews import selectors
from rapid_reviews.models import PackPdf

TEMPLATE = "rapid_reviews/pack_pdf.html"


def pack_pdf_context(review, *, agency_id=None, generated_at=None, generated_by=None):
    """What the pack's PDF template shows: every submitted return, all the merged rows."""
    pack = selectors.collated_pack(review, agency_id=agency_id)
    return {
        "case": review.case,
        "review": review,
        "pack": pack,
        "agency_id": agency_id,
        "entries": pack.entries,
        "entries_total": len(pack.entries),
        "generated_at": generated_at,
        "generated_by": generated_by,
    }


def pack_pdf(review, *, by, agency_id=None):
    """The pack's PDF bytes for `by` to download: the kept PDF while it shows what the pack
    shows now, else a new one (kept when it is the whole pack)."""
    from cspr.pdf import render_pdf

    if agency_id:
        context = pack_pdf_context(
            review, agency_id=agency_id, generated_at=timezone.now(), generated_by=by
        )
        return render_pdf(TEMPLATE, context)
    context = pack_pdf_context(review)
    fingerprint = _fingerprint(context)
    kept = _kept_fresh(review, fingerprint)
    pdf = _read(kept) if kept else None
    return pdf if pdf is not None else _make(review, context, fingerprint)


def pack_pdf_prepare(*, review):
    """Make and keep the whole pack's PDF unless the kept one is still right (the worker's
    job, `rapid_reviews.tasks.prepare_pack_pdf`). Returns whether it made one."""
    context = pack_pdf_context(review)
    fingerprint = _fingerprint(context)
    if _kept_fresh(review, fingerprint):
        return False
    _make(review, context, fingerprint)
    return True


def _kept_fresh(review, fingerprint):
    """The kept PDF if it was made from this HTML and its file is there, else None."""
    kept = PackPdf.objects.filter(rapid_review=review, fingerprint=fingerprint).first()
    if kept and kept.file and kept.file.storage.exists(kept.file.name):
        return kept
    return None


def pack_pdf_queue(*, review):
    """After the transaction that changed the pack commits, ask a worker to make its PDF.
    Without a worker (the embedded default runs tasks in the request), the first download
    makes it instead."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    from rapid_reviews.tasks import prepare_pack_pdf

    transaction.on_commit(lambda: prepare_pack_pdf.delay(review.pk))


def _fingerprint(context):
    html = render_to_string(TEMPLATE, context | {"generated_at": None, "generated_by": None})
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def _read(kept):
    try:
        with kept.file.open("rb") as stored:
            return stored.read()
    except (FileNotFoundError, ValueError):
        return None  # the file went (a restore without the files): make it again


def _make(review, context, fingerprint):
    """Render the PDF and keep it in place of the old one, whose file goes once the new
    row is committed. Makers take turns on the case's row, the row a retention purge
    locks: two at once (a worker and a download) keep the last one's PDF, and a case
    purged while its PDF was being made keeps nothing. A new file whose row is not
    committed is removed, so no copy of a pack is left on disk without a row to purge it.
    """
    from cspr.pdf import render_pdf

    pdf = render_pdf(TEMPLATE, context | {"generated_at": timezone.now(), "generated_by": None})
    storage, new = PackPdf._meta.get_field("file").storage, None
    try:
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=review.case_id)
            if not list(case.values_list("pk", flat=True)):
                return pdf  # purged meanwhile: nothing to keep
            kept = PackPdf.objects.filter(rapid_review=review).first()
            old = kept.file.name if kept and kept.file else None
            kept = kept or PackPdf(rapid_review=review)
            kept.fingerprint, kept.made_at = fingerprint, timezone.now()
            kept.file.save("pack.pdf", ContentFile(pdf), save=False)
            new = kept.file.name
            kept.save()
            if old:
                transaction.on_commit(lambda: storage.delete(old), robust=True)
    except IntegrityError:
        # Another maker kept one first where rows cannot be locked (SQLite): serve this one.
        if new:
            storage.delete(new)
        return pdf
    except BaseException:
        if new:
            storage.delete(new)
        raise
    return pdf


def pack_pdf_forget(*, review):
    """Remove the kept PDF, row now and file once that is committed: a return unlocked is
    often one that was wrong, and its old content should not stay on disk."""
    kept = PackPdf.objects.filter(rapid_review=review).first()
    if kept is None:
        return
    storage, name = kept.file.storage, kept.file.name
    kept.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)
