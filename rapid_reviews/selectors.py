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


def collated_pack(review, *, agency_id=None):
    """Every submitted return of the review, the merged chronology (sorted by date, each
    row with its agency, optionally one agency's only) and the returns still missing."""
    requests = list(
        InformationRequest.objects.filter(rapid_review=review)
        .exclude(status=RequestStatus.CANCELLED)
        .select_related("agency", "information_return", "deadline")
        .order_by("agency__name")
    )
    submitted = [r for r in requests if r.information_return.status == ReturnStatus.SUBMITTED]
    entries = (
        ChronologyEntry.objects.filter(
            information_return__request__rapid_review=review,
            information_return__status=ReturnStatus.SUBMITTED,
        )
        .select_related("information_return__request__agency")
        .order_by("date", "information_return__request__agency__name", "position")
    )
    if agency_id:
        entries = entries.filter(information_return__request__agency_id=agency_id)
    return Pack(
        requests=requests,
        submitted=submitted,
        missing=[r for r in requests if r not in submitted],
        entries=list(entries),
        agencies=[r.agency for r in submitted],
    )
