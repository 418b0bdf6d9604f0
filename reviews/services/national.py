"""A national review the Panel took the case into (R5, R10): recorded with the local
partnership's part in it."""

from django.db import transaction

from cspr import access as case_access
from cspr.concurrency import check_version, saved_values, version_of
from cspr.errors import Incomplete, TransitionNotAllowed
from cspr.models import Case, EventKind, Stage
from cspr.services.audit import record_event, stamp
from cspr.services.cases import case_move_stage
from reviews.models import NationalReview, NationalStatus
from reviews.services.common import blank, fmt, not_future

NATIONAL_FIELDS = [
    "panel_reference",
    "title",
    "panel_contact",
    "partnership_part",
    "local_lead",
    "status",
    "published_on",
    "publication_address",
]


def national_version(national):
    return version_of(
        None if national is None else saved_values(national, exclude=("id", "updated_at"))
    )


def national_review_save(*, case, data, by, version=None):
    """Record the national review the Panel took the case into, with the partnership's part
    in it; when it is published, its date and address, and the case moves on to learning.
    Business unit; only for a case the Panel took into a national review."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case_access.can(by, case_access.CHANGE, case):
            raise TransitionNotAllowed("Only the business unit records a national review.")
        national = NationalReview.objects.select_for_update().filter(case=case).first()
        if national is None and case.stage != Stage.NATIONAL_REVIEW:
            raise TransitionNotAllowed(
                "Only a case the Panel took into a national review has one to record."
            )
        if national and national.status == NationalStatus.PUBLISHED:
            raise TransitionNotAllowed("The national review is published: its record is complete.")
        check_version(
            version,
            current=national_version(national),
            what="the national review",
            by=by,
            histories=[NationalReview.history.filter(case_id=case.pk)],
        )
        missing = not_future(data.get("published_on"), "published_on", "The publication date")
        if blank(data.get("partnership_part")):
            missing["partnership_part"] = "Describe the partnership's part in the review"
        if blank(data.get("local_lead")):
            missing["local_lead"] = "Enter the local lead"
        published = data.get("status") == NationalStatus.PUBLISHED
        if published and not data.get("published_on"):
            missing["published_on"] = "Enter the date it was published"
        if published and blank(data.get("publication_address")):
            missing["publication_address"] = "Enter the web address where it is published"
        if missing:
            raise Incomplete(missing)
        national = national or NationalReview(case=case, updated_by=by)
        for name in NATIONAL_FIELDS:
            value = data.get(name)
            if value is None and name != "published_on":
                value = ""
            setattr(national, name, value)
        if not published:
            national.published_on, national.publication_address = None, ""
        national.updated_by = by
        stamp(national, by=by, reason="Saved").save()
        record_event(
            case=case,
            kind=EventKind.NATIONAL_REVIEW,
            by=by,
            summary=f"National review published on {fmt(national.published_on)}"
            if published
            else "National review recorded, with the partnership's part in it",
            note=national.partnership_part,
        )
        if published and case.stage == Stage.NATIONAL_REVIEW:
            case_move_stage(case=case, to=Stage.LEARNING, by=by, note="National review published")
    return national
