"""Rapid-review pages, one module per part: the review and requests, returns, decision."""

from rapid_reviews.views.circulation import (
    briefing_edit,
    dissemination_record,
    report_circulate,
)
from rapid_reviews.views.decision import (
    family_informed,
    meeting_record,
    panel_response,
    partner_sign_off,
    recommendation_approve,
    report_pdf,
    report_sent,
)
from rapid_reviews.views.returns import (
    chronology_import,
    return_addendum,
    return_edit,
    return_unlock,
)
from rapid_reviews.views.review import (
    collated_pack,
    collated_pack_pdf,
    information_request_send,
    rapid_review_detail,
    rapid_review_open,
    records_secured,
    request_detail,
)

__all__ = [
    "briefing_edit",
    "dissemination_record",
    "report_circulate",
    "family_informed",
    "meeting_record",
    "panel_response",
    "partner_sign_off",
    "recommendation_approve",
    "report_pdf",
    "report_sent",
    "chronology_import",
    "collated_pack",
    "collated_pack_pdf",
    "information_request_send",
    "rapid_review_detail",
    "rapid_review_open",
    "records_secured",
    "request_detail",
    "return_addendum",
    "return_edit",
    "return_unlock",
]
