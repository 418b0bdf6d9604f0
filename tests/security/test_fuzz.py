"""Every form, fuzzed: random and hostile input never breaks a page or stores a refused form.

For each POST view (the project's URL patterns say which; `FUZZ` must name every one) a
persona allowed to post sends a valid post mutated by Hypothesis: fields dropped, replaced
by hostile text (100,000 characters, control characters and NUL, HTML and script, SQL,
right-to-left overrides, zero-width characters, emoji, lone surrogates sent as raw bytes),
impossible dates, text where numbers, dates and choices belong, lists where one value
belongs, extra fields, and formsets claiming huge numbers of forms. Each example runs in a
savepoint that is rolled back, so every example starts from the same state.

Checked for each example:
- no server error (a status under 500, and no exception);
- a refused form (the page shown again, or a 400) stores nothing: the row count of every
  model and of every history table is unchanged;
- no page, the answer or the page it leads to, carries the hostile markup unescaped.

The reports' and lists' GET forms (dates, years, filters, page numbers in the query
string) are fuzzed the same way for server errors and unescaped markup.

Profiles: `FUZZ_PROFILE=ci` (default, about five minutes on SQLite) or `nightly` (many more
examples). The number of examples run is written to `test-artifacts/fuzz.txt`.
"""

import datetime
import inspect
import os
import pathlib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cspr.models import AgencyType, CalendarDay, ChildRecord, Reminder, Role
from tests.factories import AgencyFactory, UserFactory

D = datetime.date

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "nightly",
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
PROFILE = os.environ.get("FUZZ_PROFILE", "ci")
# Heavier pages (long forms, formsets) get fewer examples in the quick profile.
HEAVY = {"referral-edit": 0.75, "return-edit": 0.75, "meeting-record": 0.75}

# Markup that must never come back unescaped.
SCRIPT = "<script>fz(1)</script>"
IMG = '"><img src=x onerror=fz(2)>'
MARKERS = ("<script>fz(", "<img src=x onerror=fz(")

HOSTILE = [
    "",
    " ",
    "A" * 100_000,
    "x\x00y",
    "\x00",
    "\x01\x02\x1b[31m\x7f\x85",
    "line\r\nbreak\rcr",
    SCRIPT,
    IMG,
    "javascript:fz(3)",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "'; DROP TABLE cspr_case; --",
    "1 OR 1=1",
    '" OR ""="',
    "%00%27%3Cscript%3E",
    "‮gnp.exe",
    "zero​width‌joiner‍",
    "﻿BOM",
    "👩‍👧‍👦🏳️‍🌈",
    "𝕏𝔶𝔷 Ω≈ç√ ﷽",
    "Zalgo: Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "\ud800",  # a lone surrogate: sent as raw (invalid UTF-8) bytes
    "\udfff tail",
    "../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "true",
    "[]",
    "{}",
    "None",
]
DATES = [
    "0000-01-01",
    "0001-01-01",
    "1899-12-31",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "31/02/2026",
    "2026-11-05T10:00",
    "yesterday",
    "  2026-11-05  ",
]
COUNTS = ["1000000", "2001", "1001", "-5", "1e3", "99999999999999999999", "abc", ""]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(DATES),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
)


def _looks_like_a_date(value):
    return isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-"


def _value(valid):
    if _looks_like_a_date(valid):  # most likely to break arithmetic: dates at the edges
        return st.one_of(st.sampled_from(DATES), hostile_text, st.lists(hostile_text, max_size=3))
    return st.one_of(
        st.just(valid),
        hostile_text,
        st.lists(hostile_text, min_size=2, max_size=3),
    )


@dataclass
class Spec:
    """How to post to one view: who, on what, and a post it accepts."""

    persona: str
    state: str | None
    url: object  # (world, obj) -> path
    valid: object  # (world, obj) -> dict
    formsets: tuple = ()  # formset prefixes
    # A page shown again (200) that still stores by design: a draft is saved before a
    # submit is refused; new backup codes are shown on the page that made them.
    stores_on_200: object = None  # data -> bool
    upload: str | None = None  # the name of a file field
    examples: dict = field(default_factory=dict)


# ----------------------------------------------------------------- states to post on


def _executives(world):
    icb = AgencyFactory(
        partnership=world.partnership, name="Northtown ICB", type=AgencyType.INTEGRATED_CARE_BOARD
    )
    return [
        world["executive"],
        UserFactory(partnership=world.partnership, agency=world.police, roles=[Role.EXECUTIVE]),
        UserFactory(partnership=world.partnership, agency=icb, roles=[Role.EXECUTIVE]),
    ]


def _deadline(world):
    from cspr.deadline_rules import Rule
    from cspr.services.deadlines import deadline_set

    return deadline_set(
        case=world.case,
        rule=Rule.NOTIFICATION,
        anchor_date=D(2026, 11, 4),
        anchor_event="the local authority became aware",
        by=world["business_manager"],
    )


def _reminder(world):
    from cspr.models.reminders import ReminderKind, ReminderStatus

    deadline = _deadline(world)
    return Reminder.objects.create(
        deadline=deadline,
        kind=ReminderKind.BEFORE,
        days_before=3,
        recipient=world["business_manager"],
        for_day=deadline.due_on - datetime.timedelta(days=3),
        due_on=deadline.due_on,
        status=ReminderStatus.NOTIFIED,
        collected_at=timezone.now(),
    )


def _review(world):
    from rapid_reviews import services
    from tests.rapid_reviews.test_rapid_reviews import notify

    notify(world)
    return services.rapid_review_open(case=world.case, by=world["business_manager"])


def _police_request(world):
    from rapid_reviews import services

    return services.information_request_send(
        rapid_review=_review(world),
        agency=world.police,
        due_on=timezone.localdate() + datetime.timedelta(days=1),
        note="",
        by=world["business_manager"],
    )


def _submitted_return(world):
    from rapid_reviews import services
    from tests.rapid_reviews.test_returns import COMPLETE, ROW

    request = _police_request(world)
    information_return = request.information_return
    services.return_save_draft(
        information_return=information_return,
        fields=COMPLETE,
        rows=[ROW],
        by=world["police_contributor"],
    )
    services.return_submit(information_return=information_return, by=world["police_contributor"])
    return request


def _meeting(world):
    from tests.rapid_reviews.test_decision import meet

    review = _review(world)
    meet(world, review)
    return review


def _approved(world):
    from rapid_reviews import services

    review = _meeting(world)
    services.recommendation_approve(rapid_review=review, by=world["subgroup_chair"])
    return review


def _decided(world):
    from rapid_reviews import services
    from rapid_reviews.models import DistributionEntry

    review = _approved(world)
    for executive in _executives(world):
        services.partner_sign_off(rapid_review=review, by=executive)
    DistributionEntry.objects.create(
        partnership=world.partnership, role="Designated Doctor", position=0
    )
    return review


def _reported(world):
    from rapid_reviews import services

    review = _decided(world)
    services.report_sent(
        rapid_review=review, sent_on=timezone.localdate(), by=world["business_manager"]
    )
    return review


def _referral(status):
    def build(world):
        from referrals import services
        from tests.referrals.conftest import make_draft

        referral = make_draft(world)
        if status == "draft":
            return referral
        referral = services.referral_submit(referral=referral, by=world["police_contributor"])
        if status == "submitted":
            return referral
        return services.referral_triage(
            referral=referral,
            pseudonym="Child R",
            note="Threshold met",
            by=world["business_manager"],
        )

    return build


def _notification(world):
    from referrals.notifications import notification_open

    return notification_open(
        case=world.case, date_aware=D(2026, 11, 4), by=world["business_manager"]
    )


def _admin_day(world):
    return CalendarDay.objects.create(
        day=D(2026, 11, 6), is_working=False, title="One-off", source="administrator"
    )


def _attachment(world):
    from rapid_reviews.services.attachments import return_attachment_add
    from tests.security.test_uploads import PDF

    request = _police_request(world)
    attachment = return_attachment_add(
        information_return=request.information_return,
        upload=SimpleUploadedFile("statement.pdf", PDF, content_type="application/pdf"),
        by=world["police_contributor"],
    )
    return attachment


# The local review, by the builders of tests.reviews (one chain per state).


def _local(build):
    def state(world):
        from tests.reviews import builders

        return build(builders, world)

    return state


def _local_terms(builders, world):
    from reviews import services

    review = builders.commissioned(world)
    builders.appoint(world, review)
    return services.terms_save(
        review=review, fields=builders.TERMS, change_note="First draft", by=world["subgroup_chair"]
    )


def _local_letter(builders, world):
    from reviews import services

    return services.letter_prepare(
        review=builders.started(world),
        kind="referrer",
        agency=None,
        addressee="Sam Fictional, Designated Safeguarding Lead",
        organisation="",
        by=world["business_manager"],
    )


def _local_request(builders, world):
    from reviews import services

    return services.reviewer_request_send(
        review=builders.started(world),
        kind="information",
        text="Please send the practitioners' accounts (fictional).",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        by=world["business_manager"],
    )


def _local_process(world):
    from reviews import services

    return services.parallel_process_record(
        case=world.case,
        data={"kind": "police_investigation", "lead_body": "The police force (fictional)"},
        by=world["business_manager"],
    )


def _local_held(builders, world):
    """Planned for publication, with a parallel process open."""
    review = builders.planned(world)
    _local_process(world)
    return review


def _local_copies_sent(builders, world):
    """Approved, and the final copy sent, 30 days ago: publishing today gives 7 working
    days' notice."""
    from tests.security.conftest import backdate_approval

    review = builders.planned(world)
    backdate_approval(review, 30)
    return builders.send_copies(
        world, review, on=timezone.localdate() - datetime.timedelta(days=30)
    )


LOCAL_STATES = {
    "local_agreed": _local(lambda b, w: b.agreed(w)),
    "local_commissioned": _local(lambda b, w: b.commissioned(w)),
    "local_appointed": _local(lambda b, w: b.appoint(w, b.commissioned(w))),
    "local_terms": _local(_local_terms),
    "local_ready": _local(lambda b, w: b.ready_to_start(w)),
    "local_member": _local(lambda b, w: b.ready_to_start(w).members.get()),
    "local_started": _local(lambda b, w: b.started(w)),
    "local_checkpoint": _local(lambda b, w: b.started(w).checkpoints.get()),
    "local_letter": _local(_local_letter),
    "local_request": _local(_local_request),
    "local_draft": _local(lambda b, w: b.drafted(w).drafts.get()),
    "local_assured": _local(lambda b, w: b.quality_assured(w)),
    "local_approved": _local(lambda b, w: b.approved(w)),
    "local_planned": _local(lambda b, w: b.planned(w)),
    "local_copies_sent": _local(_local_copies_sent),
    "local_process": _local_process,
    "local_held": _local(_local_held),
    "national": _local(lambda b, w: b.agreed(w, outcome="national_review")),
}


STATES = {
    "attachment": _attachment,
    "deadline": _deadline,
    "reminder": _reminder,
    "notification": _notification,
    "notified": lambda w: __import__(
        "tests.rapid_reviews.test_rapid_reviews", fromlist=["notify"]
    ).notify(w),
    "review": _review,
    "police_request": _police_request,
    "submitted_return": _submitted_return,
    "meeting": _meeting,
    "approved": _approved,
    "decided": _decided,
    "reported": _reported,
    "draft": _referral("draft"),
    "submitted": _referral("submitted"),
    "triaged": _referral("triaged"),
    "admin_day": _admin_day,
    **LOCAL_STATES,
}

# ----------------------------------------------------------------- valid posts


def _case_url(name):
    return lambda w, o: reverse(name, args=[w.case.pk])


CHILD = {
    "given_names": "Robin",
    "family_name": "Fictional",
    "date_of_birth": "2015-03-27",
    "sex": "not_known",
    "ethnicity": "Not recorded",
    "disability": "",
    "nhs_number": "485 777 3456",
    "local_authority_reference": "LA-1",
    "address": "1 Fictional Street",
}


def _child_edit(world, obj):
    from cspr.services.cases import child_record_version

    return CHILD | {"version": child_record_version(world.case.child)}


def _deadline_post(world, obj):
    from cspr.services.deadlines import deadline_version

    version = deadline_version(obj)
    return {f"{action}-version": version for action in DEADLINE_ACTIONS} | {
        "action": "extend",  # chosen per example from DEADLINE_ACTIONS
        "complete-on": "2026-11-05",
        "complete-note": "Done",
        "pause-on": "2026-11-05",
        "pause-reason": "Police asked",
        "resume-on": "2026-11-06",
        "extend-due_on": "2026-12-01",
        "extend-reason": "Agreed with the Panel",
        "waive-reason": "Case closed",
    }


DEADLINE_ACTIONS = ["complete", "pause", "resume", "extend", "waive", "explode"]


def _referral_post(world, obj):
    from referrals.services import referral_version

    return {
        "given_names": "Robin",
        "family_name": "Fictional",
        "date_of_birth": "2015-03-27",
        "sex": "not_known",
        "address": "1 Fictional Street",
        "referring_agency": str(world.police.pk),
        "referrer_name": "",
        "referrer_role": "",
        "referrer_contact": "",
        "incident_date": "2026-11-02",
        "nature": "serious_harm",
        "abuse_or_neglect": "on",
        "looked_after": "",
        "care_leaver": "",
        "agencies_involved": [str(world.police.pk), str(world.health.pk)],
        "other_agencies": "",
        "case_outline": "A fictional outline.",
        "criteria": ["working_together"],
        "circumstances": ["single_agency"],
        "urgency": "routine",
        "media_interest": "",
        "media_details": "",
        "version": referral_version(obj),
        "save": "1",
    }


def _meeting_post(world, obj):
    return {
        "held_on": "2026-11-18",
        "attendees": "Chair (fictional)",
        "recommendation": "local_cspr",
        "other_review_type": "",
        "rationale": "Learning about information sharing.",
        "criterion_working_together": "Agencies did not share information.",
        "circumstance_single_agency": "",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-description": "Brief all staff",
        "actions-0-agency": str(world.police.pk),
    }


def _return_post(world, request):
    from rapid_reviews.services import return_version

    return {
        "involvement_period": "2025 to 2026",
        "involvement_extent": "Two call-outs (fictional).",
        "key_practice_episodes": "A fictional episode.",
        "analysis": "Information was not shared.",
        "immediate_actions": "Staff briefing.",
        "author_name": "Sam Fictional",
        "signed_off_by": "Chief Inspector Fictional",
        "signed_off_on": "2026-11-05",
        "version": return_version(request.information_return),
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-date": "2026-10-01",
        "rows-0-date_is_approximate": "on",
        "rows-0-source": "Police log",
        "rows-0-event": "Call-out to the home",
        "rows-0-significance": "",
        "rows-0-action": "",
        "rows-1-DELETE": "",
        "save": "1",
    }


def _briefing_post(world, review):
    from rapid_reviews.services import briefing_version

    return {
        "title": "Learning",
        "body": "Child Q: fictional learning.",
        "version": briefing_version(None),
        "save": "1",
    }


CSV_OK = "date,approximate,source,event,significance,action\n2026-10-01,no,Log,Call-out,,\n"

FUZZ = {
    "sign-in": Spec(
        "anonymous",
        None,
        lambda w, o: reverse("sign-in"),
        lambda w, o: {"username": "manager", "password": "correct-horse-battery"},
    ),
    "sign-out": Spec("business_manager", None, lambda w, o: reverse("sign-out"), lambda w, o: {}),
    "case-open": Spec(
        "business_manager",
        None,
        lambda w, o: reverse("case-open"),
        lambda w, o: CHILD | {"pseudonym": "Child F"},
    ),
    "child-record-edit": Spec(
        "business_manager", None, _case_url("child-record-edit"), _child_edit
    ),
    "deadline-action": Spec(
        "business_manager",
        "deadline",
        None,  # the action is part of the URL: see _url()
        _deadline_post,
    ),
    "notification-read": Spec(
        "business_manager",
        "reminder",
        lambda w, o: reverse("notification-read", args=[o.pk]),
        lambda w, o: {"show": "unread", "page": "1"},
    ),
    "notification-read-all": Spec(
        "business_manager",
        "reminder",
        lambda w, o: reverse("notification-read-all"),
        lambda w, o: {"show": "unread", "page": "2"},
    ),
    "calendar-day-set": Spec(
        "administrator",
        None,
        lambda w, o: reverse("calendar-day-set"),
        lambda w, o: {
            "day": "2026-11-05",
            "is_working": "false",
            "title": "One-off",
            "reason": "Announced",
        },
    ),
    "calendar-day-undo": Spec(
        "administrator",
        "admin_day",
        None,  # the day is part of the URL: see _url()
        lambda w, o: {"reason": "Entered in error"},
    ),
    "referral-start": Spec(
        "police_contributor", None, lambda w, o: reverse("referral-start"), lambda w, o: {}
    ),
    "referral-edit": Spec(
        "police_contributor",
        "draft",
        lambda w, o: reverse("referral-edit", args=[o.pk]),
        _referral_post,
        stores_on_200=lambda data: "submit" in data,
    ),
    "referral-triage": Spec(
        "business_manager",
        "submitted",
        lambda w, o: reverse("referral-triage", args=[o.pk]),
        lambda w, o: {"case": "", "pseudonym": "Child S", "note": "Threshold met"},
    ),
    "referral-decide": Spec(
        "subgroup_chair",
        "triaged",
        lambda w, o: reverse("referral-decide", args=[o.pk]),
        lambda w, o: {"decision": "notify", "rationale": "Serious harm"},
    ),
    "referral-withdraw": Spec(
        "business_manager",
        "submitted",
        lambda w, o: reverse("referral-withdraw", args=[o.pk]),
        lambda w, o: {"withdraw-reason": "Sent in error"},
    ),
    "notification-aware": Spec(
        "business_manager",
        None,
        _case_url("notification-aware"),
        lambda w, o: {"date_aware": "2026-11-04"},
    ),
    "notification-sent": Spec(
        "business_manager",
        "notification",
        _case_url("notification-sent"),
        lambda w, o: {
            "sent_on": "2026-11-10",
            "panel_reference": "CSPR-1",
            "notified_by": "A. Fictional",
            "partnership_told_on": "2026-11-10",
            "late_reason": "",
        },
    ),
    "rapid-review-open": Spec(
        "business_manager", "notified", _case_url("rapid-review-open"), lambda w, o: {}
    ),
    "information-request-send": Spec(
        "business_manager",
        "review",
        _case_url("information-request-send"),
        lambda w, o: {
            "agency": str(w.health.pk),
            "due_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
            "note": "Please send your chronology",
        },
    ),
    "meeting-record": Spec(
        "business_manager",
        "review",
        _case_url("meeting-record"),
        _meeting_post,
        formsets=("actions",),
    ),
    "recommendation-approve": Spec(
        "subgroup_chair", "meeting", _case_url("recommendation-approve"), lambda w, o: {}
    ),
    "partner-sign-off": Spec(
        "executive", "approved", _case_url("partner-sign-off"), lambda w, o: {"note": "Agreed"}
    ),
    "family-informed": Spec(
        "business_manager",
        "review",
        _case_url("family-informed"),
        lambda w, o: {
            "family-informed_on": "2026-11-12",
            "family-informed_by": "Lead (fictional)",
            "family-method": "Visit",
            "family-note": "",
        },
    ),
    "report-sent": Spec(
        "business_manager",
        "decided",
        _case_url("report-sent"),
        lambda w, o: {"report-sent_on": timezone.localdate().isoformat()},
    ),
    "panel-response": Spec(
        "business_manager",
        "reported",
        _case_url("panel-response"),
        lambda w, o: {
            "panel-outcome": "more_information",
            "panel-letter_date": timezone.localdate().isoformat(),
            "panel-received_on": timezone.localdate().isoformat(),
            "panel-information_due_on": "2026-12-20",
            "panel-text": "The Panel asks for more information.",
        },
    ),
    "report-circulate": Spec(
        "business_manager", "decided", _case_url("report-circulate"), lambda w, o: {}
    ),
    "dissemination-record": Spec(
        "subgroup_chair",
        "decided",
        _case_url("dissemination-record"),
        lambda w, o: {"wider-recipient": "Head teacher", "wider-reason": "School learning"},
    ),
    "briefing-edit": Spec("business_manager", "review", _case_url("briefing-edit"), _briefing_post),
    "records-secured": Spec(
        "police_contributor",
        "police_request",
        lambda w, o: reverse("records-secured", args=[o.pk]),
        lambda w, o: {},
    ),
    "return-edit": Spec(
        "police_contributor",
        "police_request",
        lambda w, o: reverse("return-edit", args=[o.pk]),
        _return_post,
        formsets=("rows",),
        stores_on_200=lambda data: "submit" in data,
    ),
    "return-unlock": Spec(
        "business_manager",
        "submitted_return",
        lambda w, o: reverse("return-unlock", args=[o.pk]),
        lambda w, o: {"reason": "Needs the health visitor's entries"},
    ),
    "return-addendum": Spec(
        "police_contributor",
        "submitted_return",
        lambda w, o: reverse("return-addendum", args=[o.pk]),
        lambda w, o: {"text": "A later note (fictional)."},
    ),
    "chronology-import": Spec(
        "police_contributor",
        "police_request",
        lambda w, o: reverse("chronology-import", args=[o.pk]),
        lambda w, o: {},
        upload="file",
    ),
}


def _reset_link(world, obj):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = world["business_manager"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password-reset-confirm", args=[uid, default_token_generator.make_token(user)])


PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "a-fictional-long-passphrase-42"

FUZZ |= {
    "second-factor": Spec(
        "business_manager",
        None,
        lambda w, o: reverse("second-factor"),
        lambda w, o: {"code": "123456", "next": "/cases/"},
    ),
    "second-factor-set-up": Spec(
        "business_manager",
        None,
        lambda w, o: reverse("second-factor-set-up"),
        lambda w, o: {"code": "123456"},
    ),
    "backup-codes": Spec(
        "business_manager",
        None,
        lambda w, o: reverse("backup-codes"),
        lambda w, o: {},
        stores_on_200=lambda data: True,  # the page that makes new codes shows them
    ),
    "account-confirm": Spec(
        "business_manager",
        None,
        lambda w, o: reverse("account-confirm"),
        lambda w, o: {"confirm-password": PASSWORD, "confirm-code": "123456", "next": "/"},
    ),
    "sign-out-everywhere": Spec(
        "business_manager", None, lambda w, o: reverse("sign-out-everywhere"), lambda w, o: {}
    ),
    "password-change": Spec(
        "business_manager",
        None,
        lambda w, o: reverse("password-change"),
        lambda w, o: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    "password-reset": Spec(
        "anonymous",
        None,
        lambda w, o: reverse("password-reset"),
        lambda w, o: {"email": "manager@example.org"},
    ),
    "password-reset-confirm": Spec(
        "anonymous",
        None,
        _reset_link,
        lambda w, o: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    "case-legal-hold": Spec(
        "business_manager",
        None,
        _case_url("case-legal-hold"),
        lambda w, o: {"reason": "An inquest is expected", "hold": "set"},
    ),
    "attachment-upload": Spec(
        "police_contributor",
        "police_request",
        lambda w, o: reverse("attachment-upload", args=[o.pk]),
        lambda w, o: {},
        upload="file",
    ),
    "attachment-remove": Spec(
        "police_contributor",
        "attachment",
        lambda w, o: reverse("attachment-remove", args=[o.information_return.request_id, o.pk]),
        lambda w, o: {},
    ),
}

CALENDAR_DAYS = ["2026-11-06", "2026-11-09", "2026-02-30", "0000-01-01", "9999-12-31"]

# ----------------------------------------------------------------- the local review


def _today():
    return timezone.localdate().isoformat()


def _review_url(name):
    """A page naming one of the review's objects (the state's object)."""
    return lambda w, o: reverse(name, args=[w.case.pk, o.pk])


def _review_of(world):
    from reviews.models import LocalReview

    return LocalReview.objects.get(case=world.case)


def _appointment_post(world, obj):
    from tests.reviews.builders import CONSIDERATIONS

    return CONSIDERATIONS | {
        "reviewer": str(world["reviewer"].pk),
        "appointed_on": _today(),
        "conflict_declared": "yes",
        "conflict_details": "Worked with the police force in 2019 (fictional).",
        "conflict_decision": "Not a conflict: a different team (fictional).",
    }


def _terms_post(world, obj):
    from reviews.services.terms import terms_version

    return {
        "period_from": "2025-01-01",
        "period_to": "2026-10-31",
        "key_lines_of_enquiry": "How well did agencies hear the child? (fictional)",
        "scope": "Police and health.",
        "equality_considerations": "The child's disability.",
        "change_note": "Second draft",
        "version": terms_version(obj.review),
    }


def _methodology_post(world, review):
    from reviews.services.commissioning import METHODOLOGY_FIELDS, fields_version
    from tests.reviews.builders import METHODOLOGY

    return METHODOLOGY | {
        "methodology": "hybrid",
        "methodology_detail": "SILP with a learning event (fictional).",
        "version": fields_version(review, METHODOLOGY_FIELDS),
    }


def _chronology_post(world, review):
    from reviews.services.commissioning import CHRONOLOGY_FIELDS, fields_version

    return {
        "chronology_from": "2025-01-01",
        "chronology_to": "2026-10-31",
        "chronology_guidance": "One row per contact.",
        "version": fields_version(review, CHRONOLOGY_FIELDS),
    }


def _quality_post(world, draft):
    from reviews.models import QAPoint

    data = {"decision": "ready", "note": "Well evidenced."}
    for point in QAPoint.values:
        data |= {f"{point}_met": "yes", f"{point}_comment": "Yes (fictional)."}
    return data


def _plan_post(world, review):
    from reviews.services.publication import plan_version

    return {
        "planned_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "legal_advice_taken": "on",
        "legal_advice_on": _today(),
        "legal_advice": "Publish with the names removed (fictional).",
        "communications_advice": "A press statement on the day.",
        "wider_agencies_informed": "All partner agencies.",
        "impact_on_family": "The family's named contact meets them first.",
        "impact_on_practitioners": "Practitioners are briefed the week before.",
        "impact_on_others": "",
        "family_named_contact": "Business Manager (fictional)",
        "version": plan_version(None),
    }


def _review_briefing_post(world, review):
    from reviews.services.publication import briefing_version

    return {
        "title": "Learning from the review",
        "body": "Agencies did not share information (fictional).",
        "version": briefing_version(None),
        "save": "1",
    }


def _process_post(world, obj):
    return {
        "kind": "sar",
        "description": "",
        "lead_body": "The safeguarding adults board (fictional)",
        "reference": "SAR-1",
        "victim_aged_16_or_over": "",
        "referred_on": _today(),
        "referred_to": "The safeguarding adults board",
        "is_joint_review": "on",
        "linked_case": "",
        "notes": "Reviewed jointly (fictional).",
    }


def _national_post(world, obj):
    from reviews.services.national import national_version

    return {
        "panel_reference": "NR-1",
        "title": "",
        "panel_contact": "A Panel reviewer (fictional)",
        "local_lead": "Business Manager (fictional)",
        "partnership_part": "Agencies send their records to the Panel's reviewers.",
        "status": "published",
        "published_on": _today(),
        "publication_address": "https://www.example.org/national/fictional",
        "version": national_version(None),
    }


FUZZ |= {
    "local-review-commission": Spec(
        "business_manager", "local_agreed", _case_url("local-review-commission"), lambda w, o: {}
    ),
    "local-review-start": Spec(
        "business_manager",
        "local_ready",
        _case_url("local-review-start"),
        lambda w, o: {"started_on": _today(), "monitoring_interval_weeks": "4"},
    ),
    "reviewer-appoint": Spec(
        "business_manager", "local_commissioned", _case_url("reviewer-appoint"), _appointment_post
    ),
    "reviewer-invite": Spec(
        "business_manager",
        "local_commissioned",
        _case_url("reviewer-invite"),
        lambda w, o: {
            "account-first_name": "Jo",
            "account-last_name": "Fictional",
            "account-email": "jo.fictional@example.org",
        },
    ),
    "appointment-end": Spec(
        "business_manager",
        "local_appointed",
        _review_url("appointment-end"),
        lambda w, o: {"end-ended_on": _today(), "end-reason": "They withdrew (fictional)."},
    ),
    "terms-edit": Spec("subgroup_member", "local_terms", _case_url("terms-edit"), _terms_post),
    "terms-agree": Spec(
        "subgroup_chair", "local_terms", _review_url("terms-agree"), lambda w, o: {}
    ),
    "methodology-edit": Spec(
        "business_manager", "local_commissioned", _case_url("methodology-edit"), _methodology_post
    ),
    "review-groups": Spec(
        "business_manager",
        "local_commissioned",
        _case_url("review-groups"),
        lambda w, o: {
            "group": "review",
            "name": "Pat Fictional",
            "role": "Detective Inspector",
            "agency": str(w.police.pk),
            "seniority": "Head of the public protection unit",
            "involvement": "",
        },
    ),
    "group-member-remove": Spec(
        "business_manager", "local_member", _review_url("group-member-remove"), lambda w, o: {}
    ),
    "family-engagement": Spec(
        "business_manager",
        "local_commissioned",
        _case_url("family-engagement"),
        lambda w, o: {
            "kind": "consent",
            "on": _today(),
            "family_member": "Mother",
            "by_whom": "Business Manager (fictional)",
            "summary": "She agreed to publication (fictional).",
            "consent": "given",
        },
    ),
    "chronology-template": Spec(
        "business_manager",
        "local_commissioned",
        _case_url("chronology-template"),
        _chronology_post,
    ),
    "review-letters": Spec(
        "business_manager",
        "local_started",
        _case_url("review-letters"),
        lambda w, o: {
            "kind": "agency",
            "agency": str(w.police.pk),
            "addressee": "Pat Fictional, Detective Inspector",
            "organisation": "",
        },
    ),
    "letter-sent": Spec(
        "business_manager",
        "local_letter",
        _review_url("letter-sent"),
        lambda w, o: {f"sent-{o.pk}-sent_on": _today()},
    ),
    "checkpoint-record": Spec(
        "business_manager",
        "local_checkpoint",
        _review_url("checkpoint-record"),
        lambda w, o: {
            "checkpoint-held_on": _today(),
            "checkpoint-time_rating": "on_track",
            "checkpoint-time_comment": "On time (fictional).",
            "checkpoint-quality_rating": "at_risk",
            "checkpoint-quality_comment": "Thin on practice (fictional).",
            "checkpoint-actions": "Meet the reviewer.",
        },
    ),
    "reviewer-request-send": Spec(
        "business_manager",
        "local_started",
        _case_url("reviewer-request-send"),
        lambda w, o: {
            "request-kind": "draft",
            "request-text": "Please send the first draft (fictional).",
            "request-due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        },
    ),
    "reviewer-request-answer": Spec(
        "reviewer",
        "local_request",
        _review_url("reviewer-request-answer"),
        lambda w, o: {
            f"answer-{o.pk}-answered_on": _today(),
            f"answer-{o.pk}-answer": "Attached (fictional).",
        },
    ),
    "draft-upload": Spec(
        "reviewer",
        "local_started",
        _case_url("draft-upload"),
        lambda w, o: {"note": "First full draft"},
        upload="file",
    ),
    "quality-assurance": Spec(
        "subgroup_chair", "local_draft", _review_url("quality-assurance"), _quality_post
    ),
    "report-approve": Spec(
        "executive", "local_assured", _case_url("report-approve"), lambda w, o: {}
    ),
    "report-return": Spec(
        "executive",
        "local_assured",
        _case_url("report-return"),
        lambda w, o: {"return-reason": "Say more about the school."},
    ),
    "review-publication": Spec(
        "business_manager", "local_approved", _case_url("review-publication"), _plan_post
    ),
    "publication-override": Spec(
        "subgroup_chair",
        "local_held",
        _case_url("publication-override"),
        lambda w, o: {"override-reason": "Legal advice: publishing is safe (fictional)."},
    ),
    "final-copy-sent": Spec(
        "business_manager",
        "local_planned",
        _case_url("final-copy-sent"),
        lambda w, o: {
            "copy-panel_sent_on": _today(),
            "copy-secretary_of_state_sent_on": _today(),
        },
    ),
    "review-publish": Spec(
        "business_manager",
        "local_copies_sent",
        _case_url("review-publish"),
        lambda w, o: {
            "publish-published_on": _today(),
            "publish-address": "https://www.example.org/reviews/fictional",
            "publish-nspcc_sent_on": _today(),
        },
    ),
    "review-not-publish": Spec(
        "executive",
        "local_approved",
        _case_url("review-not-publish"),
        lambda w, o: {"not-publish-reason": "The family asked (fictional)."},
    ),
    "review-briefing": Spec(
        "business_manager", "local_approved", _case_url("review-briefing"), _review_briefing_post
    ),
    "parallel-processes": Spec(
        "business_manager", None, _case_url("parallel-processes"), _process_post
    ),
    "parallel-process-conclude": Spec(
        "business_manager",
        "local_process",
        _review_url("parallel-process-conclude"),
        lambda w, o: {
            f"conclude-{o.pk}-concluded_on": _today(),
            f"conclude-{o.pk}-outcome": "No charge (fictional).",
        },
    ),
    "national-review": Spec(
        "business_manager", "national", _case_url("national-review"), _national_post
    ),
}

# ----------------------------------------------------------------- action plans and learning


def _actions_state(name):
    """A state of tests.security.actions_states on the world's case (one partnership)."""

    def state(world):
        from tests.security.actions_states import build_on
        from tests.security.conftest import STATES as SIDE_STATES
        from tests.security.conftest import _northtown

        return build_on(_northtown(world), name, SIDE_STATES)

    return state


ACTION_STATE_NAMES = [
    "plan",
    "police_action",
    "complete_action",
    "evidence_file",
    "barrier",
    "barrier_answered",
    "immediate_action",
    "learning_event",
    "case_theme",
]
STATES |= {name: _actions_state(name) for name in ACTION_STATE_NAMES}


def _in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _theme_pks(*names):
    from actions.models import Theme

    return [str(pk) for pk in Theme.objects.filter(name__in=names).values_list("pk", flat=True)]


def _action_post(world, obj):
    return {
        "finding": "Practitioners did not escalate (fictional).",
        "change": "An escalation procedure every agency follows (fictional).",
        "agency": str(world.police.pk),
        "owner_name": "Pat Fictional, Detective Inspector",
        "due_on": _in_days(60),
        "themes": _theme_pks("Neglect", "Information sharing"),
    }


def _action_edit_post(world, action):
    from actions.services.plans import action_version

    return _action_post(world, action) | {"version": action_version(action)}


def _immediate_url(world, immediate):
    from actions.models import ActionPlan

    plan = ActionPlan.objects.get(case=world.case, source="rapid_review")
    return reverse("immediate-action-take-in", args=[world.case.pk, plan.pk, immediate.pk])


def _action_url(name):
    return lambda w, o: reverse(name, args=[w.case.pk, o.pk])


def _of_action_url(name):
    return lambda w, o: reverse(name, args=[w.case.pk, o.action_id, o.pk])


def _event_post(world, event):
    from actions.services.learning import event_version

    return {
        "title": "Autumn learning event (fictional)",
        "held_on": "2026-10-15",
        "audience": "Designated safeguarding leads (fictional)",
        "attendance": "45",
        "notes": "Slides shared afterwards.",
        "cases": [str(world.case.pk)],
        "version": event_version(event),
    }


FUZZ |= {
    "action-plan-open": Spec(
        "business_manager",
        "meeting",
        _case_url("action-plan-open"),
        lambda w, o: {"source": "rapid_review"},
    ),
    "action-add": Spec(
        "business_manager",
        "plan",
        lambda w, o: reverse("action-add", args=[w.case.pk, o.pk]),
        _action_post,
    ),
    "immediate-action-take-in": Spec(
        "business_manager", "immediate_action", _immediate_url, _action_post
    ),
    "action-edit": Spec(
        "business_manager", "police_action", _action_url("action-edit"), _action_edit_post
    ),
    "action-progress": Spec(
        "police_contributor",
        "police_action",
        _action_url("action-progress"),
        lambda w, o: {"progress-status": "at_risk", "progress-text": "The trainer left."},
    ),
    "action-complete": Spec(
        "police_contributor",
        "police_action",
        _action_url("action-complete"),
        lambda w, o: {"complete-completed_on": _today(), "complete-text": "All trained."},
    ),
    "action-reopen": Spec(
        "business_manager",
        "complete_action",
        _action_url("action-reopen"),
        lambda w, o: {"reopen-reason": "The audit found gaps.", "reopen-due_on": _in_days(30)},
    ),
    "action-impact": Spec(
        "subgroup_chair",
        "complete_action",
        _action_url("action-impact"),
        lambda w, o: {"impact-how": "A case audit (fictional).", "impact-assured_on": _today()},
    ),
    "evidence-add": Spec(
        "police_contributor",
        "police_action",
        _action_url("evidence-add"),
        lambda w, o: {"evidence-description": "The new procedure"},
        upload="evidence-upload",
    ),
    "evidence-remove": Spec(
        "police_contributor", "evidence_file", _of_action_url("evidence-remove"), lambda w, o: {}
    ),
    "barrier-raise": Spec(
        "police_contributor",
        "police_action",
        _action_url("barrier-raise"),
        lambda w, o: {"barrier-description": "No trainer this quarter."},
    ),
    "barrier-respond": Spec(
        "executive",
        "barrier",
        _of_action_url("barrier-respond"),
        lambda w, o: {f"respond-{o.pk}-response": "The partnership funds a trainer."},
    ),
    "barrier-close": Spec(
        "business_manager",
        "barrier_answered",
        _of_action_url("barrier-close"),
        lambda w, o: {f"close-{o.pk}-note": "A trainer was found."},
    ),
    "case-themes": Spec(
        "subgroup_member",
        "case_theme",
        _case_url("case-themes"),
        lambda w, o: {"themes": _theme_pks("Neglect", "Safe sleep")},
    ),
    "learning-event-new": Spec(
        "business_manager",
        None,
        lambda w, o: reverse("learning-event-new"),
        lambda w, o: {
            "title": "Spring learning event (fictional)",
            "held_on": "2026-04-20",
            "audience": "GP practices (fictional)",
            "attendance": "30",
            "notes": "",
            "cases": [str(w.case.pk)],
        },
    ),
    "learning-event-edit": Spec(
        "business_manager",
        "learning_event",
        lambda w, o: reverse("learning-event-edit", args=[o.pk]),
        _event_post,
    ),
}


# ----------------------------------------------------------------- which views take a POST


def _methods(callback):
    """The HTTP methods a view answers, from its decorators or its class; None: any."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
    func = callback
    while func is not None:
        allowed = inspect.getclosurevars(func).nonlocals.get("request_method_list")
        if allowed is not None:
            return set(allowed)
        func = getattr(func, "__wrapped__", None)
    return None


def _named_patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's own admin: not a form of this project
            yield from _named_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, pattern.callback


def post_views():
    return sorted(
        name
        for name, callback in _named_patterns(get_resolver().url_patterns)
        if (_methods(callback) or {"POST"}) & {"POST"}
    )


def test_every_post_view_has_a_fuzz_entry():
    assert set(post_views()) - set(FUZZ) == set()


def test_the_fuzz_table_names_only_post_views():
    assert set(FUZZ) - set(post_views()) == set()


# ----------------------------------------------------------------- the database, counted


def _counted_models():
    """Every model and history table, but not the rows any request leaves (sessions,
    sign-in attempts, the access log) nor Django's own admin log."""
    skipped_apps = {"sessions", "axes", "admin"}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in skipped_apps and "AccessLog" not in model.__name__
    ]


def snapshot(models):
    return {model._meta.label: model._default_manager.count() for model in models}


# ----------------------------------------------------------------- posting


def _encode_raw(data):
    """A urlencoded body in which lone surrogates become invalid UTF-8 bytes."""
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(
                quote(str(key).encode("utf-8", "surrogatepass"))
                + "="
                + quote(str(item).encode("utf-8", "surrogatepass"))
            )
    return "&".join(pairs).encode("ascii")


def _has_surrogate(data):
    def bad(text):
        return any("\ud800" <= ch <= "\udfff" for ch in str(text))

    return any(
        bad(k) or any(bad(v) for v in (val if isinstance(val, list) else [val]))
        for k, val in data.items()
    )


def _assert_escaped(response, where):
    body = response.content.decode("utf-8", errors="replace")
    for marker in MARKERS:
        assert marker not in body, f"unescaped {marker!r} on {where}"


@st.composite
def mutated(draw, spec, valid):
    """A valid post, changed: each field kept, replaced or dropped; extra fields added."""
    data = {}
    # Half the posts change one field only, so the hostile value reaches the service.
    only = draw(st.one_of(st.none(), st.sampled_from(sorted(valid)))) if valid else None
    for key, value in valid.items():
        choice = draw(st.integers(0, 9)) if only in (None, key) else 0
        if only == key and choice <= 3:
            choice = 5
        if choice <= 3:
            data[key] = value
        elif choice == 4:
            continue  # missing
        elif key.endswith("TOTAL_FORMS") or key.endswith("INITIAL_FORMS"):
            data[key] = draw(st.sampled_from(COUNTS))
        else:
            data[key] = draw(_value(value))
    for prefix in spec.formsets:
        if draw(st.integers(0, 4)) == 0:
            data[f"{prefix}-TOTAL_FORMS"] = draw(st.sampled_from(COUNTS))
    extra = draw(
        st.dictionaries(
            st.one_of(
                st.sampled_from(["submit", "publish", "csrfmiddlewaretoken", "id"]),
                st.text(max_size=12),
            ),
            hostile_text,
            max_size=3,
        )
    )
    data.update(extra)
    return data


@st.composite
def upload(draw):
    """A CSV file: valid, hostile cells, wrong encoding, wrong name, empty or huge."""
    from tests.security.test_uploads import JPEG, PDF, PNG

    kinds = ["ok", "cells", "bytes", "name", "empty", "huge", "rows", "pdf", "image", "disguised"]
    kind = draw(st.sampled_from(kinds))
    name = "chronology.csv"
    if kind == "ok":
        content = CSV_OK.encode()
    elif kind == "pdf":
        name, content = "statement.pdf", PDF
    elif kind == "image":
        name, content = draw(st.sampled_from([("photo.png", PNG), ("photo.jpg", JPEG)]))
    elif kind == "disguised":  # a page of HTML, a script or a program, by another name
        name = draw(st.sampled_from(["statement.pdf", "notes.txt", "rows.csv", "photo.png"]))
        content = draw(
            st.sampled_from(
                [
                    f"<html><body>{SCRIPT}</body></html>".encode(),
                    b"MZ\x90\x00" + bytes(60),
                    b"#!/bin/sh\nrm -rf /\n",
                    b"%PDF-1.4\n" + SCRIPT.encode(),
                ]
            )
        )
    elif kind == "cells":
        cells = draw(st.lists(hostile_text, min_size=6, max_size=6))
        text = '"' + '","'.join(c.replace('"', '""') for c in cells) + '"'
        content = (CSV_OK + text + "\n").encode("utf-8", "surrogatepass")
    elif kind == "bytes":
        content = draw(st.binary(max_size=2000))
    elif kind == "name":
        name = draw(st.sampled_from(["x.exe", "../../x.csv", "x.csv\x00.exe", "", "ü.CSV"]))
        content = CSV_OK.encode()
    elif kind == "empty":
        content = b""
    elif kind == "rows":
        content = (CSV_OK + "2026-10-02,yes,Log,Event,,\n" * 300).encode()
    else:
        content = b"a" * (1024 * 1024 + 10)
    return name or "upload", content


EXAMPLES = Counter()
ARTIFACT = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts" / "fuzz.txt"


@pytest.fixture(scope="module", autouse=True)
def _report_examples():
    yield
    if not EXAMPLES:
        return
    ARTIFACT.parent.mkdir(exist_ok=True)
    forms = [name for name in EXAMPLES if name.startswith("GET ")]
    lines = [
        f"fuzz examples run: {sum(EXAMPLES.values())} over {len(EXAMPLES) - len(forms)} "
        f"POST views and {len(forms)} GET forms"
    ]
    lines += [f"profile: {PROFILE}"]
    lines += [f"{name}: {count}" for name, count in sorted(EXAMPLES.items())]
    ARTIFACT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n" + lines[0])


def _url(name, spec, world, obj, draw, data):
    if name == "deadline-action":
        action = draw(st.sampled_from(DEADLINE_ACTIONS))
        return reverse("deadline-action", args=[world.case.pk, obj.pk, action])
    if name == "calendar-day-undo":
        return f"/calendar/days/{draw(st.sampled_from(CALENDAR_DAYS))}/undo/"
    return spec.url(world, obj)


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploads go to this test's own folder, with no virus scanner."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMAV_URL = ""
    return settings.MEDIA_ROOT


@pytest.mark.parametrize("name", sorted(FUZZ))
def test_fuzzed_posts_never_fail_or_store_a_refused_form(world, private_media, name):
    spec = FUZZ[name]
    obj = STATES[spec.state](world) if spec.state else None
    user = None if spec.persona == "anonymous" else world[spec.persona]
    valid = spec.valid(world, obj)
    counted = _counted_models()
    client = Client()
    scale = HEAVY.get(name, 1) if PROFILE == "ci" else 1
    examples = max(5, int(settings.get_profile(PROFILE).max_examples * scale))

    @settings(settings.get_profile(PROFILE), max_examples=examples)
    @given(data=st.data())
    def run(data):
        post = data.draw(mutated(spec, valid), label="post")
        url = _url(name, spec, world, obj, data.draw, post)
        raw = _has_surrogate(post) or data.draw(st.integers(0, 7)) == 0
        if spec.upload and not raw:
            filename, content = data.draw(upload(), label="file")
            post[spec.upload] = SimpleUploadedFile(filename, content, content_type="text/csv")
        EXAMPLES[name] += 1
        with transaction.atomic():
            client.logout()
            if user is not None:
                client.force_login(user)
            before = snapshot(counted)
            if raw:
                response = client.post(
                    url, _encode_raw(post), content_type="application/x-www-form-urlencoded"
                )
            else:
                response = client.post(url, post)
            status = response.status_code
            assert status < 500, f"{name}: {status}"
            _assert_escaped(response, name)
            if status in (200, 400) and not (spec.stores_on_200 and spec.stores_on_200(post)):
                assert snapshot(counted) == before, f"{name}: a refused form stored something"
            if status == 302:
                location = response["Location"]
                if not urlsplit(location).netloc:
                    after = client.get(location)
                    assert after.status_code < 500, f"{name} -> {location}: {after.status_code}"
                    _assert_escaped(after, location)
            transaction.set_rollback(True)

    run()


# ----------------------------------------------------------------- what the fuzzing found


@pytest.mark.parametrize(
    "name,field",
    [
        ("information-request-send", "due_on"),
        ("panel-response", "panel-information_due_on"),
        ("notification-aware", "date_aware"),
        ("child-record-edit", "date_of_birth"),
    ],
)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_date_at_the_edge_of_the_calendar_is_refused_on_the_page(client, world, name, field, day):
    spec = FUZZ[name]
    obj = STATES[spec.state](world) if spec.state else None
    client.force_login(world[spec.persona])
    before = snapshot(_counted_models())
    response = client.post(spec.url(world, obj), spec.valid(world, obj) | {field: day})
    assert response.status_code == 200
    assert "Enter a date between 1900 and 2100" in response.content.decode()
    assert snapshot(_counted_models()) == before


def test_extending_a_deadline_to_the_year_9999_is_refused_on_the_page(client, world):
    deadline = _deadline(world)
    client.force_login(world["business_manager"])
    response = client.post(
        reverse("deadline-action", args=[world.case.pk, deadline.pk, "extend"]),
        {"extend-due_on": "9999-12-31", "extend-reason": "Agreed"},
    )
    assert "Enter a date between 1900 and 2100" in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.due_on.year == 2026


def test_a_return_post_claiming_a_million_rows_is_refused_without_building_them(client, world):
    request = _police_request(world)
    client.force_login(world["police_contributor"])
    data = _return_post(world, request) | {"rows-TOTAL_FORMS": "1000000"}
    response = client.post(reverse("return-edit", args=[request.pk]), data)
    html = response.content.decode()
    assert "Add at most 50 rows at a time: save, then add more." in html
    assert html.count('class="govuk-fieldset govuk-!-margin-bottom-6 app-chronology-row"') <= 50
    assert not request.information_return.entries.exists()


def test_a_return_with_many_saved_rows_still_saves_them_all(client, world):
    from rapid_reviews import services
    from tests.rapid_reviews.test_returns import ROW

    request = _police_request(world)
    agency = world["police_contributor"]
    services.return_append_rows(
        information_return=request.information_return, rows=[ROW] * 120, by=agency
    )
    client.force_login(agency)
    page = client.get(reverse("return-edit", args=[request.pk]))
    rows = page.context["rows"]
    data = _return_post(world, request) | {
        "rows-TOTAL_FORMS": str(len(rows.forms)),
        "rows-INITIAL_FORMS": "0",
        "rows-1-DELETE": "",
    }
    for index in range(120):
        for key, value in ROW.items():
            data[f"rows-{index}-{key}"] = "" if value is False else str(value)
    response = client.post(reverse("return-edit", args=[request.pk]), data)
    assert response.status_code == 302
    assert request.information_return.entries.count() == 120


def test_a_meeting_post_claiming_a_million_actions_is_refused(client, world):
    from rapid_reviews.models import LearningMeeting

    _review(world)
    client.force_login(world["business_manager"])
    data = _meeting_post(world, None) | {"actions-TOTAL_FORMS": "1000000"}
    response = client.post(reverse("meeting-record", args=[world.case.pk]), data)
    assert "Add at most 20 rows at a time" in response.content.decode()
    assert not LearningMeeting.objects.exists()


@pytest.mark.parametrize("target", ["not-a-page", "0000-01-01", "home"])
def test_a_next_that_is_not_a_path_leads_home_after_the_second_factor(client, world, target):
    client.force_login(world["business_manager"])  # with the second factor passed
    response = client.post(reverse("second-factor"), {"code": "123456", "next": target})
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


@pytest.mark.parametrize(
    "text", [SCRIPT, IMG, "\u202egnp.exe", "\U0001f469\u200d\U0001f467", "'; DROP TABLE x; --"]
)
def test_hostile_text_is_kept_as_typed_and_shown_escaped(client, world, text):
    client.force_login(world["business_manager"])
    data = _child_edit(world, None) | {"address": text, "ethnicity": text[:120]}
    response = client.post(reverse("child-record-edit", args=[world.case.pk]), data)
    assert response.status_code == 302
    child = ChildRecord.objects.get(case=world.case)
    assert (child.address, child.ethnicity) == (text, text[:120])
    page = client.get(reverse("case-detail", args=[world.case.pk]))
    _assert_escaped(page, "the case page")
    assert escape(text) in page.content.decode()


def test_a_nul_character_in_text_a_button_posts_is_refused_not_stored(client, world):
    """PostgreSQL cannot store a NUL character: the unlock reason, the addendum and the
    sign-off note, posted without a form, are checked as form fields are."""
    from rapid_reviews.models import PartnerSignOff, ReturnAddendum

    request = _submitted_return(world)
    client.force_login(world["police_contributor"])
    url = reverse("return-addendum", args=[request.pk])
    page = client.post(url, {"text": "A later\x00note"}, follow=True).content.decode()
    assert "Null characters are not allowed." in page
    assert not ReturnAddendum.objects.exists()

    client.force_login(world["business_manager"])
    url = reverse("return-unlock", args=[request.pk])
    page = client.post(url, {"reason": "Needs\x00more"}, follow=True).content.decode()
    assert "Null characters are not allowed." in page
    request.information_return.refresh_from_db()
    assert request.information_return.status == "submitted"

    from rapid_reviews import services
    from tests.rapid_reviews.test_decision import meet

    review = request.rapid_review
    meet(world, review)
    services.recommendation_approve(rapid_review=review, by=world["subgroup_chair"])
    client.force_login(world["executive"])
    url = reverse("partner-sign-off", args=[world.case.pk])
    page = client.post(url, {"note": "Agreed\x00"}, follow=True).content.decode()
    assert "Null characters are not allowed." in page
    assert not PartnerSignOff.objects.exists()


def test_an_empty_post_to_a_published_briefing_shows_the_page(client, world):
    """A post with no fields once the review's briefing is published (the form is no
    longer offered) was a server error; it is answered with the page, storing nothing."""
    from reviews import services
    from tests.reviews import builders

    review = builders.approved(world)
    services.review_not_publish(review=review, reason="Fictional", by=world["executive"])
    services.review_briefing_save(
        review=review,
        title="Learning",
        body="Fictional learning.",
        publish=True,
        by=world["business_manager"],
    )
    client.force_login(world["business_manager"])
    before = snapshot(_counted_models())
    response = client.post(reverse("review-briefing", args=[world.case.pk]))
    assert response.status_code == 200
    assert snapshot(_counted_models()) == before


@pytest.mark.parametrize(
    "link",
    [
        "javascript:fz(3)",
        "data:text/html,<script>fz(1)</script>",
        "file:///etc/passwd",
        "https://user:secret@www.example.org/",
        "//www.example.org/no-scheme",
        "https://",
        IMG,
    ],
)
def test_evidence_is_a_link_only_to_a_web_address(client, world, private_media, link):
    """A link given as evidence is shown as a link on the action's page: only http(s),
    with a host and no password in it; anything else is refused and nothing is stored."""
    from actions.models import Evidence

    action = STATES["police_action"](world)
    client.force_login(world["police_contributor"])
    before = snapshot(_counted_models())
    response = client.post(
        reverse("evidence-add", args=[world.case.pk, action.pk]),
        {"evidence-description": "A link (fictional)", "evidence-link": link},
    )
    assert response.status_code == 200
    _assert_escaped(response, "the action's page")
    assert snapshot(_counted_models()) == before
    assert not Evidence.objects.filter(action=action).exists()


FORMULAS = ['=HYPERLINK("https://example.org")', "+1+1", "-2+3", "@SUM(1)", "\tTab", "\rCR"]


def test_every_csv_of_the_actions_and_dashboards_defuses_formulas(client, world, private_media):
    """Text people type (an action's finding, change and owner, a barrier, a learning
    event) reaches the CSV downloads as text: no cell starts a formula."""
    import csv
    import io

    from actions.models import Action, Barrier, LearningEvent
    from tests.security.actions_states import build_on
    from tests.security.conftest import STATES as SIDE_STATES
    from tests.security.conftest import _northtown

    side = _northtown(world)
    action = build_on(side, "police_action", SIDE_STATES)
    Action.objects.filter(pk=action.pk).update(
        finding=FORMULAS[0],
        change=FORMULAS[1],
        owner_name=FORMULAS[2],
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    Barrier.objects.create(action=action, description=FORMULAS[3], raised_by=world["executive"])
    event = build_on(side, "learning_event", SIDE_STATES)
    LearningEvent.objects.filter(pk=event.pk).update(title=FORMULAS[4], audience=FORMULAS[5])
    downloads = [
        ("business_manager", reverse("action-list-csv")),
        ("business_manager", reverse("exception-report-csv")),
        ("business_manager", reverse("learning-event-list-csv")),
        ("executive", reverse("dashboard-csv", args=["overdue-actions"])),
        ("executive", reverse("dashboard-csv", args=["barriers"])),
        ("police_contributor", reverse("dashboard-csv", args=["agency-actions"])),
        ("police_contributor", reverse("action-list-csv")),
    ]
    for persona, url in downloads:
        client.force_login(world[persona])
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/csv"), url
        cells = [
            cell
            for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
            for cell in row
        ]
        assert any(cell.startswith("'") for cell in cells), url  # the text is there
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], url


# The reports' and lists' own GET forms, fuzzed: their choices come in the query string.
GET_PAGES = {
    "action-list": ("business_manager", ["case", "agency", "status", "page"]),
    "action-list-csv": ("police_contributor", ["case", "agency", "status"]),
    "exception-report": ("business_manager", ["as_at"]),
    "exception-report-pdf": ("executive", ["as_at"]),
    "exception-report-csv": ("business_manager", ["as_at"]),
    "annual-report": ("business_manager", ["year", "kind"]),
    "annual-report-csv": ("subgroup_member", ["year", "kind"]),
    "equality-analysis": ("business_manager", ["period"]),
    "equality-analysis-csv": ("business_manager", ["period"]),
}


@pytest.mark.parametrize("name", sorted(GET_PAGES))
def test_fuzzed_report_choices_never_fail(world, private_media, name):
    """Hostile values for each choice a report or list takes (dates, years, ids, pages):
    the page, or a 400 for a download asked for with a bad choice; never a server error,
    never the markup unescaped."""
    persona, params = GET_PAGES[name]
    STATES["barrier"](world)
    client = Client()
    client.force_login(world[persona])
    url = reverse(name)
    examples = max(5, settings.get_profile(PROFILE).max_examples // 2)

    @settings(settings.get_profile(PROFILE), max_examples=examples)
    @given(data=st.data())
    def run(data):
        query = data.draw(
            st.dictionaries(
                st.sampled_from(params),
                st.one_of(hostile_text, st.sampled_from(DATES), st.sampled_from(COUNTS)),
                min_size=1,
            )
        )
        EXAMPLES[f"GET {name}"] += 1
        with transaction.atomic():
            # Lone surrogates as raw (invalid UTF-8) bytes, as a browser could send.
            response = client.get(f"{url}?{_encode_raw(query).decode('ascii')}")
            assert response.status_code in (200, 400), (name, query, response.status_code)
            if response.get("Content-Type", "").startswith("text/html"):
                _assert_escaped(response, name)
            transaction.set_rollback(True)

    run()
