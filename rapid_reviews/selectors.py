"""Reads for rapid-review pages."""

from dataclasses import dataclass

from rapid_reviews.models import ChronologyEntry, InformationRequest, RequestStatus, ReturnStatus


@dataclass(frozen=True)
class Pack:
    requests: list
    submitted: list
    missing: list
    entries: list
    agencies: list


def pack_entries(review, *, agency_id=None):
    """The merged chronology: every submitted return's rows, by date, each with its
    agency; optionally one agency's only. A queryset, so a page can take a slice."""
    entries = (
        ChronologyEntry.objects.filter(
            information_return__request__rapid_review=review,
            information_return__status=ReturnStatus.SUBMITTED,
        )
        .select_related("information_return__request__agency")
        .order_by("date", "information_return__request__agency__name", "position", "pk")
    )
    if agency_id:
        entries = entries.filter(information_return__request__agency_id=agency_id)
    return entries


def collated_pack(review, *, agency_id=None, with_entries=True):
    """Every submitted return of the review, the merged chronology (`pack_entries`; left
    empty without `with_entries`, for a page that reads it a slice at a time) and the
    returns still missing."""
    requests = list(
        InformationRequest.objects.filter(rapid_review=review)
        .exclude(status=RequestStatus.CANCELLED)
        .select_related("agency", "information_return", "deadline")
        .prefetch_related("information_return__addenda")
        .order_by("agency__name")
    )
    submitted = [r for r in requests if r.information_return.status == ReturnStatus.SUBMITTED]
    entries = pack_entries(review, agency_id=agency_id) if with_entries else []
    return Pack(
        requests=requests,
        submitted=submitted,
        missing=[r for r in requests if r not in submitted],
        entries=list(entries),
        agencies=[r.agency for r in submitted],
    )
