"""Retention: legal holds on cases, and deleting what is past its retention period.

The periods are `RetentionRule` rows (administrators edit them in the Django admin; the
defaults are in docs/security.md). A record type without a rule is never purged. A case on
legal hold is never purged, nor anything recorded on it.

The kernel lists the stage apps' records here, by label, in the order they can be deleted
(a record before what it points to). `tests/security/test_retention.py` fails when a model
that leads to a case is missing from `CASE_RECORDS`, so a new stage record cannot be
silently left behind.
"""

from dataclasses import dataclass, field

from axes.models import AccessLog as SignInRecord
from django.apps import apps
from django.db import transaction
from django.db.models import FileField, Q
from django.utils import timezone

from cspr import access
from cspr.errors import TransitionNotAllowed
from cspr.models import AccessLogEntry, Case, EventKind, RecordType, RetentionRule, Stage
from cspr.services.audit import record_event, stamp

# (model label, lookup from the model to its case): deletion order.
CASE_RECORDS = [
    ("actions.ProgressUpdate", "action__plan__case"),
    ("actions.Evidence", "action__plan__case"),
    ("actions.Barrier", "action__plan__case"),
    ("actions.ActionTheme", "action__plan__case"),
    ("actions.Action", "plan__case"),
    ("actions.ActionPlan", "case"),
    ("actions.CaseTheme", "case"),
    ("actions.LearningEventCase", "case"),
    ("reviews.QualityAssurance", "review__case"),
    ("reviews.ReportDraft", "review__case"),
    ("reviews.ReviewBriefing", "review__case"),
    ("reviews.PublicationPlan", "review__case"),
    ("reviews.ReviewerRequest", "review__case"),
    ("reviews.MonitoringCheckpoint", "review__case"),
    ("reviews.StartLetter", "review__case"),
    ("reviews.FamilyEngagement", "review__case"),
    ("reviews.GroupMember", "review__case"),
    ("reviews.TermsOfReference", "review__case"),
    ("reviews.ReviewerAppointment", "review__case"),
    ("reviews.LocalReview", "case"),
    ("reviews.ParallelProcess", "case"),
    ("reviews.NationalReview", "case"),
    ("rapid_reviews.ReturnAttachment", "information_return__request__rapid_review__case"),
    ("rapid_reviews.ReturnAddendum", "information_return__request__rapid_review__case"),
    ("rapid_reviews.ChronologyEntry", "information_return__request__rapid_review__case"),
    (
        "rapid_reviews.InformationReturnGroupObjectPermission",
        "content_object__request__rapid_review__case",
    ),
    (
        "rapid_reviews.InformationReturnUserObjectPermission",
        "content_object__request__rapid_review__case",
    ),
    ("rapid_reviews.InformationReturn", "request__rapid_review__case"),
    ("rapid_reviews.InformationRequest", "rapid_review__case"),
    ("rapid_reviews.ImmediateAction", "meeting__rapid_review__case"),
    ("rapid_reviews.LearningMeeting", "rapid_review__case"),
    ("rapid_reviews.PartnerSignOff", "rapid_review__case"),
    ("rapid_reviews.FamilyContact", "rapid_review__case"),
    ("rapid_reviews.PanelResponse", "rapid_review__case"),
    ("rapid_reviews.Circulation", "rapid_review__case"),
    ("rapid_reviews.LearningBriefing", "rapid_review__case"),
    ("rapid_reviews.PackPdf", "rapid_review__case"),
    ("rapid_reviews.RapidReview", "case"),
    ("referrals.ReferralChild", "referral__case"),
    ("referrals.Referral", "case"),
    ("referrals.Notification", "case"),
    ("cspr.Reminder", "deadline__case"),
    ("cspr.Deadline", "case"),
    ("cspr.CaseEvent", "case"),
    ("cspr.ChildRecord", "case"),
    ("cspr.CaseUserObjectPermission", "content_object"),
    ("cspr.CaseGroupObjectPermission", "content_object"),
    ("cspr.AccessLogEntry", "case"),
    ("cspr.Case", ""),
]

REFERRAL_RECORDS = [
    ("referrals.ReferralChild", "referral"),
    ("referrals.Referral", ""),
]


# ---------------------------------------------------------------------------- legal hold


def _lock(case):
    return Case.objects.select_for_update().get(pk=case.pk)


def case_legal_hold_set(*, case, reason, by):
    """Put the case on legal hold: it is kept whatever its retention period says.
    Business unit of the case's partnership only; the reason is required."""
    reason = (reason or "").strip()
    with transaction.atomic():
        case = _lock(case)
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can put a case on legal hold.")
        if case.legal_hold:
            raise TransitionNotAllowed("The case is already on legal hold.")
        if not reason:
            raise TransitionNotAllowed("Enter why the case is on legal hold.")
        case.legal_hold = True
        case.legal_hold_reason = reason
        case.legal_hold_at = timezone.now()
        case.legal_hold_by = by
        stamp(case, by=by, reason="Legal hold set").save(
            update_fields=["legal_hold", "legal_hold_reason", "legal_hold_at", "legal_hold_by"]
        )
        record_event(
            case=case, kind=EventKind.LEGAL_HOLD_SET, by=by, summary="Legal hold set", note=reason
        )
    return case


def case_legal_hold_clear(*, case, reason, by):
    """Take the case off legal hold: its retention period applies again from now on.
    Business unit of the case's partnership only; the reason is required."""
    reason = (reason or "").strip()
    with transaction.atomic():
        case = _lock(case)
        if not access.can(by, access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit can clear a legal hold.")
        if not case.legal_hold:
            raise TransitionNotAllowed("The case is not on legal hold.")
        if not reason:
            raise TransitionNotAllowed("Enter why the legal hold is cleared.")
        case.legal_hold = False
        case.legal_hold_reason = ""
        case.legal_hold_at = None
        case.legal_hold_by = None
        stamp(case, by=by, reason="Legal hold cleared").save(
            update_fields=["legal_hold", "legal_hold_reason", "legal_hold_at", "legal_hold_by"]
        )
        record_event(
            case=case,
            kind=EventKind.LEGAL_HOLD_CLEARED,
            by=by,
            summary="Legal hold cleared",
            note=reason,
        )
    return case


# ---------------------------------------------------------------------------- purge


@dataclass
class Purged:
    """One case or referral (or a batch of access log rows) past retention."""

    record_type: str
    label: str
    counts: dict = field(default_factory=dict)

    def line(self):
        parts = ", ".join(f"{n} {name}" for name, n in self.counts.items() if n)
        return f"{self.label}: {parts or 'nothing'}"


def years_before(moment, years):
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _history_model(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _ids(model, path, root_ids, cache):
    """Ids of `model` rows (live, and gone but still in their history) under `root_ids`
    along `path`: history counts, so rows deleted earlier lose their history rows too."""
    key = (model._meta.label, path)
    if key in cache:
        return cache[key]
    if not path:
        found = set(root_ids)
    else:
        first, _, rest = path.partition("__")
        fk = model._meta.get_field(first)
        parents = _ids(fk.related_model, rest, root_ids, cache)
        lookup = {f"{fk.attname}__in": parents}
        found = set(model._base_manager.filter(**lookup).values_list("pk", flat=True))
        history = _history_model(model)
        if history is not None:
            found |= set(history.objects.filter(**lookup).values_list("id", flat=True))
    cache[key] = found
    return found


def _models(plan):
    for label, path in plan:
        try:
            yield apps.get_model(label), path
        except LookupError:  # a stage app that is not installed
            continue


def _remove_files_on_commit(rows):
    """Stored files of the rows (attachments) go once the rows' deletion is committed."""
    files = [
        (field.storage, getattr(row, field.attname).name)
        for row in rows
        for field in row._meta.concrete_fields
        if isinstance(field, FileField) and getattr(row, field.attname)
    ]
    for storage, name in files:
        # robust: one file that cannot be removed is logged, and stops no other.
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name), robust=True)


def _delete(plan, root_ids, *, commit, counts):
    """Delete (or count) the plan's rows under `root_ids`, their history rows, and every
    access log row about the root or any of those rows (by case, or by object)."""
    cache = {}
    found = [(model, _ids(model, path, root_ids, cache)) for model, path in _models(plan)]
    about = Q(pk__in=[])
    for model, ids in found:
        if model is AccessLogEntry:
            about |= Q(pk__in=ids)
        else:
            about |= Q(object_model=model._meta.label_lower, object_id__in=ids)
    log = AccessLogEntry.objects.filter(about)
    counts["access log entries"] = log.count()
    if commit:
        log.delete()  # first: deleting a case would cascade to them uncounted
    history_rows = 0
    for model, ids in found:
        if model is AccessLogEntry:
            continue
        live = model._base_manager.filter(pk__in=ids)
        counts[model._meta.verbose_name_plural] = live.count()
        history = _history_model(model)
        if commit:
            if any(isinstance(f, FileField) for f in model._meta.concrete_fields):
                _remove_files_on_commit(list(live))
            live.delete()
        if history is not None:
            # After the delete: it writes a "deleted" history row, which goes too.
            rows = history.objects.filter(id__in=ids)
            history_rows += rows.delete()[0] if commit else rows.count()
    counts["history rows"] = history_rows


def closed_since(case):
    """When the case last closed: the first history row of its latest closed run."""
    history = case.history.order_by("history_date", "history_id")
    last_open = history.exclude(stage=Stage.CLOSED).values_list("history_date", flat=True).last()
    closed = history.filter(stage=Stage.CLOSED)
    if last_open is not None:
        closed = closed.filter(history_date__gt=last_open)
    return closed.values_list("history_date", flat=True).first()


def _rules():
    return {rule.record_type: rule.years for rule in RetentionRule.objects.all()}


def expired_cases(now, years):
    """Closed cases, not on hold, closed for longer than `years` before `now`."""
    cutoff = years_before(now, years)
    for case in Case.objects.filter(stage=Stage.CLOSED, legal_hold=False).order_by("pk"):
        since = closed_since(case)
        if since is not None and since <= cutoff:
            yield case, since


def records_purge_expired(*, now=None, commit=False):
    """Delete (with `commit`; else only list) every record past its retention period,
    with its django-simple-history rows and access log rows. For `manage.py
    purge_expired`, run by the system owner. A case is locked and its hold read again
    before it goes; a held case is never deleted. Returns what went (or would go)."""
    from referrals.models import Referral, ReferralStatus

    now = now or timezone.now()
    rules = _rules()
    report = []
    if RecordType.CASE in rules:
        for case, since in list(expired_cases(now, rules[RecordType.CASE])):
            with transaction.atomic():
                locked = Case.objects.select_for_update().filter(pk=case.pk).first()
                if locked is None or locked.legal_hold or locked.stage != Stage.CLOSED:
                    continue
                item = Purged(
                    RecordType.CASE,
                    f'Case "{case.pseudonym}" (id {case.pk}), closed {since:%d %B %Y}',
                )
                _delete(CASE_RECORDS, {case.pk}, commit=commit, counts=item.counts)
                report.append(item)
    if RecordType.REFERRAL in rules:
        cutoff = years_before(now, rules[RecordType.REFERRAL])
        expired = Referral.objects.filter(
            case__isnull=True,
            status__in=[ReferralStatus.WITHDRAWN, ReferralStatus.DECIDED],
            updated_at__lte=cutoff,
        ).order_by("pk")
        for referral in expired:
            with transaction.atomic():
                item = Purged(RecordType.REFERRAL, f"Referral {referral.pk} ({referral.status})")
                _delete(REFERRAL_RECORDS, {referral.pk}, commit=commit, counts=item.counts)
                report.append(item)
    if RecordType.ACCESS_LOG in rules:
        cutoff = years_before(now, rules[RecordType.ACCESS_LOG])
        # A held case keeps every row about it, reads of its referral before triage included
        # (those rows were written before the referral had a case).
        held_referrals = Referral.objects.filter(case__legal_hold=True)
        old = (
            AccessLogEntry.objects.filter(at__lte=cutoff)
            .exclude(case__legal_hold=True)
            .exclude(object_model="referrals.referral", object_id__in=held_referrals.values("pk"))
            .exclude(
                object_model="referrals.referralchild",
                object_id__in=held_referrals.values("child__pk"),
            )
        )
        item = Purged(RecordType.ACCESS_LOG, f"Access log entries before {cutoff:%d %B %Y}")
        item.counts["access log entries"] = old.delete()[0] if commit else old.count()
        # django-axes' record of each sign-in (user name, address, browser) is an access
        # log too, and nothing else ever removes it.
        sign_ins = SignInRecord.objects.filter(attempt_time__lte=cutoff)
        if signed := (sign_ins.delete()[0] if commit else sign_ins.count()):
            item.counts["sign-in records"] = signed
        if any(item.counts.values()):
            report.append(item)
    return report


def missing_rules():
    """Record types with no rule: never purged until an administrator sets one."""
    return [t for t in RecordType if t not in _rules()]
