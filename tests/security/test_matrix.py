"""The permission matrix: every URL pattern of the project, every persona, the object of
their own partnership and its twin in the other partnership.

One table (`MATRIX`) keyed by URL name says, for each request a page takes, who succeeds
and with what status; everyone else gets a 403 if they may see the object, a 404 if
not, and an anonymous visitor is sent to sign in (an entry may name the roles refused
before any object is looked up, who get a 403 whatever the id, and the status a page
naming no object gives the roles that have no such page). Pages, PDFs and CSVs are read
for what the requester may never see: the other partnership's case, the child's name,
another agency's actions. Discovery walks the URL resolver, so a
new pattern without an entry fails `test_every_url_pattern_has_an_entry_in_the_matrix`
by name. The Django admin is one rule: only the administrator reaches it.

Each denial is proved to come from the policy by the same request (same method, URL and
data) succeeding for an allowed persona: every request names at least one, and every
object request is also sent by the other partnership's counterpart on its own twin.
Each request runs in a rolled-back savepoint, so every persona meets the same state.
"""

import datetime
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.conftest import PERSONAS
from tests.security.actions_states import HEALTH_MARK, POLICE_MARK
from tests.security.conftest import CHILD_SURNAME, PLACE, PSEUDONYM, signed_in, user_for

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
EVERYONE = (*PERSONAS, "anonymous")
SIGNED_IN = tuple(PERSONAS)
SIGN_IN = "sign-in"  # expected: a redirect to the sign-in page

WIDE = frozenset({"business_manager", "subgroup_member", "subgroup_chair", "executive"})
SEES_CASE = WIDE | {"police_contributor", "reviewer"}
SEES_TIMELINE = WIDE | {"reviewer"}
SEES_REQUEST = WIDE | {"police_contributor"}
SEES_REFERRAL = WIDE | {"police_contributor"}  # the police contributor wrote it
MEMBERS = SEES_CASE | {"health_contributor"}  # everyone of the partnership
REFERS = WIDE | {"police_contributor", "health_contributor", "stranger"}
# Who may never see the child's identity on Northtown's case and referrals.
NO_CHILD = frozenset(
    {"subgroup_member", "subgroup_chair", "executive", "health_contributor", "administrator"}
)


OTHER_AGENCYS_ACTIONS = {"police_contributor": (HEALTH_MARK,), "health_contributor": (POLICE_MARK,)}

# What a list page is shown with: a reminder, a submitted referral, a request.
LISTED = ("reminder", "submitted", "police_request")


@dataclass(frozen=True)
class Req:
    """One request a page takes, and who succeeds with it (persona: status)."""

    method: str
    ok: Mapping[str, int]
    data: Callable | None = None


def get(ok, data=None):
    return Req("get", ok, data)


def post(ok, data=None):
    return Req("post", ok, data)


def every(status, who=SIGNED_IN):
    return dict.fromkeys(who, status)


@dataclass(frozen=True)
class Entry:
    """`url(side)` for the object of `state` (None: a page naming no partnership object);
    `seen`: who sees that object and so gets a 403 rather than a 404 when refused."""

    url: Callable
    reqs: tuple
    state: str | None = None
    seen: frozenset = frozenset()
    public: bool = False
    fill: tuple = ()  # states built in both partnerships first, for a list to show
    # Signed-in personas refused by their role before any object is looked up: a 403 on
    # every object, their partnership's or another's (as for an id nobody has).
    gated: frozenset = frozenset()
    # What a signed-in persona not allowed gets on a page naming no object.
    refused: int = 403
    objects: tuple = field(init=False, default=())

    def __post_init__(self):
        names = ("northtown", "southvale") if self.state else ("none",)
        object.__setattr__(self, "objects", names)


def _obj(side, state):
    return side.objects[state]


def _case_url(name):
    return lambda side: reverse(name, args=[side.case.pk])


def _request_url(name, state="police_request"):
    return lambda side: reverse(name, args=[_obj(side, state).pk])


def _referral_url(name, state):
    return lambda side: reverse(name, args=[_obj(side, state).pk])


def _attachment_url(name):
    def url(side):
        attachment = side.objects["attachment"]
        request_pk = attachment.information_return.request_id
        return reverse(name, args=[request_pk, attachment.pk])

    return url


def _text_upload(side):
    upload = io.BytesIO(b"Fictional notes.\n")
    upload.name = "notes.txt"
    return {"file": upload}


def _referral_form(side):
    return {
        "given_names": "Robin",
        "family_name": CHILD_SURNAME[side.key],
        "sex": "not_known",
        "incident_date": "2026-11-02",
        "nature": "serious_harm",
        "case_outline": "A fictional outline.",
        "urgency": "routine",
        "criteria": ["working_together"],
        "referring_agency": side.police.pk,
        "save": "1",
    }


def _return_form(side):
    return {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-date": "2026-10-01",
        "rows-0-source": "Police log",
        "rows-0-event": "Call-out (fictional)",
        "author_name": "Sam Fictional",
        "save": "1",
    }


def _chronology_csv(side):
    upload = io.BytesIO(
        b"date,approximate,source,event,significance,action\n"
        b"2026-10-01,no,Police log,Call-out (fictional),,\n"
    )
    upload.name = "chronology.csv"
    return {"file": upload}


def _meeting_form(side):
    return {
        "held_on": "2026-11-18",
        "attendees": "Chair (fictional)",
        "recommendation": "local_cspr",
        "rationale": "Learning about information sharing.",
        "criterion_working_together": "Agencies did not share information.",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "actions-0-description": "Brief all staff",
        "actions-0-agency": side.police.pk,
    }


def _review_object_url(name, state):
    """A local review page naming one of its objects: /cases/<case>/.../<pk>/."""
    return lambda side: reverse(name, args=[side.case.pk, _obj(side, state).pk])


def _review_of(side):
    from reviews.models import LocalReview

    return LocalReview.objects.get(case=side.case)


def _appointment_form(side):
    from tests.reviews.builders import CONSIDERATIONS

    return CONSIDERATIONS | {
        "reviewer": side["reviewer"].pk,
        "appointed_on": _today(),
        "conflict_declared": "no",
    }


def _terms_form(side):
    from reviews.services.terms import terms_version

    return {
        "period_from": "2025-01-01",
        "period_to": "2026-10-31",
        "key_lines_of_enquiry": "How well did agencies hear the child? (fictional)",
        "change_note": "Second draft",
        "version": terms_version(_review_of(side)),
    }


def _fields_form(values, names):
    def data(side):
        from reviews.services.commissioning import fields_version

        return values | {"version": fields_version(_review_of(side), names)}

    return data


def _methodology_form(side):
    from reviews.services.commissioning import METHODOLOGY_FIELDS
    from tests.reviews.builders import METHODOLOGY

    return _fields_form(METHODOLOGY, METHODOLOGY_FIELDS)(side)


def _chronology_form(side):
    from reviews.services.commissioning import CHRONOLOGY_FIELDS

    values = {
        "chronology_from": "2025-01-01",
        "chronology_to": "2026-10-31",
        "chronology_guidance": "One row per contact.",
    }
    return _fields_form(values, CHRONOLOGY_FIELDS)(side)


def _report_upload(side):
    from tests.reviews.builders import PDF

    upload = io.BytesIO(PDF)
    upload.name = "report-v2.pdf"
    return {"file": upload, "note": "Second draft"}


def _quality_form(side):
    from reviews.models import QAPoint

    data = {"decision": "ready", "note": ""}
    for point in QAPoint.values:
        data |= {f"{point}_met": "yes", f"{point}_comment": "Yes (fictional)."}
    return data


def _plan_form(side):
    from reviews.services.publication import plan_version

    return {
        "planned_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "legal_advice_taken": "on",
        "legal_advice_on": _today(),
        "legal_advice": "Publish with the names removed (fictional).",
        "family_named_contact": "Business Manager (fictional)",
        "version": plan_version(None),
    }


def _briefing_form(side):
    from reviews.services.publication import briefing_version

    return {
        "title": "Learning from the review",
        "body": "Agencies did not share information (fictional).",
        "version": briefing_version(None),
        "save": "1",
    }


def _national_form(side):
    from reviews.services.national import national_version

    return {
        "panel_reference": "NR-1",
        "local_lead": "Business Manager (fictional)",
        "partnership_part": "Agencies send their records to the Panel's reviewers.",
        "status": "under_way",
        "version": national_version(None),
    }


def _today():
    return timezone.localdate().isoformat()


def _tomorrow():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


MATRIX = {
    # Public pages.
    "healthz": Entry(lambda s: reverse("healthz"), (get(every(200, EVERYONE)),), public=True),
    "accessibility-statement": Entry(
        lambda s: reverse("accessibility-statement"), (get(every(200, EVERYONE)),), public=True
    ),
    "privacy-notice": Entry(
        lambda s: reverse("privacy-notice"), (get(every(200, EVERYONE)),), public=True
    ),
    "sign-in": Entry(
        lambda s: reverse("sign-in"),
        (
            get({**every(302), "anonymous": 200}),
            post(
                every(302, EVERYONE),
                lambda s: {"username": "manager", "password": "correct-horse-battery"},
            ),
        ),
        public=True,
    ),
    "sign-out": Entry(lambda s: reverse("sign-out"), (post(every(302, EVERYONE)),), public=True),
    # The admin's own sign-in page would skip the second factor: it sends to ours.
    "admin/login/": Entry(
        lambda s: "/admin/login/",
        (get(every(302, EVERYONE)), post(every(302, EVERYONE))),
        public=True,
    ),
    "password-reset": Entry(
        lambda s: reverse("password-reset"),
        (
            get(every(200, EVERYONE)),
            post(every(302, EVERYONE), lambda s: {"email": "nobody@example.org"}),
        ),
        public=True,
    ),
    "password-reset-sent": Entry(
        lambda s: reverse("password-reset-sent"), (get(every(200, EVERYONE)),), public=True
    ),
    # A made-up link: the page says it does not work, whoever opens it.
    "password-reset-confirm": Entry(
        lambda s: reverse("password-reset-confirm", args=["MQ", "made-up-token"]),
        (
            get(every(200, EVERYONE)),
            post(every(200, EVERYONE), lambda s: {"new_password1": "x", "new_password2": "x"}),
        ),
        public=True,
    ),
    "password-reset-complete": Entry(
        lambda s: reverse("password-reset-complete"), (get(every(200, EVERYONE)),), public=True
    ),
    # A person's own account: no object of anyone else's is named.
    # It takes any method (a POST changes nothing and shows the page).
    "account": Entry(lambda s: reverse("account"), (get(every(200)),)),
    # Already past the second factor (as every persona here is): on to the next page.
    "second-factor": Entry(lambda s: reverse("second-factor"), (get(every(302)), post(every(302)))),
    "second-factor-set-up": Entry(
        lambda s: reverse("second-factor-set-up"), (get(every(302)), post(every(302)))
    ),
    "backup-codes": Entry(lambda s: reverse("backup-codes"), (get(every(200)), post(every(200)))),
    "account-confirm": Entry(
        lambda s: reverse("account-confirm"), (get(every(200)), post(every(200)))
    ),
    "sign-out-everywhere": Entry(lambda s: reverse("sign-out-everywhere"), (post(every(302)),)),
    "password-change": Entry(
        lambda s: reverse("password-change"), (get(every(200)), post(every(200)))
    ),
    # Pages naming no partnership object: what they list is checked for leaks below.
    # Home also lists what waits for the chair: a triaged referral, an unapproved meeting.
    "home": Entry(
        lambda s: reverse("home"), (get(every(200)),), fill=(*LISTED, "triaged", "meeting")
    ),
    "case-list": Entry(lambda s: reverse("case-list"), (get(every(200)),), fill=LISTED),
    "case-open": Entry(
        lambda s: reverse("case-open"),
        (
            get({"business_manager": 200, "stranger": 200}),
            post(
                {"business_manager": 302, "stranger": 302},
                lambda s: {
                    "pseudonym": "Child T",
                    "given_names": "Kit",
                    "family_name": "Doe",
                    "sex": "male",
                },
            ),
        ),
    ),
    "calendar": Entry(lambda s: reverse("calendar"), (get(every(200)),)),
    "calendar-day-set": Entry(
        lambda s: reverse("calendar-day-set"),
        (
            post(
                {"administrator": 302},
                lambda s: {
                    "day": "2026-11-05",
                    "is_working": "false",
                    "title": "One-off",
                    "reason": "Announced",
                },
            ),
        ),
    ),
    # The calendar is the country's, not a partnership's: one object, no twin.
    "calendar-day-undo": Entry(
        lambda s: reverse("calendar-day-undo", args=["2026-11-06"]),
        (post({"administrator": 302}, lambda s: {"reason": "Entered in error"}),),
    ),
    "notification-list": Entry(
        lambda s: reverse("notification-list"), (get(every(200)),), fill=LISTED
    ),
    "notification-read-all": Entry(lambda s: reverse("notification-read-all"), (post(every(302)),)),
    "referral-list": Entry(lambda s: reverse("referral-list"), (get(every(200)),), fill=LISTED),
    "referral-start": Entry(lambda s: reverse("referral-start"), (post(every(302, REFERS)),)),
    # A person's own notification: nobody else sees it.
    "notification-read": Entry(
        lambda s: reverse("notification-read", args=[_obj(s, "reminder").pk]),
        (post({"business_manager": 302}),),
        state="reminder",
    ),
    # The case and its deadlines.
    "case-detail": Entry(
        _case_url("case-detail"), (get(every(200, SEES_CASE)),), state="case", seen=SEES_CASE
    ),
    "child-record-edit": Entry(
        _case_url("child-record-edit"),
        (
            get({"business_manager": 200}),
            post(
                {"business_manager": 302},
                lambda s: {"given_names": "Robin", "family_name": "Newname", "sex": "not_known"},
            ),
        ),
        state="case",
        seen=SEES_CASE,
    ),
    "case-access-log": Entry(
        _case_url("case-access-log"),
        (get({"business_manager": 200}),),
        state="case",
        seen=SEES_CASE,
    ),
    "case-legal-hold": Entry(
        _case_url("case-legal-hold"),
        (
            get({"business_manager": 200}),
            post({"business_manager": 302}, lambda s: {"reason": "Inquest pending"}),
        ),
        state="case",
        seen=SEES_CASE,
    ),
    # Who read an agency's material: its own contributors; the partnership knows it exists.
    "agency-access-log": Entry(
        lambda s: reverse("agency-access-log", args=[s.police.pk]),
        (get({"police_contributor": 200}),),
        state="case",
        seen=MEMBERS,
    ),
    "deadline-detail": Entry(
        lambda s: reverse("deadline-detail", args=[s.case.pk, _obj(s, "deadline").pk]),
        (get(every(200, SEES_TIMELINE)),),
        state="deadline",
        seen=SEES_TIMELINE,
    ),
    "deadline-action": Entry(
        lambda s: reverse("deadline-action", args=[s.case.pk, _obj(s, "deadline").pk, "waive"]),
        (post({"business_manager": 302}, lambda s: {"waive-reason": "Case closed"}),),
        state="deadline",
        seen=SEES_TIMELINE,
    ),
    # The serious incident notification.
    "notification-detail": Entry(
        _case_url("notification-detail"),
        (get(every(200, SEES_TIMELINE)),),
        state="notification",
        seen=SEES_TIMELINE,
    ),
    "notification-aware": Entry(
        _case_url("notification-aware"),
        (post({"business_manager": 302}, lambda s: {"date_aware": "2026-11-04"}),),
        state="case",
        seen=SEES_TIMELINE,
    ),
    "notification-sent": Entry(
        _case_url("notification-sent"),
        (
            post(
                {"business_manager": 302},
                lambda s: {
                    "sent_on": "2026-11-10",
                    "panel_reference": "CSPR-1",
                    "notified_by": "A. Fictional",
                },
            ),
        ),
        state="notification",
        seen=SEES_TIMELINE,
    ),
    # Referrals: drafts are their author's; submitted ones the partnership's.
    "referral-edit": Entry(
        _referral_url("referral-edit", "draft"),
        (get({"police_contributor": 200}), post({"police_contributor": 302}, _referral_form)),
        state="draft",
        seen=frozenset({"police_contributor"}),
    ),
    "referral-detail": Entry(
        _referral_url("referral-detail", "submitted"),
        (get(every(200, SEES_REFERRAL)),),
        state="submitted",
        seen=SEES_REFERRAL,
    ),
    "referral-triage": Entry(
        _referral_url("referral-triage", "submitted"),
        (
            post(
                {"business_manager": 302},
                lambda s: {"pseudonym": "Child S", "note": "Threshold met"},
            ),
        ),
        state="submitted",
        seen=SEES_REFERRAL,
    ),
    "referral-decide": Entry(
        _referral_url("referral-decide", "triaged"),
        (
            post(
                {"subgroup_chair": 302},
                lambda s: {"decision": "notify", "rationale": "Serious harm"},
            ),
        ),
        state="triaged",
        seen=SEES_REFERRAL,
    ),
    "referral-withdraw": Entry(
        _referral_url("referral-withdraw", "submitted"),
        (
            post(
                {"business_manager": 302, "police_contributor": 302},
                lambda s: {"withdraw-reason": "Sent in error"},
            ),
        ),
        state="submitted",
        seen=SEES_REFERRAL,
    ),
    # The rapid review.
    "rapid-review-detail": Entry(
        _case_url("rapid-review-detail"),
        (get(every(200, SEES_TIMELINE)),),
        state="review",
        seen=SEES_TIMELINE,
    ),
    "rapid-review-open": Entry(
        _case_url("rapid-review-open"),
        (post({"business_manager": 302}),),
        state="notified",
        seen=SEES_TIMELINE,
    ),
    "information-request-send": Entry(
        _case_url("information-request-send"),
        (
            post(
                {"business_manager": 302},
                lambda s: {"agency": s.health.pk, "due_on": _tomorrow()},
            ),
        ),
        state="review",
        seen=SEES_TIMELINE,
    ),
    "collated-pack": Entry(
        _case_url("collated-pack"),
        (get(every(200, SEES_TIMELINE)),),
        state="review",
        seen=SEES_TIMELINE,
    ),
    "collated-pack-pdf": Entry(
        _case_url("collated-pack-pdf"),
        (get(every(200, SEES_TIMELINE)),),
        state="review",
        seen=SEES_TIMELINE,
    ),
    "request-detail": Entry(
        _request_url("request-detail"),
        (get(every(200, SEES_REQUEST)),),
        state="police_request",
        seen=SEES_REQUEST,
    ),
    "records-secured": Entry(
        _request_url("records-secured"),
        (post({"police_contributor": 302}),),
        state="police_request",
        seen=SEES_REQUEST,
    ),
    "return-edit": Entry(
        _request_url("return-edit"),
        (get({"police_contributor": 200}), post({"police_contributor": 302}, _return_form)),
        state="police_request",
        seen=SEES_REQUEST,
    ),
    "chronology-import": Entry(
        _request_url("chronology-import"),
        (get({"police_contributor": 200}), post({"police_contributor": 302}, _chronology_csv)),
        state="police_request",
        seen=SEES_REQUEST,
    ),
    "return-addendum": Entry(
        _request_url("return-addendum", "submitted_return"),
        (post({"police_contributor": 302}, lambda s: {"text": "A later call-out (fictional)."}),),
        state="submitted_return",
        seen=SEES_REQUEST,
    ),
    "return-unlock": Entry(
        _request_url("return-unlock", "submitted_return"),
        (post({"business_manager": 302}, lambda s: {"reason": "Wrong date in row 1"}),),
        state="submitted_return",
        seen=SEES_REQUEST,
    ),
    # Documents with a return: a draft's are its agency's own.
    "attachment-list": Entry(
        _request_url("attachment-list"),
        (get(every(200, SEES_REQUEST)),),
        state="police_request",
        seen=SEES_REQUEST,
    ),
    "attachment-upload": Entry(
        _request_url("attachment-upload"),
        (get({"police_contributor": 200}), post({"police_contributor": 302}, _text_upload)),
        state="police_request",
        seen=SEES_REQUEST,
    ),
    "attachment-download": Entry(
        _attachment_url("attachment-download"),
        (get(every(200, SEES_REQUEST)),),
        state="submitted_attachment",
        seen=SEES_REQUEST,
    ),
    "attachment-remove": Entry(
        _attachment_url("attachment-remove"),
        (get({"police_contributor": 200}), post({"police_contributor": 302})),
        state="attachment",
        seen=frozenset({"police_contributor"}),
    ),
    # The learning meeting and the decision.
    "meeting-record": Entry(
        _case_url("meeting-record"),
        (get({"business_manager": 200}), post({"business_manager": 302}, _meeting_form)),
        state="review",
        seen=SEES_TIMELINE,
    ),
    "recommendation-approve": Entry(
        _case_url("recommendation-approve"),
        (post({"subgroup_chair": 302}),),
        state="meeting",
        seen=SEES_TIMELINE,
    ),
    "partner-sign-off": Entry(
        _case_url("partner-sign-off"),
        (post({"executive": 302}, lambda s: {"note": "Agreed"}),),
        state="approved",
        seen=SEES_TIMELINE,
    ),
    "family-informed": Entry(
        _case_url("family-informed"),
        (
            post(
                {"business_manager": 302},
                lambda s: {
                    "family-informed_on": "2026-11-12",
                    "family-informed_by": "Lead (fictional)",
                    "family-method": "Visit",
                },
            ),
        ),
        state="review",
        seen=SEES_TIMELINE,
    ),
    "report-pdf": Entry(
        _case_url("report-pdf"),
        (get(every(200, SEES_TIMELINE)),),
        state="meeting",
        seen=SEES_TIMELINE,
    ),
    "report-sent": Entry(
        _case_url("report-sent"),
        (post({"business_manager": 302}, lambda s: {"report-sent_on": _today()}),),
        state="decided",
        seen=SEES_TIMELINE,
    ),
    "panel-response": Entry(
        _case_url("panel-response"),
        (
            post(
                {"business_manager": 302},
                lambda s: {
                    "panel-outcome": "agrees_local_cspr",
                    "panel-letter_date": _today(),
                    "panel-received_on": _today(),
                    "panel-text": "The Panel agrees (fictional).",
                },
            ),
        ),
        state="reported",
        seen=SEES_TIMELINE,
    ),
    "report-circulate": Entry(
        _case_url("report-circulate"),
        (post({"business_manager": 302}),),
        state="decided",
        seen=SEES_TIMELINE,
    ),
    "dissemination-record": Entry(
        _case_url("dissemination-record"),
        (
            post(
                {"subgroup_chair": 302, "executive": 302},
                lambda s: {"wider-recipient": "Head teacher", "wider-reason": "School learning"},
            ),
        ),
        state="decided",
        seen=SEES_TIMELINE,
    ),
    "briefing-edit": Entry(
        _case_url("briefing-edit"),
        (
            get(every(200, SEES_TIMELINE)),
            post(
                {"business_manager": 302},
                lambda s: {"title": "Learning", "body": f"{PSEUDONYM[s.key]}: fictional."},
            ),
        ),
        state="review",
        seen=SEES_TIMELINE,
    ),
    # The local review (reviews.access): its pages are for those who see the timeline
    # (the world's reviewer has the case's grant); agency contributors get a 404.
    "local-review-detail": Entry(
        _case_url("local-review-detail"),
        (get(every(200, SEES_TIMELINE)),),
        state="local_started",
        seen=SEES_TIMELINE,
    ),
    "local-review-commission": Entry(
        _case_url("local-review-commission"),
        (post({"business_manager": 302}),),
        state="local_agreed",
        seen=SEES_TIMELINE,
    ),
    "local-review-start": Entry(
        _case_url("local-review-start"),
        (
            post(
                {"business_manager": 302},
                lambda s: {"started_on": _today(), "monitoring_interval_weeks": "4"},
            ),
        ),
        state="local_ready",
        seen=SEES_TIMELINE,
    ),
    "reviewer-appoint": Entry(
        _case_url("reviewer-appoint"),
        (get(every(200, SEES_TIMELINE)), post({"business_manager": 302}, _appointment_form)),
        state="local_commissioned",
        seen=SEES_TIMELINE,
    ),
    "reviewer-invite": Entry(
        _case_url("reviewer-invite"),
        (
            post(
                {"business_manager": 302},
                lambda s: {
                    "account-first_name": "Jo",
                    "account-last_name": "Fictional",
                    "account-email": "jo.fictional@example.org",
                },
            ),
        ),
        state="local_commissioned",
        seen=SEES_TIMELINE,
    ),
    "appointment-end": Entry(
        _review_object_url("appointment-end", "local_appointed"),
        (
            post(
                {"business_manager": 302},
                lambda s: {"end-ended_on": _today(), "end-reason": "They withdrew (fictional)."},
            ),
        ),
        state="local_appointed",
        seen=SEES_TIMELINE,
    ),
    # The business unit and the sub-group draft the terms; the chair and the reviewer
    # appointed agree them.
    "terms-edit": Entry(
        _case_url("terms-edit"),
        (
            get(every(200, SEES_TIMELINE)),
            post(
                {"business_manager": 302, "subgroup_member": 302, "subgroup_chair": 302},
                _terms_form,
            ),
        ),
        state="local_terms",
        seen=SEES_TIMELINE,
    ),
    "terms-agree": Entry(
        _review_object_url("terms-agree", "local_terms"),
        (post({"subgroup_chair": 302, "reviewer": 302}),),
        state="local_terms",
        seen=SEES_TIMELINE,
    ),
    "methodology-edit": Entry(
        _case_url("methodology-edit"),
        (get(every(200, SEES_TIMELINE)), post({"business_manager": 302}, _methodology_form)),
        state="local_commissioned",
        seen=SEES_TIMELINE,
    ),
    "review-groups": Entry(
        _case_url("review-groups"),
        (
            get(every(200, SEES_TIMELINE)),
            post(
                {"business_manager": 302},
                lambda s: {
                    "group": "practitioner",
                    "name": "Alex Fictional",
                    "role": "Health visitor",
                    "agency": s.health.pk,
                    "involvement": "Visited the family monthly.",
                },
            ),
        ),
        state="local_member",
        seen=SEES_TIMELINE,
    ),
    "group-member-remove": Entry(
        _review_object_url("group-member-remove", "local_member"),
        (post({"business_manager": 302}),),
        state="local_member",
        seen=SEES_TIMELINE,
    ),
    "family-engagement": Entry(
        _case_url("family-engagement"),
        (
            get(every(200, SEES_TIMELINE)),
            post(
                {"business_manager": 302},
                lambda s: {
                    "kind": "contact",
                    "on": _today(),
                    "family_member": "Father",
                    "summary": "A phone call about the review (fictional).",
                },
            ),
        ),
        state="local_ready",
        seen=SEES_TIMELINE,
    ),
    "chronology-template": Entry(
        _case_url("chronology-template"),
        (get(every(200, SEES_TIMELINE)), post({"business_manager": 302}, _chronology_form)),
        state="local_commissioned",
        seen=SEES_TIMELINE,
    ),
    "chronology-template-csv": Entry(
        _case_url("chronology-template-csv"),
        (get(every(200, SEES_TIMELINE)),),
        state="local_commissioned",
        seen=SEES_TIMELINE,
    ),
    "review-letters": Entry(
        _case_url("review-letters"),
        (
            get(every(200, SEES_TIMELINE)),
            post(
                {"business_manager": 302},
                lambda s: {
                    "kind": "agency",
                    "agency": s.police.pk,
                    "addressee": "Pat Fictional, Detective Inspector",
                },
            ),
        ),
        state="local_letter",
        seen=SEES_TIMELINE,
    ),
    "letter-pdf": Entry(
        _review_object_url("letter-pdf", "local_letter"),
        (get(every(200, SEES_TIMELINE)),),
        state="local_letter",
        seen=SEES_TIMELINE,
    ),
    "letter-sent": Entry(
        _review_object_url("letter-sent", "local_letter"),
        (
            post(
                {"business_manager": 302},
                lambda s: {f"sent-{_obj(s, 'local_letter').pk}-sent_on": _today()},
            ),
        ),
        state="local_letter",
        seen=SEES_TIMELINE,
    ),
    "review-monitoring": Entry(
        _case_url("review-monitoring"),
        (get(every(200, SEES_TIMELINE)),),
        state="local_request",
        seen=SEES_TIMELINE,
    ),
    "checkpoint-record": Entry(
        _review_object_url("checkpoint-record", "local_checkpoint"),
        (
            post(
                {"business_manager": 302},
                lambda s: {
                    "checkpoint-held_on": _today(),
                    "checkpoint-time_rating": "on_track",
                    "checkpoint-time_comment": "On time (fictional).",
                    "checkpoint-quality_rating": "at_risk",
                    "checkpoint-quality_comment": "Thin on practice (fictional).",
                },
            ),
        ),
        state="local_checkpoint",
        seen=SEES_TIMELINE,
    ),
    "reviewer-request-send": Entry(
        _case_url("reviewer-request-send"),
        (
            post(
                {"business_manager": 302},
                lambda s: {
                    "request-kind": "draft",
                    "request-text": "Please send the first draft (fictional).",
                    "request-due_on": _tomorrow(),
                },
            ),
        ),
        state="local_started",
        seen=SEES_TIMELINE,
    ),
    # The reviewer replies, or the business unit records a reply sent another way.
    "reviewer-request-answer": Entry(
        _review_object_url("reviewer-request-answer", "local_request"),
        (
            post(
                {"business_manager": 302, "reviewer": 302},
                lambda s: {
                    f"answer-{_obj(s, 'local_request').pk}-answered_on": _today(),
                    f"answer-{_obj(s, 'local_request').pk}-answer": "Attached (fictional).",
                },
            ),
        ),
        state="local_request",
        seen=SEES_TIMELINE,
    ),
    "review-report": Entry(
        _case_url("review-report"),
        (get(every(200, SEES_TIMELINE)),),
        state="local_draft",
        seen=SEES_TIMELINE,
    ),
    # The reviewer appointed uploads drafts; the business unit may, for one sent to it.
    "draft-upload": Entry(
        _case_url("draft-upload"),
        (
            get({"business_manager": 200, "reviewer": 200}),
            post({"business_manager": 302, "reviewer": 302}, _report_upload),
        ),
        state="local_started",
        seen=SEES_TIMELINE,
    ),
    "draft-download": Entry(
        _review_object_url("draft-download", "local_draft"),
        (get(every(200, SEES_TIMELINE)),),
        state="local_draft",
        seen=SEES_TIMELINE,
    ),
    "quality-assurance": Entry(
        _review_object_url("quality-assurance", "local_draft"),
        (get({"subgroup_chair": 200}), post({"subgroup_chair": 302}, _quality_form)),
        state="local_draft",
        seen=SEES_TIMELINE,
    ),
    "report-approve": Entry(
        _case_url("report-approve"),
        (post({"executive": 302}),),
        state="local_assured",
        seen=SEES_TIMELINE,
    ),
    "report-return": Entry(
        _case_url("report-return"),
        (post({"executive": 302}, lambda s: {"return-reason": "Say more about the school."}),),
        state="local_assured",
        seen=SEES_TIMELINE,
    ),
    "review-publication": Entry(
        _case_url("review-publication"),
        (get(every(200, SEES_TIMELINE)), post({"business_manager": 302}, _plan_form)),
        state="local_approved",
        seen=SEES_TIMELINE,
    ),
    # An open parallel process holds publication unless the sub-group chair agrees.
    "publication-override": Entry(
        _case_url("publication-override"),
        (
            post(
                {"subgroup_chair": 302},
                lambda s: {"override-reason": "Legal advice: publishing is safe (fictional)."},
            ),
        ),
        state="local_held",
        seen=SEES_TIMELINE,
    ),
    "final-copy-sent": Entry(
        _case_url("final-copy-sent"),
        (
            post(
                {"business_manager": 302},
                lambda s: {
                    "copy-panel_sent_on": _today(),
                    "copy-secretary_of_state_sent_on": _today(),
                },
            ),
        ),
        state="local_planned",
        seen=SEES_TIMELINE,
    ),
    "review-publish": Entry(
        _case_url("review-publish"),
        (
            post(
                {"business_manager": 302},
                lambda s: {
                    "publish-published_on": _today(),
                    "publish-address": "https://www.example.org/reviews/fictional",
                },
            ),
        ),
        state="local_copies_sent",
        seen=SEES_TIMELINE,
    ),
    "review-not-publish": Entry(
        _case_url("review-not-publish"),
        (post({"executive": 302}, lambda s: {"not-publish-reason": "The family (fictional)."}),),
        state="local_approved",
        seen=SEES_TIMELINE,
    ),
    "review-briefing": Entry(
        _case_url("review-briefing"),
        (get(every(200, SEES_TIMELINE)), post({"business_manager": 302}, _briefing_form)),
        state="local_approved",
        seen=SEES_TIMELINE,
    ),
    # Records that hang off the case rather than its local review.
    "parallel-processes": Entry(
        _case_url("parallel-processes"),
        (
            get(every(200, SEES_TIMELINE)),
            post(
                {"business_manager": 302},
                lambda s: {"kind": "inquest", "lead_body": "HM Coroner (fictional)"},
            ),
        ),
        state="local_process",
        seen=SEES_TIMELINE,
    ),
    "parallel-process-conclude": Entry(
        _review_object_url("parallel-process-conclude", "local_process"),
        (
            post(
                {"business_manager": 302},
                lambda s: {
                    f"conclude-{_obj(s, 'local_process').pk}-concluded_on": _today(),
                    f"conclude-{_obj(s, 'local_process').pk}-outcome": "No charge (fictional).",
                },
            ),
        ),
        state="local_process",
        seen=SEES_TIMELINE,
    ),
    "national-review": Entry(
        _case_url("national-review"),
        (get(every(200, SEES_TIMELINE)), post({"business_manager": 302}, _national_form)),
        state="national",
        seen=SEES_TIMELINE,
    ),
}


# Action plans, learning and reporting (issue 7) ------------------------------------------

# Who sees a case's action plans page: the partnership-wide roles, and an agency that owns
# an action there or was asked about the case (the police were). Who sees one action: the
# partnership-wide roles and its own agency's contributors; reviewers and administrators
# see none.
SEES_PLANS = WIDE | {"police_contributor"}
SEES_POLICE_ACTION = WIDE | {"police_contributor"}
UPDATES_POLICE_ACTION = {"business_manager": 302, "police_contributor": 302}
EVERY_ACTION = ("complete_action", "evidence_file", "barrier", "barrier_answered")


def _action_url(name, state="police_action"):
    return lambda side: reverse(name, args=[side.case.pk, _obj(side, state).pk])


def _plan_url(name):
    return lambda side: reverse(name, args=[side.case.pk, _obj(side, "plan").pk])


def _of_action_url(name, state):
    """A page naming an object of an action (evidence, a barrier): case, action, object."""

    def url(side):
        item = _obj(side, state)
        return reverse(name, args=[side.case.pk, item.action_id, item.pk])

    return url


def _immediate_url(side):
    return reverse(
        "immediate-action-take-in",
        args=[side.case.pk, _obj(side, "plan").pk, _obj(side, "immediate_action").pk],
    )


def _in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _action_form(side):
    return {
        "finding": "Practitioners did not escalate (fictional).",
        "change": "An escalation procedure every agency follows (fictional).",
        "agency": side.police.pk,
        "owner_name": "Pat Fictional, Detective Inspector",
        "due_on": _in_days(60),
    }


def _action_edit_form(side):
    from actions.services.plans import action_version

    action = _obj(side, "police_action")
    return _action_form(side) | {"version": action_version(action)}


def _event_form(side):
    from actions.services.learning import event_version

    event = _obj(side, "learning_event")
    return {
        "title": "Autumn learning event (fictional)",
        "held_on": "2026-10-15",
        "audience": "Designated safeguarding leads (fictional)",
        "attendance": "45",
        "notes": "",
        "cases": [side.case.pk],
        "version": event_version(event),
    }


def _themes_form(side):
    from actions.models import Theme

    return {"themes": [Theme.objects.get(name="Neglect").pk]}


MATRIX |= {
    # A case's action plans: a contributor reads their own agency's actions only.
    "action-plans": Entry(
        _case_url("action-plans"),
        (get(every(200, SEES_PLANS | {"health_contributor"})),),
        state="health_action",
        seen=SEES_PLANS | {"health_contributor"},
    ),
    "action-plan-open": Entry(
        _case_url("action-plan-open"),
        (post({"business_manager": 302}, lambda s: {"source": "rapid_review"}),),
        state="meeting",
        seen=SEES_PLANS,
    ),
    "action-add": Entry(
        _plan_url("action-add"),
        (get({"business_manager": 200}), post({"business_manager": 302}, _action_form)),
        state="plan",
        seen=SEES_PLANS,
    ),
    "immediate-action-take-in": Entry(
        _immediate_url,
        (get({"business_manager": 200}), post({"business_manager": 302}, _action_form)),
        state="immediate_action",
        seen=SEES_PLANS,
    ),
    # One action: the health contributor gets a 404 on the police's.
    "action-detail": Entry(
        _action_url("action-detail"),
        (get(every(200, SEES_POLICE_ACTION)),),
        state="police_action",
        seen=SEES_POLICE_ACTION,
    ),
    "action-edit": Entry(
        _action_url("action-edit"),
        (get({"business_manager": 200}), post({"business_manager": 302}, _action_edit_form)),
        state="police_action",
        seen=SEES_POLICE_ACTION,
    ),
    "action-progress": Entry(
        _action_url("action-progress"),
        (
            post(
                UPDATES_POLICE_ACTION,
                lambda s: {"progress-status": "on_track", "progress-text": "Half trained."},
            ),
        ),
        state="police_action",
        seen=SEES_POLICE_ACTION,
    ),
    "action-complete": Entry(
        _action_url("action-complete"),
        (
            post(
                UPDATES_POLICE_ACTION,
                lambda s: {"complete-completed_on": _today(), "complete-text": "All trained."},
            ),
        ),
        state="police_action",
        seen=SEES_POLICE_ACTION,
    ),
    "action-reopen": Entry(
        _action_url("action-reopen", "complete_action"),
        (
            post(
                {"business_manager": 302},
                lambda s: {"reopen-reason": "The audit found gaps.", "reopen-due_on": _in_days(30)},
            ),
        ),
        state="complete_action",
        seen=SEES_POLICE_ACTION,
    ),
    "action-impact": Entry(
        _action_url("action-impact", "complete_action"),
        (
            post(
                {"business_manager": 302, "subgroup_chair": 302},
                lambda s: {
                    "impact-how": "A case audit (fictional).",
                    "impact-assured_on": _today(),
                },
            ),
        ),
        state="complete_action",
        seen=SEES_POLICE_ACTION,
    ),
    "evidence-add": Entry(
        _action_url("evidence-add"),
        (
            post(
                UPDATES_POLICE_ACTION,
                lambda s: {
                    "evidence-description": "The new leaflet",
                    "evidence-link": "https://www.example.org/leaflet",
                },
            ),
        ),
        state="police_action",
        seen=SEES_POLICE_ACTION,
    ),
    "evidence-download": Entry(
        _of_action_url("evidence-download", "evidence_file"),
        (get(every(200, SEES_POLICE_ACTION)),),
        state="evidence_file",
        seen=SEES_POLICE_ACTION,
    ),
    # Removed by whoever added it (the police contributor) or the business unit.
    "evidence-remove": Entry(
        _of_action_url("evidence-remove", "evidence_file"),
        (post(UPDATES_POLICE_ACTION),),
        state="evidence_file",
        seen=SEES_POLICE_ACTION,
    ),
    "barrier-raise": Entry(
        _action_url("barrier-raise"),
        (post(UPDATES_POLICE_ACTION, lambda s: {"barrier-description": "No trainer."}),),
        state="police_action",
        seen=SEES_POLICE_ACTION,
    ),
    "barrier-respond": Entry(
        _of_action_url("barrier-respond", "barrier"),
        (
            post(
                {"executive": 302},
                lambda s: {f"respond-{_obj(s, 'barrier').pk}-response": "We fund it."},
            ),
        ),
        state="barrier",
        seen=SEES_POLICE_ACTION,
    ),
    "barrier-close": Entry(
        _of_action_url("barrier-close", "barrier_answered"),
        (
            post(
                {"business_manager": 302},
                lambda s: {f"close-{_obj(s, 'barrier_answered').pk}-note": "Trainer found."},
            ),
        ),
        state="barrier_answered",
        seen=SEES_POLICE_ACTION,
    ),
    # Across the partnership: a contributor lists their own agency's actions; the roles
    # with no actions are refused.
    "action-list": Entry(
        lambda s: reverse("action-list"),
        (get(every(200, WIDE | {"police_contributor", "health_contributor", "stranger"})),),
        fill=EVERY_ACTION,
    ),
    "action-list-csv": Entry(
        lambda s: reverse("action-list-csv"),
        (get(every(200, WIDE | {"police_contributor", "health_contributor", "stranger"})),),
        fill=EVERY_ACTION,
    ),
    "barrier-list": Entry(
        lambda s: reverse("barrier-list"),
        (get(every(200, WIDE | {"stranger"})),),
        fill=EVERY_ACTION,
    ),
    # The partnership's reports: its partnership-wide roles, about it only.
    **{
        name: Entry(
            lambda s, name=name: reverse(name),
            (get(every(200, WIDE | {"stranger"})),),
            fill=EVERY_ACTION,
        )
        for name in (
            "exception-report",
            "exception-report-pdf",
            "exception-report-csv",
            "annual-report",
            "annual-report-pdf",
            "annual-report-csv",
        )
    },
    # Themes: whoever sees the case's timeline reads them; the business unit and the
    # sub-group apply them.
    "case-themes": Entry(
        _case_url("case-themes"),
        (
            get(every(200, SEES_TIMELINE)),
            post(
                {"business_manager": 302, "subgroup_member": 302, "subgroup_chair": 302},
                _themes_form,
            ),
        ),
        state="case_theme",
        seen=SEES_TIMELINE,
    ),
    # Themes by the children's protected characteristics: the business unit only.
    "equality-analysis": Entry(
        lambda s: reverse("equality-analysis"),
        (get({"business_manager": 200, "stranger": 200}),),
        fill=("case_theme",),
    ),
    "equality-analysis-csv": Entry(
        lambda s: reverse("equality-analysis-csv"),
        (get({"business_manager": 200, "stranger": 200}),),
        fill=("case_theme",),
    ),
    "learning-event-list": Entry(
        lambda s: reverse("learning-event-list"),
        (get(every(200, WIDE | {"stranger"})),),
        fill=("learning_event",),
    ),
    "learning-event-list-csv": Entry(
        lambda s: reverse("learning-event-list-csv"),
        (get(every(200, WIDE | {"stranger"})),),
        fill=("learning_event",),
    ),
    "learning-event-new": Entry(
        lambda s: reverse("learning-event-new"),
        (
            get({"business_manager": 200, "stranger": 200}),
            post(
                {"business_manager": 302, "stranger": 302},
                lambda s: {
                    "title": "Spring learning event (fictional)",
                    "held_on": "2026-04-20",
                    "audience": "GP practices (fictional)",
                },
            ),
        ),
    ),
    # Only the business unit changes learning events: everyone else is refused before the
    # event is looked up.
    "learning-event-edit": Entry(
        lambda s: reverse("learning-event-edit", args=[_obj(s, "learning_event").pk]),
        (get({"business_manager": 200}), post({"business_manager": 302}, _event_form)),
        state="learning_event",
        gated=frozenset(SIGNED_IN) - {"business_manager", "stranger"},
    ),
    # The dashboard: a section for each role that has one; the others are refused.
    "dashboard": Entry(
        lambda s: reverse("dashboard"),
        (
            get(
                every(
                    200,
                    {
                        "business_manager",
                        "subgroup_chair",
                        "executive",
                        "police_contributor",
                        "health_contributor",
                        "stranger",
                    },
                )
            ),
        ),
        fill=(*EVERY_ACTION, *LISTED, "triaged", "meeting", "case_theme"),
    ),
    # One of its lists (each list is checked for each persona below).
    "dashboard-csv": Entry(
        lambda s: reverse("dashboard-csv", args=["agency-actions"]),
        (get({"police_contributor": 200, "health_contributor": 200}),),
        fill=EVERY_ACTION,
    ),
    # The learning briefings as PDFs: whoever reads the briefing.
    "briefing-pdf": Entry(
        _case_url("briefing-pdf"),
        (get(every(200, SEES_TIMELINE)),),
        state="rapid_briefing",
        seen=SEES_TIMELINE,
    ),
    "review-briefing-pdf": Entry(
        _case_url("review-briefing-pdf"),
        (get(every(200, SEES_TIMELINE)),),
        state="local_briefing",
        seen=SEES_TIMELINE,
    ),
}


# Discovery ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route when a pattern has no name
    route: str
    namespace: str


def url_patterns(resolver=None, prefix="", namespace=""):
    """Every URL pattern of the project, however deeply included."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            found.extend(url_patterns(entry, route, inner))
        elif isinstance(entry, URLPattern):
            key = f"{namespace}{entry.name}" if entry.name else route
            found.append(Pattern(key, route, namespace.rstrip(":")))
    return found


def is_admin(pattern):
    """The Django admin (the `admin` namespace) is covered by one rule."""
    return pattern.namespace.split(":")[0] == "admin"


def app_patterns():
    return [p for p in url_patterns() if not is_admin(p)]


def test_every_url_pattern_has_an_entry_in_the_matrix():
    missing = sorted(f"{p.key} ({p.route})" for p in app_patterns() if p.key not in MATRIX)
    assert not missing, "URL patterns with no entry in the permission matrix: " + ", ".join(missing)


def test_every_matrix_entry_names_a_url_pattern():
    keys = {p.key for p in app_patterns()}
    assert not set(MATRIX) - keys, f"Stale matrix entries: {sorted(set(MATRIX) - keys)}"


def test_the_admin_rule_covers_the_admin_patterns_and_nothing_else():
    admin_patterns = [p for p in url_patterns() if is_admin(p)]
    assert admin_patterns, "the admin is mounted"
    assert all(p.route.startswith("admin/") for p in admin_patterns)


# Structure: every denial has its control ----------------------------------------------


@pytest.mark.parametrize("name", MATRIX)
def test_every_request_names_an_allowed_persona_for_the_control(name):
    entry = MATRIX[name]
    for req in entry.reqs:
        assert set(req.ok) <= set(EVERYONE), f"{name}: unknown persona in {set(req.ok)}"
        controls = set(req.ok) - {"anonymous"}
        assert controls, f"{name} {req.method}: no signed-in persona succeeds"
        assert all(200 <= status < 400 for status in req.ok.values()), name
        assert not entry.gated & (set(req.ok) | entry.seen | {"stranger"}), name
        if entry.state:
            # Another partnership's object is never within the stranger's reach.
            assert "stranger" not in set(req.ok) | entry.seen, name
            assert controls <= set(SIGNED_IN) - {"stranger"}, name
        if not entry.public:
            assert "anonymous" not in req.ok, name


# The requests --------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One request: on which partnership's object, by whom, and what it must answer."""

    obj: str  # "northtown", "southvale" or "none"
    side: str  # whose persona: "north" (the `world` personas) or "south" (Southvale's)
    persona: str
    expected: object  # a status, or SIGN_IN


def expected_for(entry, req, persona):
    if persona in req.ok:
        return req.ok[persona]
    if persona == "anonymous":
        return SIGN_IN
    if entry.state is None:
        return entry.refused
    if persona in entry.seen or persona in entry.gated:
        return 403
    return 404


def plan(entry, req):
    """Every persona on the own object (or the page); on the other partnership's twin,
    every Northtown persona (404) and, as controls, Southvale's counterparts of the
    allowed personas (the stranger is Southvale's business manager)."""
    own = "northtown" if entry.state else "none"
    probes = [Probe(own, "north", p, expected_for(entry, req, p)) for p in EVERYONE]
    if entry.state:
        for persona in EVERYONE:
            if persona == "stranger":
                expected = expected_for(entry, req, "business_manager")
            elif persona in entry.gated:
                expected = 403
            else:
                expected = SIGN_IN if persona == "anonymous" else 404
            probes.append(Probe("southvale", "north", persona, expected))
        for persona in sorted(set(req.ok) - {"business_manager", "anonymous"}):
            probes.append(Probe("southvale", "south", persona, req.ok[persona]))
    return probes


def forbidden_words(probe):
    """What this requester may never read on a page: the other partnership's case, and
    the child's surname for those who may not see the child."""
    if probe.persona == "anonymous":
        return [*CHILD_SURNAME.values(), *PSEUDONYM.values(), *PLACE.values()]
    home = "southvale" if probe.side == "south" or probe.persona == "stranger" else "northtown"
    away = "northtown" if home == "southvale" else "southvale"
    words = [CHILD_SURNAME[away], PSEUDONYM[away], PLACE[away]]
    if probe.persona in NO_CHILD:
        words.append(CHILD_SURNAME[home])
    # An agency contributor never reads another agency's actions, evidence or barriers.
    words.extend(OTHER_AGENCYS_ACTIONS.get(probe.persona, ()))
    return words


class Clients:
    """One signed-in client per person, kept while their session survives the rollbacks
    (signing in again for each of the thousand requests would double the run time)."""

    def __init__(self, sides):
        self.sides = sides
        self.signed_in = {}

    def user(self, probe):
        if probe.side == "south":
            return self.sides.south[probe.persona]
        return user_for(self.sides, probe.persona)

    def send(self, probe, method, url, data):
        """The request in a savepoint that is rolled back: nobody's request changes what
        the next persona meets."""
        user = self.user(probe)
        key = user.pk if user else None
        if key not in self.signed_in:
            self.signed_in[key] = signed_in(user)
        client = self.signed_in[key]
        before = client.cookies.get(settings.SESSION_COOKIE_NAME)
        before = before.value if before else None
        for value in (data or {}).values():
            if hasattr(value, "seek"):
                value.seek(0)  # an upload is read again by each persona's request
        with transaction.atomic():
            response = getattr(client, method)(url, data)
            transaction.set_rollback(True)
        after = client.cookies.get(settings.SESSION_COOKIE_NAME)
        if (after.value if after else None) != before:
            del self.signed_in[key]  # a new or ended session, rolled back with the request
        return response


def readable_text(response):
    """A page's HTML, or a PDF's text; nothing for a download streamed as a file."""
    content_type = response.get("Content-Type", "")
    if response.streaming:
        return ""
    if content_type.startswith(("text/html", "text/csv")):
        return response.content.decode()
    if content_type == "application/pdf":
        reader = PdfReader(io.BytesIO(response.content))
        return " ".join(page.extract_text() for page in reader.pages)
    return ""


def outcome(response, expected):
    """The status as the matrix writes it, SIGN_IN for a redirect to the sign-in page."""
    location = response.get("Location", "")
    signing_in = location.startswith(reverse(settings.LOGIN_URL))
    if expected == SIGN_IN and response.status_code == 302 and signing_in:
        return SIGN_IN
    return response.status_code


def run(sides, name):
    """Send every request of one entry; return the mismatches and leaks found."""
    entry = MATRIX[name]
    for state in (*entry.fill, *([entry.state] if entry.state else [])):
        sides.build(state)
    problems, clients = [], Clients(sides)
    by_object = {"northtown": sides.north, "southvale": sides.south, "none": sides.north}
    for req in entry.reqs:
        # The same method, URL and data for every persona on one object.
        requests = {
            key: (entry.url(by_object[key]), req.data(by_object[key]) if req.data else None)
            for key in entry.objects
        }
        for probe in plan(entry, req):
            url, data = requests[probe.obj]
            response = clients.send(probe, req.method, url, data)
            got = outcome(response, probe.expected)
            who = f"{probe.persona}{' (Southvale)' if probe.side == 'south' else ''}"
            if got != probe.expected:
                problems.append(
                    f"{req.method.upper()} {url} as {who} on {probe.obj}: "
                    f"expected {probe.expected}, got {got}"
                )
            text = readable_text(response)
            if text:
                for word in forbidden_words(probe):
                    if word in text:
                        problems.append(
                            f"{req.method.upper()} {url} as {who} on {probe.obj}: shows {word!r}"
                        )
    return problems


def test_the_leak_check_reads_the_words_where_they_are_shown(sides):
    """The control for the leak check: the words it looks for are there for those who
    may see them, in a page and in a PDF's text."""
    sides.build("meeting")
    manager = signed_in(sides.north["business_manager"])
    page = manager.get(reverse("case-detail", args=[sides.north.case.pk]))
    assert CHILD_SURNAME["northtown"] in readable_text(page)
    report = manager.get(reverse("report-pdf", args=[sides.north.case.pk]))
    assert PSEUDONYM["northtown"] in readable_text(report)
    stranger = signed_in(sides.world["stranger"])
    assert PSEUDONYM["southvale"] in readable_text(stranger.get(reverse("case-list")))


@pytest.mark.parametrize("name", MATRIX)
def test_each_url_answers_each_persona_as_the_policy_says(sides, name):
    problems = run(sides, name)
    assert not problems, "\n".join(problems)


# The Django admin ----------------------------------------------------------------------


def admin_pages(sides):
    """(url, whether the administrator may open it): the index and, for each registered
    model, its list and add pages and the change page of its first row, if any. Models
    the admin site lists are the administrator's by `cspr.admin`; others (groups, devices,
    lockouts) hold Django model permissions nobody is given, so the administrator gets a 403
    there, never a redirect."""
    request = RequestFactory().get("/admin/")
    request.user = sides.north["administrator"]
    pages = [(reverse("admin:index"), True)]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        pages.append(
            (
                reverse("admin:{}_{}_changelist".format(*info)),
                model_admin.has_view_or_change_permission(request),
            )
        )
        pages.append(
            (reverse("admin:{}_{}_add".format(*info)), model_admin.has_add_permission(request))
        )
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            pages.append(
                (
                    reverse("admin:{}_{}_change".format(*info), args=[row.pk]),
                    model_admin.has_view_or_change_permission(request, row),
                )
            )
    # The site's own pages; what the administrator gets there is Django's business.
    case_type = ContentType.objects.get_for_model(sides.north.case)
    pages += [
        (reverse("admin:jsi18n"), None),
        (reverse("admin:autocomplete"), None),
        (reverse("admin:password_change"), None),
        (reverse("admin:view_on_site", args=[case_type.pk, sides.north.case.pk]), None),
        (reverse("admin:cspr_user_history", args=[sides.north["reviewer"].pk]), None),
    ]
    return pages


def test_only_the_administrator_reaches_the_admin(sides):
    """Everyone else, signed in or not, is sent to the admin's sign-in (which sends them
    on to ours); the administrator gets the page, or a 403 where no one may."""
    problems = []
    pages = admin_pages(sides)
    clients = {persona: signed_in(user_for(sides, persona)) for persona in EVERYONE}
    for url, administrators in pages:
        for persona in EVERYONE:
            with transaction.atomic():
                response = clients[persona].get(url)
                transaction.set_rollback(True)
            location = response.get("Location", "")
            if persona == "administrator":
                if administrators is None:
                    continue
                expected = 200 if administrators else 403
                if response.status_code != expected:
                    problems.append(f"{url} as administrator: {response.status_code}")
            elif response.status_code != 302 or not location.startswith(reverse("admin:login")):
                problems.append(f"{url} as {persona}: {response.status_code} {location}")
    assert sum(bool(administrators) for _, administrators in pages) >= 8  # the cspr models' pages
    assert not problems, "\n".join(problems)


# The figure ----------------------------------------------------------------------------


def test_the_matrix_writes_how_much_it_covers(sides):
    """The figure for the record: test-artifacts/matrix.txt (and printed with -s)."""
    admin_patterns = [p for p in url_patterns() if is_admin(p)]
    pages = admin_pages(sides)
    named = [entry for entry in MATRIX.values() if entry.state]
    combinations = sum(len(EVERYONE) * len(entry.objects) for entry in MATRIX.values())
    requests = sum(len(plan(entry, req)) for entry in MATRIX.values() for req in entry.reqs)
    text = (
        f"{len(MATRIX)} URL patterns x {len(EVERYONE)} personas x 1 or 2 objects = "
        f"{combinations} (pattern, persona, object) combinations, sent as {requests} requests "
        f"(every method a page takes, plus the other partnership's allowed persona as the "
        f"control on its twin). {len(named)} patterns name an object and are probed on "
        f"Northtown's and on Southvale's twin; {len(MATRIX) - len(named)} name none.\n"
        f"Admin: {len(admin_patterns)} patterns under one rule, checked on {len(pages)} pages "
        f"x {len(EVERYONE)} personas = {len(pages) * len(EVERYONE)} requests.\n"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "matrix.txt").write_text(text, encoding="utf-8")
    print(text)
    assert combinations == len(EVERYONE) * (len(MATRIX) + len(named))
    assert requests >= combinations


# Each list of the dashboard, as CSV --------------------------------------------------

# The dashboard section each persona has (the stranger is Southvale's business manager);
# a list is for the people whose section shows it.
DASHBOARD_SECTION = {
    "business_manager": "business_unit",
    "subgroup_chair": "chair",
    "executive": "executive",
    "police_contributor": "agency",
    "health_contributor": "agency",
    "stranger": "business_unit",
}


def test_each_dashboard_list_downloads_for_its_own_section_only(sides):
    """Every CSV of the dashboard: a 200 for the personas whose section lists it, a 403
    for everyone else signed in, sign-in for nobody; never another partnership's words
    or another agency's actions; and a list that does not exist is a 404."""
    from cspr.views.dashboards import DOWNLOADS

    for state in ("complete_action", "barrier", *LISTED, "triaged", "meeting", "case_theme"):
        sides.build(state)
    clients = Clients(sides)
    problems = []
    for name, (section, _) in DOWNLOADS.items():
        url = reverse("dashboard-csv", args=[name])
        for persona in EVERYONE:
            if persona == "anonymous":
                expected = SIGN_IN
            else:
                expected = 200 if DASHBOARD_SECTION.get(persona) == section else 403
            probe = Probe("none", "north", persona, expected)
            response = clients.send(probe, "get", url, None)
            got = outcome(response, expected)
            if got != expected:
                problems.append(f"{url} as {persona}: expected {expected}, got {got}")
            text = readable_text(response)
            problems += [
                f"{url} as {persona}: shows {word!r}"
                for word in forbidden_words(probe)
                if word in text
            ]
    manager = signed_in(sides.north["business_manager"])
    assert manager.get(reverse("dashboard-csv", args=["no-such-list"])).status_code == 404
    assert not problems, "\n".join(problems)
