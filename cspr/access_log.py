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

_collector = contextvars.ContextVar("cspr_access_log", default=None)

USER_AGENT_LENGTH = 300


@dataclass
class Noted:
    object_type: str
    object_id: int | None
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


def _cached(obj, name):
    """`obj.name` when the relation is already loaded (never a query), else None."""
    try:
        field = obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 (not a field of this model)
        return None
    if getattr(field, "is_relation", False) and field.is_cached(obj):
        return getattr(obj, name)
    return None


def _subject(obj):
    """(case id, partnership id, agency id) of a case object, from what is loaded."""
    from cspr.models import Case

    if isinstance(obj, Case):
        return obj.pk, obj.partnership_id, None
    case_id = getattr(obj, "case_id", None)
    case = _cached(obj, "case")
    review = _cached(obj, "rapid_review")
    if case_id is None and review is not None:
        case_id = review.case_id
        case = _cached(review, "case")
    partnership_id = getattr(obj, "partnership_id", None) or getattr(case, "partnership_id", None)
    # Whose material it is: the agency asked (a request, its return) or the one that referred.
    agency_id = getattr(obj, "agency_id", None) or getattr(obj, "referring_agency_id", None)
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
            action=noted.action[:40],
            child_details=noted.child_details and noted.allowed and not refused_response,
            outcome=Outcome.ALLOWED
            if noted.allowed and not refused_response
            else Outcome.REFUSED,
        )
        for noted in collector.noted.values()
    ]


def entries_for_case(case):
    """The case's access log, newest first: for its business unit (see
    `cspr.access.access_case_log`)."""
    from cspr.models import AccessLogEntry

    return AccessLogEntry.objects.filter(case=case).select_related("agency").order_by("-at", "-id")


def entries_for_agency(agency):
    """Rows about the agency's own material (its requests and returns, its referrals),
    newest first; only ever this one agency's (see `cspr.access.access_agency_log`)."""
    from cspr.models import AccessLogEntry

    return (
        AccessLogEntry.objects.filter(agency=agency).select_related("case").order_by("-at", "-id")
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
