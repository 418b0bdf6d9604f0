"""Writes to local reviews, one module per part of the process."""

from reviews.services.appointment import (
    appointment_end,
    current_appointment,
    reviewer_account_create,
    reviewer_appoint,
    reviewer_invitation_send,
)
from reviews.services.commissioning import (
    chronology_template_agree,
    family_engagement_record,
    group_member_add,
    group_member_remove,
    local_review_commission,
    local_review_start,
    methodology_agree,
    start_checklist,
)
from reviews.services.conduct import (
    checkpoint_record,
    parallel_process_conclude,
    parallel_process_record,
    reviewer_request_answer,
    reviewer_request_send,
)
from reviews.services.letters import letter_prepare, letter_record_sent, letter_render
from reviews.services.national import national_review_save
from reviews.services.publication import (
    final_copy_record,
    publication_blockers,
    publication_override,
    publication_plan_save,
    review_briefing_save,
    review_not_publish,
    review_publish,
)
from reviews.services.report import (
    quality_assurance_record,
    report_approve,
    report_draft_upload,
    report_return,
)
from reviews.services.terms import agreed_terms, latest_terms, terms_agree, terms_save

__all__ = [
    "agreed_terms",
    "appointment_end",
    "checkpoint_record",
    "chronology_template_agree",
    "current_appointment",
    "family_engagement_record",
    "final_copy_record",
    "group_member_add",
    "group_member_remove",
    "latest_terms",
    "letter_prepare",
    "letter_record_sent",
    "letter_render",
    "local_review_commission",
    "local_review_start",
    "methodology_agree",
    "national_review_save",
    "parallel_process_conclude",
    "parallel_process_record",
    "publication_blockers",
    "publication_override",
    "publication_plan_save",
    "quality_assurance_record",
    "report_approve",
    "report_draft_upload",
    "report_return",
    "review_briefing_save",
    "review_not_publish",
    "review_publish",
    "reviewer_account_create",
    "reviewer_appoint",
    "reviewer_invitation_send",
    "reviewer_request_answer",
    "reviewer_request_send",
    "start_checklist",
    "terms_agree",
    "terms_save",
]
