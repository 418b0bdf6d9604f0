"""Subject access: everything held about one person, as plain data, for the data
protection officer to review before anything is disclosed (`manage.py
subject_access_export`).

A person is found by name (a child, a family member, a professional named in a record)
or, for staff, by their account. What comes back is raw and unredacted: third parties'
data in it is for the officer to weigh, not for this code.
"""

from django.apps import apps
from django.core import serializers
from django.db.models import CharField, Q, TextField
from simple_history.models import HistoricalChanges

from cspr.models import AccessLogEntry, CaseEvent, ChildRecord, User

PROJECT_APPS = ["cspr", "referrals", "rapid_reviews", "reviews", "actions"]
NEVER_EXPORTED = {"password"}


def _rows(queryset):
    """Model rows as plain dicts (model, pk, fields), without secrets."""
    rows = serializers.serialize("python", queryset)
    for row in rows:
        for name in NEVER_EXPORTED:
            row["fields"].pop(name, None)
    return rows


def split_name(name):
    """ "Robin Alex Quillfeather" -> ("Robin Alex", "Quillfeather")."""
    parts = name.split()
    if len(parts) < 2:
        raise ValueError("Give the person's given and family names.")
    return " ".join(parts[:-1]), parts[-1]


def _named(model, given_field, family_field, given, family):
    return model._base_manager.filter(
        **{f"{given_field}__iexact": given, f"{family_field}__iexact": family}
    )


def _with_history(model, given_field, family_field, given, family):
    """The live rows with this name now or at any time before, and all their history."""
    history = model.history.model
    ids = set(_named(model, given_field, family_field, given, family).values_list("pk", flat=True))
    ids |= set(
        _named(history, given_field, family_field, given, family).values_list("id", flat=True)
    )
    live = model._base_manager.filter(pk__in=ids).order_by("pk")
    past = history.objects.filter(id__in=ids).order_by("id", "history_date")
    return ids, live, past


def _mentions(full_name, skip):
    """Rows of any project model with the full name in a text field, except those in
    `skip` ({label: ids}): free text (case outlines, chronologies, notes) naming them."""
    found = []
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            text_fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, (CharField, TextField)) and f.name not in NEVER_EXPORTED
            ]
            if not text_fields:
                continue
            where = Q()
            for name in text_fields:
                where |= Q(**{f"{name}__icontains": full_name})
            rows = model._base_manager.filter(where)
            key = model._meta.label
            if key in skip:
                rows = rows.exclude(pk__in=skip[key])
            if issubclass(model, HistoricalChanges):
                rows = rows.order_by("history_id")
            else:
                rows = rows.order_by("pk")
            found.extend(_rows(rows))
    return found


def subject_access_collect(*, name="", username=""):
    """Everything held about the person named (given and family names) and/or the
    account `username`: a dict of sections, each a list of rows. For the system owner,
    on the data protection officer's request; it changes nothing."""
    from referrals.models import Referral, ReferralChild

    result = {"subject": {"name": name, "username": username}}
    skip = {}
    users = User.objects.none()
    if name:
        given, family = split_name(name)
        child_ids, children, children_past = _with_history(
            ChildRecord, "given_names", "family_name", given, family
        )
        referral_child_ids, referral_children, referral_children_past = _with_history(
            ReferralChild, "given_names", "family_name", given, family
        )
        case_ids = set(children.values_list("case_id", flat=True))
        referral_ids = set(referral_children.values_list("referral_id", flat=True))
        result["child_records"] = _rows(children)
        result["child_record_history"] = _rows(children_past)
        result["referral_children"] = _rows(referral_children)
        result["referral_child_history"] = _rows(referral_children_past)
        result["referrals"] = _rows(Referral.objects.filter(pk__in=referral_ids).order_by("pk"))
        result["family_contacts"] = _family_contacts(case_ids)
        # Who saw the child's identifying details, from the access log.
        result["child_details_seen_by"] = _rows(
            AccessLogEntry.objects.filter(case_id__in=case_ids, child_details=True).order_by(
                "at", "id"
            )
        )
        users = _named(User, "first_name", "last_name", given, family)
        skip = {
            "cspr.ChildRecord": child_ids,
            "cspr.HistoricalChildRecord": _history_ids(ChildRecord, child_ids),
            "referrals.ReferralChild": referral_child_ids,
            "referrals.HistoricalReferralChild": _history_ids(ReferralChild, referral_child_ids),
            "referrals.Referral": referral_ids,
        }
    if username:
        users = users | User.objects.filter(username=username)
    user_ids = set(users.values_list("pk", flat=True))
    if user_ids:
        result["people"] = _rows(User.objects.filter(pk__in=user_ids).order_by("pk"))
        result["people_history"] = _rows(
            User.history.filter(id__in=user_ids).order_by("id", "history_date")
        )
        result["access_log"] = _rows(
            AccessLogEntry.objects.filter(user_id__in=user_ids).order_by("at", "id")
        )
        result["case_events_by_them"] = _rows(
            CaseEvent.objects.filter(by_id__in=user_ids).order_by("at", "id")
        )
        skip["cspr.User"] = user_ids
        skip["cspr.HistoricalUser"] = set(
            User.history.filter(id__in=user_ids).values_list("history_id", flat=True)
        )
    full_names = {name} if name else set()
    full_names |= {u.get_full_name() for u in users if u.get_full_name()}
    result["mentions"] = []
    for full_name in sorted(full_names):
        result["mentions"].extend(_mentions(full_name, skip))
    return result


def _history_ids(model, ids):
    return set(model.history.filter(id__in=ids).values_list("history_id", flat=True))


def _family_contacts(case_ids):
    """The partnership's contacts with the child's family, on the child's cases."""
    from rapid_reviews.models import FamilyContact

    return _rows(
        FamilyContact.objects.filter(rapid_review__case_id__in=case_ids).order_by(
            "informed_on", "pk"
        )
    )
