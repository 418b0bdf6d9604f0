"""The access log: who read or touched which case data, when, from where, and whether
they were let in.

`AccessLogMiddleware` puts a collector for the request in a context variable;
`cspr.access.resolve()`, the one place every app's `access_*` helper hands a case object
to a request (or refuses it), calls `note()`; after the response the middleware writes
what was noted in one INSERT. Nothing is written for anonymous requests or for pages that
touched no case object, and `note()` does nothing outside a request (services, tasks,
tests calling the access functions directly).

The client address is `REMOTE_ADDR`, unless `settings.TRUSTED_PROXY_COUNT` says how many
proxies of ours stand in front of the app: then it is the address that many hops from the
right of `X-Forwarded-For` (what our own outermost proxy saw). A client can put anything
it likes at the left of that header, so it is never read when no proxy is trusted.
"""

import contextvars
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

_collector = contextvars.ContextVar("cspr_access_log", default=None)

USER_AGENT_LENGTH = 300


@dataclass
class Noted:
    object_type: str
    object_id: int | None
    object_model: str
    case_id: int | None
    partnership_id: int | None
    agency_id: int | None
    action: str
    allowed: bool
    child_details: bool


class Collector:
    """What one request was handed or refused, one entry per object (a refusal wins)."""

    def __init__(self):
        self.noted = {}

    def add(self, noted):
        key = (noted.object_type, noted.object_id)
        earlier = self.noted.get(key)
        if earlier is not None and not earlier.allowed:
            return
        if earlier is not None and noted.allowed:
            noted.child_details = noted.child_details or earlier.child_details
        self.noted[key] = noted


# Where a case object's parents may hang, nearest first: what `_subject` climbs.
PARENTS = (
    "case",
    "rapid_review",
    "review",
    "request",
    "information_return",
    "referral",
    "plan",
    "action",
)


def _loaded(obj, name):
    """`obj.name` when it is already in memory (never a query), else None: a relation
    only once loaded, or a plain attribute an access helper set on the object."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return obj.__dict__.get(name)
    if field.is_relation and field.is_cached(obj):
        return getattr(obj, name)
    return None


def _subject(obj):
    """(case id, partnership id, agency id) of a case object, climbing what is loaded:
    the agency is the one whose material it is (asked by a request, or that referred)."""
    from cspr.models import Case

    case_id = partnership_id = agency_id = None
    node = obj
    for _ in range(len(PARENTS) + 1):
        if node is None or not hasattr(node, "_meta"):
            break
        if isinstance(node, Case):
            case_id = case_id or node.pk
            partnership_id = partnership_id or node.partnership_id
            break
        case_id = case_id or getattr(node, "case_id", None)
        partnership_id = partnership_id or getattr(node, "partnership_id", None)
        agency_id = (
            agency_id
            or getattr(node, "agency_id", None)
            or getattr(node, "referring_agency_id", None)
        )
        node = next((p for p in (_loaded(node, n) for n in PARENTS) if p is not None), None)
    return case_id, partnership_id, agency_id


def note(obj, allowed, action, *, what):
    """Called by `cspr.access.resolve()`: `obj` (an existing case object) was handed to the
    current request with the actions `allowed`, or refused. Does nothing outside a request."""
    collector = _collector.get()
    if collector is None or obj is None:
        return
    case_id, partnership_id, agency_id = _subject(obj)
    collector.add(
        Noted(
            object_type=what,
            object_id=obj.pk,
            object_model=obj._meta.label_lower,
            case_id=case_id,
            partnership_id=partnership_id,
            agency_id=agency_id,
            action=action,
            allowed="view" in allowed and action in allowed,
            child_details="view_child" in allowed,
        )
    )


def client_ip(request):
    """The client's address; `X-Forwarded-For` only behind proxies we trust."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops > 0 and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            address = chain[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _entries(request, response, collector):
    from cspr.models import AccessLogEntry, Outcome

    user = request.user
    match = getattr(request, "resolver_match", None)
    refused_response = response.status_code in (403, 404)
    common = {
        "user": user,
        "username": user.get_username(),
        "url_name": (match.view_name if match else "")[:100],
        "method": request.method[:10],
        "path": request.path[:300],
        "status_code": response.status_code,
        "ip_address": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
    }
    return [
        AccessLogEntry(
            **common,
            case_id=noted.case_id,
            partnership_id=noted.partnership_id,
            agency_id=noted.agency_id,
            object_type=noted.object_type[:40],
            object_id=noted.object_id,
            object_model=noted.object_model,
            action=noted.action[:40],
            child_details=noted.child_details and noted.allowed and not refused_response,
            outcome=Outcome.ALLOWED if noted.allowed and not refused_response else Outcome.REFUSED,
        )
        for noted in collector.noted.values()
    ]


def entries_for_case(case):
    """The case's access log, newest first: for its business unit (see
    `cspr.access.access_case_log`)."""
    from cspr.models import AccessLogEntry

    return AccessLogEntry.objects.filter(case=case).select_related("agency").order_by("-at", "-id")


# Case pages that put every asked agency's return in front of the reader.
COLLATED_PAGES = ("collated-pack", "collated-pack-pdf")


def entries_for_agency(agency):
    """Rows about the agency's own material (its requests, returns and their documents,
    its referrals), and reads of the collated pack of a case the agency takes part in,
    newest first; never another agency's rows (see `cspr.access.access_agency_log`)."""
    from cspr.models import AccessLogEntry, CaseGroupObjectPermission

    taking_part = CaseGroupObjectPermission.objects.filter(group_id=agency.group_id).values(
        "content_object_id"
    )
    packs = Q(agency__isnull=True, url_name__in=COLLATED_PAGES, case_id__in=taking_part)
    return (
        AccessLogEntry.objects.filter(Q(agency=agency) | packs)
        .select_related("case", "user")
        .order_by("-at", "-id")
    )


class AccessLogMiddleware:
    """Collects what `resolve()` hands out during the request; writes it in one INSERT."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        collector = Collector()
        token = _collector.set(collector)
        try:
            response = self.get_response(request)
        finally:
            _collector.reset(token)
        user = getattr(request, "user", None)
        if collector.noted and user is not None and user.is_authenticated:
            from cspr.models import AccessLogEntry

            AccessLogEntry.objects.bulk_create(_entries(request, response, collector))
        return response
