"""Retention: legal holds, and `purge_expired` deleting what is past its period together
with its history and access log rows, never a held case."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cspr.errors import TransitionNotAllowed
from cspr.models import AccessLogEntry, Case, CaseEvent, EventKind, RetentionRule, Stage
from cspr.services.cases import case_move_stage
from cspr.services.retention import (
    CASE_RECORDS,
    case_legal_hold_clear,
    case_legal_hold_set,
    records_purge_expired,
)
from tests.security.test_history_coverage import PROJECT_APPS, project_models

LATER = timezone.now() + datetime.timedelta(days=366 * 16)  # past the 15-year default


def _close(side):
    case = Case.objects.get(pk=side.case.pk)
    case_move_stage(case=case, to=Stage.CLOSED, by=side["business_manager"], note="Panel agreed")
    return case


def _read(client, side):
    """Leave access log rows on the case: the business unit reads it."""
    client.force_login(side["business_manager"])
    assert client.get(reverse("case-detail", args=[side.case.pk])).status_code == 200


def _types(report):
    return [item.record_type for item in report]


def _rows_of(case_pk):
    """Every live and history row that leads to the case, by model label."""
    from cspr.services.retention import _history_model, _ids, _models

    cache, counts = {}, {}
    for model, path in _models(CASE_RECORDS):
        ids = _ids(model, path, {case_pk}, cache)
        live = model._base_manager.filter(pk__in=ids).count()
        history = _history_model(model)
        past = history.objects.filter(id__in=ids).count() if history else 0
        if live or past:
            counts[model._meta.label] = (live, past)
    return counts


@pytest.fixture
def closed(sides, client):
    """Northtown's case after a whole rapid review (report sent), read, then closed;
    Southvale's the same but left open."""
    sides.build("reported").build("submitted_return")
    _read(client, sides.north)
    _read(client, sides.south)
    _close(sides.north)
    return sides


# ---------------------------------------------------------------- legal hold


def test_the_business_unit_puts_a_case_on_hold_with_a_reason_and_an_event(world):
    case = case_legal_hold_set(
        case=world.case, reason="Civil claim notified", by=world["business_manager"]
    )
    assert (case.legal_hold, case.legal_hold_reason) == (True, "Civil claim notified")
    assert case.legal_hold_by == world["business_manager"] and case.legal_hold_at
    event = CaseEvent.objects.get(case=case, kind=EventKind.LEGAL_HOLD_SET)
    assert (event.by, event.note) == (world["business_manager"], "Civil claim notified")
    assert case.history.latest().history_change_reason == "Legal hold set"


@pytest.mark.parametrize(
    "persona", ["executive", "subgroup_chair", "police_contributor", "stranger"]
)
def test_only_the_business_unit_sets_a_legal_hold(world, persona):
    with pytest.raises(TransitionNotAllowed):
        case_legal_hold_set(case=world.case, reason="Because", by=world[persona])
    assert not Case.objects.get(pk=world.case.pk).legal_hold


def test_a_hold_needs_a_reason_and_cannot_be_set_twice_or_cleared_when_absent(world):
    manager = world["business_manager"]
    with pytest.raises(TransitionNotAllowed, match="Enter why"):
        case_legal_hold_set(case=world.case, reason="  ", by=manager)
    with pytest.raises(TransitionNotAllowed, match="not on legal hold"):
        case_legal_hold_clear(case=world.case, reason="Done", by=manager)
    case_legal_hold_set(case=world.case, reason="Inquest", by=manager)
    with pytest.raises(TransitionNotAllowed, match="already"):
        case_legal_hold_set(case=world.case, reason="Inquest", by=manager)


def test_clearing_a_hold_records_who_and_why(world):
    manager = world["business_manager"]
    case_legal_hold_set(case=world.case, reason="Inquest", by=manager)
    case = case_legal_hold_clear(case=world.case, reason="Inquest concluded", by=manager)
    assert (case.legal_hold, case.legal_hold_by, case.legal_hold_reason) == (False, None, "")
    assert CaseEvent.objects.get(kind=EventKind.LEGAL_HOLD_CLEARED).note == "Inquest concluded"


# ---------------------------------------------------------------- rules


def test_the_default_rules_are_seeded_and_say_what_they_count_from(db):
    rules = {rule.record_type: rule for rule in RetentionRule.objects.all()}
    assert {key: rule.years for key, rule in rules.items()} == {
        "case": 15,
        "referral": 6,
        "access_log": 6,
    }
    assert rules["case"].counted_from == "the day the case closed"


def test_an_administrator_edits_the_rules_in_the_admin(client, world):
    rule = RetentionRule.objects.get(record_type="case")
    client.force_login(world["administrator"])
    url = reverse("admin:cspr_retentionrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"years": 20, "note": "Records schedule 2026"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.years == 20
    assert rule.history.latest().history_user == world["administrator"]
    client.force_login(world["business_manager"])
    assert client.get(url).status_code == 302  # to the sign-in page: not for them


# ---------------------------------------------------------------- purge


def test_every_model_that_leads_to_a_case_is_purged_with_it():
    """A new stage record that points (however far) to a case must be in CASE_RECORDS."""
    case_model = apps.get_model("cspr", "Case")

    def leads_to_case(model, depth=0):
        if model is case_model:
            return True
        if depth > 5:
            return False
        return any(
            leads_to_case(field.related_model, depth + 1)
            for field in model._meta.concrete_fields
            if field.is_relation and field.many_to_one or field.one_to_one
        )

    listed = {label for label, _ in CASE_RECORDS}
    missing = [
        model._meta.label
        for model in project_models()
        if leads_to_case(model) and model._meta.label not in listed
    ]
    assert PROJECT_APPS and missing == []


def test_a_dry_run_lists_the_expired_case_and_deletes_nothing(closed):
    before = _rows_of(closed.north.case.pk)
    report = records_purge_expired(now=LATER)
    # Southvale's case is open, but its access log rows are past their own 6 years.
    assert _types(report) == ["case", "access_log"]
    assert closed.north.case.pseudonym in report[0].line()
    assert report[0].counts["history rows"] > 0 and report[0].counts["access log entries"] == 1
    assert _rows_of(closed.north.case.pk) == before


def test_purging_deletes_the_case_its_records_their_history_and_access_log(closed):
    case_pk = closed.north.case.pk
    assert {"cspr.Case", "cspr.AccessLogEntry", "rapid_reviews.InformationReturn"} <= set(
        _rows_of(case_pk)
    )
    records_purge_expired(now=LATER, commit=True)
    assert _rows_of(case_pk) == {}
    assert not AccessLogEntry.objects.filter(case_id=case_pk).exists()
    # The other partnership's open case, and its history, are untouched.
    south = _rows_of(closed.south.case.pk)
    assert south["cspr.Case"][0] == 1 and south["cspr.Case"][1] > 0
    assert "cspr.AccessLogEntry" not in south  # past its own 6 years


def test_purging_deletes_the_kept_pack_pdf_and_its_file(
    closed, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from rapid_reviews.models import PackPdf, RapidReview
    from rapid_reviews.services.pack import pack_pdf_prepare

    pack_pdf_prepare(review=RapidReview.objects.get(case=closed.north.case))
    kept = PackPdf.objects.get()
    storage, name = kept.file.storage, kept.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        records_purge_expired(now=LATER, commit=True)

    assert not PackPdf.objects.exists() and not storage.exists(name)


def test_a_held_case_survives_the_purge(closed):
    case_legal_hold_set(
        case=closed.north.case, reason="Police investigation", by=closed.north["business_manager"]
    )
    before = _rows_of(closed.north.case.pk)
    assert _types(records_purge_expired(now=LATER, commit=True)) == ["access_log"]
    # The hold itself added history and an event; nothing went.
    assert _rows_of(closed.north.case.pk) == before


def test_a_case_closed_recently_or_still_open_is_kept(closed):
    assert records_purge_expired(now=timezone.now() + datetime.timedelta(days=365)) == []
    label = records_purge_expired(now=LATER, commit=True)[0].label
    assert label.startswith(f'Case "{closed.north.case.pseudonym}"')
    assert Case.objects.filter(pk=closed.south.case.pk).exists()


def test_the_period_counts_from_the_last_closing(world):
    manager = world["business_manager"]
    case = Case.objects.get(pk=world.case.pk)
    case_move_stage(case=case, to=Stage.CLOSED, by=manager)
    case.history.update(history_date=timezone.now() - datetime.timedelta(days=366 * 20))
    case_move_stage(case=case, to=Stage.REFERRAL, by=manager, note="Reopened")
    case_move_stage(case=case, to=Stage.CLOSED, by=manager, note="Closed again")
    assert records_purge_expired(now=timezone.now() + datetime.timedelta(days=366 * 10)) == []


def test_a_referral_that_never_became_a_case_goes_with_its_child_history_and_log(world, client):
    from referrals import services
    from referrals.models import Referral, ReferralChild
    from tests.referrals.conftest import make_draft

    referral = make_draft(world)
    client.force_login(world["police_contributor"])
    client.get(reverse("referral-detail", args=[referral.pk]))
    referral = services.referral_withdraw(
        referral=referral, reason="Sent in error", by=world["police_contributor"]
    )
    entry = AccessLogEntry.objects.get(object_type="referral", object_id=referral.pk)
    assert entry.agency == world.police  # the referring agency's material
    later = timezone.now() + datetime.timedelta(days=366 * 7)
    report = records_purge_expired(now=later, commit=True)
    # The access log's item is the sign-in record force_login left.
    assert [item.record_type for item in report] == ["referral", "access_log"]
    assert report[1].counts == {"access log entries": 0, "sign-in records": 1}
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not Referral.history.filter(id=referral.pk).exists()
    assert not ReferralChild.history.filter(referral_id=referral.pk).exists()
    assert not AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_reads_of_a_referral_before_it_had_a_case_go_with_the_case(world, client):
    from referrals import services
    from tests.referrals.conftest import make_draft

    referral = services.referral_submit(referral=make_draft(world), by=world["police_contributor"])
    client.force_login(world["police_contributor"])
    client.get(reverse("referral-detail", args=[referral.pk]))
    entry = AccessLogEntry.objects.get()
    assert (entry.case, entry.object_model) == (None, "referrals.referral")
    referral = services.referral_triage(
        referral=referral, pseudonym="Child R", note="Meets it", by=world["business_manager"]
    )
    case_move_stage(case=referral.case, to=Stage.CLOSED, by=world["business_manager"])
    report = records_purge_expired(now=LATER, commit=True)
    assert report[0].counts["access log entries"] == 1
    assert not AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_a_held_case_keeps_the_reads_of_its_referral_from_before_it_had_a_case(world, client):
    from referrals import services
    from tests.referrals.conftest import make_draft

    referral = services.referral_submit(referral=make_draft(world), by=world["police_contributor"])
    client.force_login(world["police_contributor"])
    client.get(reverse("referral-detail", args=[referral.pk]))
    entry = AccessLogEntry.objects.get()
    referral = services.referral_triage(
        referral=referral, pseudonym="Child R", note="Meets it", by=world["business_manager"]
    )
    case_legal_hold_set(case=referral.case, reason="Inquest", by=world["business_manager"])
    later = timezone.now() + datetime.timedelta(days=366 * 7)
    records_purge_expired(now=later, commit=True)
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_old_access_log_rows_go_but_not_those_of_a_held_case(closed):
    case_legal_hold_set(
        case=closed.north.case, reason="Inquest", by=closed.north["business_manager"]
    )
    later = timezone.now() + datetime.timedelta(days=366 * 7)
    report = records_purge_expired(now=later, commit=True)
    assert [item.record_type for item in report] == ["access_log"]
    assert report[0].counts["access log entries"] == 1
    assert AccessLogEntry.objects.filter(case=closed.north.case).count() == 1
    assert not AccessLogEntry.objects.filter(case=closed.south.case).exists()


def test_old_sign_in_records_go_with_the_access_log(closed):
    """django-axes' record of each sign-in (user name, address, browser) is kept as long as
    the access log, then removed: a dry run counts them, a committed run deletes them."""
    from axes.models import AccessLog as SignInRecord

    later = timezone.now() + datetime.timedelta(days=366 * 7)
    old = SignInRecord.objects.create(
        username="manager", ip_address="192.0.2.1", user_agent="Fictional browser"
    )
    SignInRecord.objects.filter(pk=old.pk).update(attempt_time=timezone.now())
    recent = SignInRecord.objects.create(
        username="manager", ip_address="192.0.2.1", user_agent="Fictional browser"
    )
    SignInRecord.objects.filter(pk=recent.pk).update(attempt_time=later)

    expired = SignInRecord.objects.exclude(pk=recent.pk).count()  # the fixture's too
    dry = records_purge_expired(now=later, commit=False)
    assert [
        item.counts.get("sign-in records") for item in dry if item.record_type == "access_log"
    ] == [expired]
    assert SignInRecord.objects.count() == expired + 1

    records_purge_expired(now=later, commit=True)
    assert list(SignInRecord.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_record_type_without_a_rule_is_kept(closed):
    RetentionRule.objects.filter(record_type="case").delete()
    assert _types(records_purge_expired(now=LATER, commit=True)) == ["access_log"]
    assert Case.objects.filter(pk=closed.north.case.pk).exists()


def test_the_command_is_a_dry_run_unless_told_to_commit(closed, monkeypatch):
    import cspr.services.retention as retention

    real = retention.records_purge_expired
    monkeypatch.setattr(
        "cspr.management.commands.purge_expired.records_purge_expired",
        lambda commit: real(now=LATER, commit=commit),
    )
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    name = closed.north.case.pseudonym
    assert f'Would delete Case "{name}"' in out.getvalue() and "Dry run" in out.getvalue()
    assert Case.objects.filter(pk=closed.north.case.pk).exists()
    out = io.StringIO()
    call_command("purge_expired", "--commit", stdout=out)
    assert f'Deleted Case "{name}"' in out.getvalue()
    assert not Case.objects.filter(pk=closed.north.case.pk).exists()


def test_the_command_says_when_nothing_is_due(db):
    RetentionRule.objects.filter(record_type="referral").delete()
    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "Nothing is past its retention period." in out.getvalue()
    assert "No retention rule for referral that never became a case: kept." in out.getvalue()
