"""Writes to rapid reviews, one module per part of the process."""

from rapid_reviews.services.circulation import (
    briefing_save,
    briefing_version,
    dissemination_record,
    may_approve_dissemination,
    report_circulate,
)
from rapid_reviews.services.decision import (
    family_informed,
    may_start_local_review,
    meeting_record,
    panel_response_record,
    partner_for,
    partner_sign_off,
    recommendation_approve,
    report_sent,
)
from rapid_reviews.services.opening import (
    clock_start_for,
    information_request_send,
    rapid_review_open,
    records_secured_confirm,
)
from rapid_reviews.services.returns import (
    RETURN_FIELDS,
    ROW_FIELDS,
    missing_for_return,
    return_add_addendum,
    return_append_rows,
    return_save_draft,
    return_submit,
    return_unlock,
    return_version,
    row_key,
    rows_paired,
)

__all__ = [
    "briefing_save",
    "briefing_version",
    "dissemination_record",
    "may_approve_dissemination",
    "report_circulate",
    "RETURN_FIELDS",
    "ROW_FIELDS",
    "clock_start_for",
    "family_informed",
    "may_start_local_review",
    "meeting_record",
    "panel_response_record",
    "partner_for",
    "partner_sign_off",
    "recommendation_approve",
    "report_sent",
    "information_request_send",
    "missing_for_return",
    "rapid_review_open",
    "records_secured_confirm",
    "return_add_addendum",
    "return_append_rows",
    "return_save_draft",
    "return_submit",
    "return_unlock",
    "return_version",
    "row_key",
    "rows_paired",
]
