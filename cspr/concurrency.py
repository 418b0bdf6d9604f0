"""Optimistic locking for pages that edit a record in place, without a schema change.

The edit page carries a hidden `version`: a hash of the record's saved values when the
page was opened. The service re-reads the record under its row lock and, when the hash
has changed since, refuses with `EditConflict` instead of overwriting what the other
person saved. The view shows the refusal in the error summary, keeps everything the
person typed, and puts the current version in the form, so a second save (once they
have checked the other person's changes) goes through.

A post without a version (a script, an old page) is not checked; every edit page sends one.
"""

import hashlib
import json

from django import forms
from django.utils import timezone

from cspr.errors import TransitionNotAllowed


def version_of(values) -> str:
    """A short, stable hash of a record's saved values (any JSON-able structure; dates,
    decimals and the like by their text)."""
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def saved_values(obj, *, exclude=("id",)):
    """{field: value} of a model instance's own columns (foreign keys by id)."""
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.name not in exclude
    }


class EditConflict(TransitionNotAllowed):
    """Someone saved the record after this person opened it. `current` is the version
    now saved, for the form to carry on the next attempt."""

    def __init__(self, *, what, current, saved_by=None, saved_at=None, by=None):
        self.current = current
        who = "Someone else"
        if saved_by is not None and by is not None and saved_by.pk == by.pk:
            who = "You (in another window or tab)"
        elif saved_by is not None:
            who = f"Someone else ({saved_by})"
        when = f" at {timezone.localtime(saved_at):%H:%M}" if saved_at else ""
        super().__init__(
            f"{who} saved {what}{when}, after you opened this page. Your changes are below, "
            "not saved: check theirs and save again."
        )


def last_change(*histories):
    """(who, when) of the newest row across django-simple-history querysets, or (None, None)."""
    newest = None
    for history in histories:
        row = history.select_related("history_user").order_by("-history_date").first()
        if row is not None and (newest is None or row.history_date > newest.history_date):
            newest = row
    if newest is None:
        return None, None
    return newest.history_user, newest.history_date


def check_version(version, *, current, what, by, histories=()):
    """Refuse with `EditConflict` when the page's `version` is not the `current` one.
    Call it under the record's row lock, before changing anything."""
    if not version or version == current:
        return
    saved_by, saved_at = last_change(*histories)
    raise EditConflict(what=what, current=current, saved_by=saved_by, saved_at=saved_at, by=by)


class VersionField(forms.CharField):
    """The hidden version an edit form carries back."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)


def carry_version(form, version):
    """Let a re-shown bound form carry `version` instead of the one it was posted with."""
    if "version" in form.fields:
        data = form.data.copy()
        data[form.add_prefix("version")] = version
        form.data = data


def carry_current_version(form, error):
    """After an `EditConflict`, let the re-shown form carry the version now saved, so
    saving again (having checked the other person's changes) goes through."""
    if isinstance(error, EditConflict):
        carry_version(form, error.current)
